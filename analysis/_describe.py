"""Describing themes: class-based TF-IDF key phrases, labels and representative quotes.

Key phrases are scored like BERTopic's c-TF-IDF: all answers of a theme form one class
document; a phrase's weight is its frequency in the class (normalised by the class's
length) times ``log(1 + A / f)``, where ``A`` is the mean class length and ``f`` the
phrase's frequency over all classes. Phrases are unstemmed surface forms (1–3 words,
not starting or ending with a stop word; 2–4 characters for Chinese/Japanese, where a word
of another script counts as one character), so a label reads as residents wrote it.

A theme's *label* is a phrase (2–6 words; 3–8 characters in Chinese/Japanese) that at least
two of the theme's answers use, within one sentence, not starting or ending with a function
word, chosen by c-TF-IDF among such phrases (central: many of the theme's answers use it;
distinctive: few other themes do) — ``label_source`` ``"phrase"``. When no phrase is shared
by two answers (themes of long, varied sentences), the label is the span of 2–6 words of *one*
of the theme's most central answers that holds most of the theme's shared key phrases
(``"answer"``): words of different people are never pasted together. Only when no answer has
two words to make a span of is the label made of keywords (``"keywords"``). Tweet and web
debris — URLs, @handles, "rt", shortener remnants ("bit ly", "t co", "http") — never becomes
a label or a keyword.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from itertools import pairwise

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer

from analysis._pii import PLACEHOLDERS
from analysis._preprocess import LanguageTools, strip_placeholders

# URLs (with or without a scheme, shortener domains), @handles, and shortener remnants whose
# dots were lost ("bit ly/abc", "t co xyz"): removed before phrases are taken.
_DEBRIS_RE = re.compile(
    r"(?:https?://|www\.)\S*"
    r"|\b(?:bit\.ly|t\.co|goo\.gl|ow\.ly|j\.mp|tinyurl\.com|youtu\.be|fb\.me|dlvr\.it|buff\.ly"
    r"|is\.gd|tiny\.cc|wp\.me|lnkd\.in)\b\S*"
    r"|\b[\w.-]+\.(?:com|org|net|ly|co|io|gov|edu)/\S*"
    r"|@\w+"
    r"|\b(?:bit\s+ly|t\s+co|goo\s+gl|ow\s+ly|j\s+mp)\b(?:\s+\w*\d\w*)?",
    re.IGNORECASE,
)
# Tokens that are never a keyword nor part of a label, in any language.
DEBRIS_TOKENS = frozenset(
    {"rt", "http", "https", "www", "com", "html", "htm", "php", "amp", "ly", "co", "url"}
)
# Where a sentence or clause ends: a label never spans these.
_CLAUSE_RE = re.compile(r"[.!?;:,()\[\]{}\"“”«»|/\n…。！？；：，、؟،؛]+|\s[-–—]+\s")
LABEL_WORDS = (2, 6)
LABEL_CJK_CHARS = (3, 8)  # characters; a word in another script (a name, "wifi") counts as one

# Chinese and Japanese are read as characters; a run of letters or digits of another script
# inside them ("Layton", "wifi", "2017") is one unit, so that no phrase begins or ends inside
# it and no label is a bare number or a piece of a Latin word.
_CJK_SCRIPT = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_UNIT_RE = re.compile(rf"[{_CJK_SCRIPT}]|(?:(?![{_CJK_SCRIPT}])[^\W_])+")
_CJK_CHAR_RE = re.compile(rf"[{_CJK_SCRIPT}]")
# Characters that neither begin nor end a phrase in Chinese or Japanese: particles, pronouns,
# conjunctions, measure words. (stopwords-iso's Chinese list is not used here: it also holds
# content characters such as 大, 小, 人, 年, 上, 巴 and 阿, which refused labels like 大学,
# 小孩上学 or 巴士站.)
CJK_EDGE_STOPS = frozenset(
    "的了着过是在和与及或也都就而吗呢吧啊呀哦嘛把被给让向从对于为但却又还很我你他她它们这那"
    "其此该之以所并且则即因如若虽等个些每各么什哪谁将已曾才只有"
    "のはがをにでともへやかねよ"
)


# Content words that stopwords-iso's lists hold, allowed to begin or end a label: with the
# lists as they are, "top up", "help at home" or "rent too high" (English: 1,298 words),
# "falta de trabajo" or "tiempo de espera" (Spanish: 732), "loyer trop cher" or "voie
# cyclable" (French: 691), "giá nhà" or "việc làm" (Vietnamese: 645) could never be labels.
# Only words that name a subject of community feedback (work, home, time, place, cost, age,
# size, distance, people) or say how it is; generic verbs and adverbs of the lists stay
# refused ("get a card", "still pending", "hay que", "on peut" name no theme).
_LABEL_CONTENT_WORDS_TEXT = {
    "en": """area areas best better bill bottom case cases change changes date detail early
        empty fire free front full good great group groups help high higher highest home
        homepage important information interest large larger line long longer lower member
        members name names number numbers old older open opening order orders page pages part
        parts place places point points problem problems research results room rooms school
        side site small smaller state states stop system test top value website work working
        works world year years young younger""",
    "es": """trabajo trabajar trabaja trabajan empleo tiempo horas dia día dias días lugar
        cuenta estado nuevo nueva nuevos nuevas mayor mejor peor mal tarde temprano cerca lejos
        bajo largo gran grandes medio valor pais uso final fin bueno buena buenos buenas""",
    "fr": """état nouveau nouveaux pire bas haut valeur bon cher chère chers chères ouvert
        ouverte ouverts gens personne personnes pièce voie retour longtemps plein seul seule
        proche stop""",
    # Vietnamese is read syllable by syllable: these syllables begin or end words such as
    # nhà ở (housing), việc làm (jobs), người già (old people), trẻ em (children), đi bộ
    # (walking), cây xanh (trees), giá cao (high prices).
    "vi": """nhà việc làm người năm tháng ngày cao lớn số nơi cây con em cha mới đi bộ""",
}
# Words that may end a label but not begin one: English particles ("top up", "sign up", "fed
# up", "cut off"). (Vietnamese ở, as in "nhà ở" housing, would be one, but a one-letter word
# never begins or ends a label.)
_LABEL_END_WORDS_TEXT = {"en": "up down out off over"}


def _word_sets(texts: Mapping[str, str]) -> dict[str, frozenset[str]]:
    return {
        language: frozenset(unicodedata.normalize("NFC", text).split())
        for language, text in texts.items()
    }


LABEL_CONTENT_WORDS = _word_sets(_LABEL_CONTENT_WORDS_TEXT)
LABEL_END_WORDS = _word_sets(_LABEL_END_WORDS_TEXT)


def label_edge_stops(tools: LanguageTools) -> tuple[frozenset[str], frozenset[str]]:
    """Words a label may not begin with, and words it may not end with."""
    return _edge_stops(tools.language, tools.stop_words)


@functools.lru_cache(maxsize=64)  # asked for every answer: the sets are worked out once
def _edge_stops(language: str, stop_words: frozenset[str]) -> tuple[frozenset[str], frozenset[str]]:
    begin = stop_words - LABEL_CONTENT_WORDS.get(language, frozenset())
    return begin, begin - LABEL_END_WORDS.get(language, frozenset())


def cjk_units(text: str, tools: LanguageTools) -> list[str]:
    """Folded characters of a Chinese or Japanese text, a word of another script as one unit."""
    return _CJK_UNIT_RE.findall(tools.fold(strip_placeholders(text)))


def join_cjk_units(units: Sequence[str]) -> str:
    """Units written back as text: no space, except between two words of another script."""
    out = units[0] if units else ""
    for before, unit in pairwise(units):
        both_other = not _CJK_CHAR_RE.fullmatch(before) and not _CJK_CHAR_RE.fullmatch(unit)
        out += (" " if both_other else "") + unit
    return out


def _cjk_edge(unit: str) -> bool:
    """Whether a phrase may begin or end with this unit."""
    return unit not in CJK_EDGE_STOPS and not unit.isdigit() and unit not in DEBRIS_TOKENS


def strip_debris(text: str) -> str:
    """The text without URLs, @handles and shortener remnants."""
    return _DEBRIS_RE.sub(" ", text)


def surface_phrases(text: str, tools: LanguageTools) -> list[str]:
    """Candidate key phrases of one answer, as written (lower-cased)."""
    text = strip_debris(text)
    if tools.is_cjk:
        units = cjk_units(text, tools)
        ok = [_cjk_edge(u) for u in units]
        out = [u for u, fine in zip(units, ok, strict=True) if fine and len(u) > 2]
        for n in (2, 3, 4):
            for i in range(len(units) - n + 1):
                if ok[i] and ok[i + n - 1]:
                    out.append(join_cjk_units(units[i : i + n]))
        return out
    tokens = tools.surface_tokens(strip_placeholders(text))
    folded = [tools.fold(t) for t in tokens]
    ok = [f not in tools.stop_words and len(f) > 1 and not f.isdigit() for f in folded]
    debris = [f in DEBRIS_TOKENS for f in folded]
    out = []
    for n in (1, 2, 3):
        for i in range(len(tokens) - n + 1):
            if ok[i] and ok[i + n - 1] and not any(debris[i : i + n]):
                out.append(" ".join(tokens[i : i + n]))
    return out


def label_phrases(text: str, tools: LanguageTools) -> list[str]:
    """Candidate label phrases of one answer: 2–6 words (3–8 characters in CJK scripts)
    within one clause, not starting or ending with a stop word, without debris."""
    out: list[str] = []
    first_stops, last_stops = label_edge_stops(tools)
    # Masked details and debris end a clause too: no phrase joins the words around them.
    text = _DEBRIS_RE.sub(" | ", text)
    for placeholder in PLACEHOLDERS:
        text = text.replace(placeholder, " | ")
    for clause in _CLAUSE_RE.split(text):
        if tools.is_cjk:
            units = cjk_units(clause, tools)
            ok = [_cjk_edge(u) for u in units]
            low, high = LABEL_CJK_CHARS
            for n in range(low, high + 1):
                for i in range(len(units) - n + 1):
                    if ok[i] and ok[i + n - 1]:
                        out.append(join_cjk_units(units[i : i + n]))
            continue
        tokens = tools.surface_tokens(clause)
        folded = [tools.fold(t) for t in tokens]
        word = [len(f) > 1 and not f.isdigit() for f in folded]
        begins = [w and f not in first_stops for f, w in zip(folded, word, strict=True)]
        ends = [w and f not in last_stops for f, w in zip(folded, word, strict=True)]
        debris = [f in DEBRIS_TOKENS for f in folded]
        low, high = LABEL_WORDS
        for i in range(len(tokens)):
            if not begins[i] or debris[i]:
                continue
            for n in range(low, high + 1):
                end = i + n - 1
                if end >= len(tokens) or debris[end]:
                    break
                if ends[end]:
                    out.append(" ".join(tokens[i : end + 1]))
    return list(dict.fromkeys(out))


def _identity(doc: list[str]) -> list[str]:
    return doc


def phrase_counts(
    phrases: Sequence[list[str]], weights: np.ndarray | None = None, min_uses: float = 1.0
) -> tuple[np.ndarray, sparse.csr_matrix]:
    """The phrase vocabulary and which answers use which phrase (answers × phrases, 0/1),
    keeping only phrases used by at least ``min_uses`` answers (weighted)."""
    counter = CountVectorizer(analyzer=_identity, min_df=1, binary=True)
    try:
        counts = counter.fit_transform(phrases).tocsc()
    except ValueError:  # no phrase at all
        return np.array([], dtype=object), sparse.csr_matrix((len(phrases), 0))
    vocab = np.asarray(counter.get_feature_names_out(), dtype=object)
    if min_uses > 1.0:
        w = np.ones(len(phrases)) if weights is None else weights
        keep = np.flatnonzero(np.asarray(counts.T @ w).ravel() >= min_uses)
        counts, vocab = counts[:, keep], vocab[keep]
    return vocab, counts.tocsr()


def class_tfidf(
    phrases: Sequence[list[str]] | tuple[np.ndarray, sparse.csr_matrix],
    labels: np.ndarray,
    weights: np.ndarray,
    n_classes: int,
) -> tuple[np.ndarray, sparse.csr_matrix, sparse.csr_matrix]:
    """The phrase vocabulary, the c-TF-IDF matrix (classes × phrases) and, for each class and
    phrase, how many of the class's answers use the phrase. ``phrases``: each answer's
    phrases, or their :func:`phrase_counts`."""
    vocab, counts = phrases if isinstance(phrases, tuple) else phrase_counts(phrases)
    if counts.shape[1] == 0:
        empty = sparse.csr_matrix((n_classes, 0))
        return vocab, empty, empty
    membership = sparse.csr_matrix(
        (weights.astype(np.float64), (labels, np.arange(len(labels)))),
        shape=(n_classes, len(labels)),
    )
    per_class = (membership @ counts).tocsr().astype(np.float64)
    class_len = np.asarray(per_class.sum(axis=1)).ravel()
    class_len[class_len == 0] = 1.0
    tf = sparse.diags(1.0 / class_len) @ per_class
    freq = np.asarray(per_class.sum(axis=0)).ravel()
    idf = np.log1p(class_len.mean() / np.maximum(freq, 1e-12))
    scores = (tf @ sparse.diags(idf)).tocsr()
    scores.sort_indices()
    per_class.sort_indices()
    return vocab, scores, per_class


def top_phrases(
    vocab: np.ndarray,
    row: sparse.csr_matrix,
    uses: sparse.csr_matrix,
    size: float,
    n: int = 10,
    key: Callable[[str], frozenset[str]] | None = None,
) -> list[str]:
    """The ``n`` best phrases of one class, dropping ones already covered by better ones.

    A phrase must be used by at least 2 answers (and 2% of the class), so that one odd
    answer cannot name a theme. ``key`` maps a phrase to its content (e.g. its stems);
    a phrase whose content is already covered by better phrases is skipped.
    """
    if row.nnz == 0:
        return []
    floor = min(max(2.0, 0.02 * size), max(1.0, float(uses.data.max())))
    data = np.where(uses.data >= floor, row.data, -np.inf)
    order = [i for i in np.argsort(-data, kind="stable") if np.isfinite(data[i])]
    key = key or (lambda phrase: frozenset(phrase.split()))
    chosen: list[str] = []
    used: dict[str, float] = {}
    for idx in order[: n * 8]:
        phrase = str(vocab[row.indices[idx]])
        used[phrase] = float(uses.data[idx])
        words = key(phrase)
        if words <= frozenset().union(*(key(c) for c in chosen)):
            continue  # says nothing the better phrases did not ("card accepted")
        covered = [i for i, c in enumerate(chosen) if key(c) < words]
        if not covered:
            chosen.append(phrase)
        elif used[phrase] >= 0.5 * max(used[chosen[i]] for i in covered):
            # A longer phrase used by most answers that use the shorter one takes its
            # place ("card" → "credit card"), at the rank of the best of them.
            chosen[covered[0]] = phrase
            chosen = [c for i, c in enumerate(chosen) if i not in covered[1:]]
        else:
            chosen.append(phrase)
        if len(chosen) >= n:
            break
    return chosen


def best_label_phrase(
    vocab: np.ndarray,
    row: sparse.csr_matrix,
    uses: sparse.csr_matrix,
    cjk: bool = False,
    min_uses: float = 2.0,
    keep: float = 0.6,
) -> str | None:
    """The label phrase of one class: the best-scoring phrase used by at least ``min_uses``
    of its answers; a longer phrase that contains it and is used by at least ``keep`` of
    the answers using it takes its place ("childcare costs" → "cost of childcare …"
    only when most say so). ``None`` when no phrase is shared by two answers."""
    if row.nnz == 0:
        return None
    eligible = np.flatnonzero(uses.data >= min_uses)
    if len(eligible) == 0:
        return None
    best = int(eligible[np.argmax(row.data[eligible])])
    phrase = str(vocab[row.indices[best]])
    used = float(uses.data[best])
    sep = "" if cjk else " "
    padded = f"{sep}{phrase}{sep}"
    longer = [
        i
        for i in eligible
        if uses.data[i] >= keep * used
        and len(str(vocab[row.indices[i]])) > len(phrase)
        and padded in f"{sep}{vocab[row.indices[i]]}{sep}"
    ]
    if longer:
        # The longest of them; among equals the most used, then the best scoring.
        def size(i: int) -> int:
            text = str(vocab[row.indices[i]])
            return len(text) if cjk else len(text.split())

        pick = max(longer, key=lambda i: (size(i), uses.data[i], row.data[i]))
        phrase = str(vocab[row.indices[pick]])
    return phrase


def phrase_weights(
    vocab: np.ndarray, row: sparse.csr_matrix, uses: sparse.csr_matrix
) -> dict[str, float]:
    """Each key phrase's c-TF-IDF weight in one class, counting only phrases that at least
    two of the class's answers use (a word one answer alone uses says nothing of the theme)."""
    return {
        str(vocab[i]): float(w)
        for i, w, u in zip(row.indices, row.data, uses.data, strict=True)
        if u >= 2.0
    }


def best_answer_span(
    answers: Sequence[str], tools: LanguageTools, weights: Mapping[str, float]
) -> str | None:
    """The label of a theme whose answers share no phrase: a span of 2–6 words (3–8
    characters in Chinese/Japanese) of *one* answer, within one clause: the one that holds
    most of the theme's shared key phrases (:func:`phrase_weights`, summed).

    ``answers``: the theme's most representative answers, best first; among equal spans the
    one of the more representative answer, then the shorter, wins. Nothing is pasted together
    from different answers. ``None`` when no answer has such a span.
    """
    best: tuple[float, int, int] | None = None
    label = None
    for rank, text in enumerate(answers):
        for span in label_phrases(text, tools):
            size = len(cjk_units(span, tools)) if tools.is_cjk else len(span.split())
            score = sum(weights.get(p, 0.0) for p in set(surface_phrases(span, tools)))
            key = (score, -rank, -size)
            if best is None or key > best:
                best, label = key, span
    return label


def make_label(keywords: list[str], cjk: bool = False, n: int = 3) -> str:
    """A short label from the best key phrases."""
    if not keywords:
        return "(no distinctive words)"
    return ("、" if cjk else ", ").join(keywords[:n])


def representatives(
    vectors: np.ndarray,
    members: np.ndarray,
    centroid: np.ndarray,
    n: int = 5,
    diversity: float = 0.4,
    max_similarity: float = 0.92,
) -> list[int]:
    """Members that are central to the theme and different from each other (MMR).

    Args:
        vectors: unit vectors of the unique answers.
        members: row numbers (into ``vectors``) of the theme's unique answers.
        centroid: the theme's unit centroid.
        n: how many quotes at most.
        diversity: weight of "different from those chosen" against "central".
        max_similarity: a candidate this similar to a chosen quote is never added.

    Returns:
        Row numbers of the chosen answers, most representative first.
    """
    if len(members) == 0:
        return []
    sims = vectors[members] @ centroid
    pool = members[np.argsort(-sims, kind="stable")[:200]]
    central = vectors[pool] @ centroid
    chosen: list[int] = []
    closest = np.full(len(pool), -np.inf)
    available = np.ones(len(pool), dtype=bool)
    while len(chosen) < n and available.any():
        redundancy = np.where(np.isfinite(closest), closest, 0.0)
        score = (1 - diversity) * central - diversity * redundancy
        score[~available] = -np.inf
        best = int(np.argmax(score))
        chosen.append(int(pool[best]))
        available[best] = False
        sim = vectors[pool] @ vectors[pool[best]]
        closest = np.maximum(closest, sim)
        available &= closest < max_similarity
    return chosen


def phrase_key(tools: LanguageTools) -> Callable[[str], frozenset[str]]:
    """Content of a phrase for redundancy checks: stems of its words, or its characters."""
    if tools.is_cjk:
        return lambda phrase: frozenset(phrase)
    return lambda phrase: frozenset(tools.content_tokens(phrase)) or frozenset(phrase.split())
