"""Describing themes: class-based TF-IDF key phrases, labels and representative quotes.

Key phrases are scored like BERTopic's c-TF-IDF: all answers of a theme form one class
document; a phrase's weight is its frequency in the class (normalised by the class's
length) times ``log(1 + A / f)``, where ``A`` is the mean class length and ``f`` the
phrase's frequency over all classes. Phrases are unstemmed surface forms (1–3 words,
not starting or ending with a stop word; 2–4 characters for Chinese/Japanese), so a
label reads as residents wrote it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer

from analysis._preprocess import LanguageTools, strip_placeholders


def surface_phrases(text: str, tools: LanguageTools) -> list[str]:
    """Candidate key phrases of one answer, as written (lower-cased)."""
    if tools.is_cjk:
        chars = tools.char_text(text)
        out = []
        for n in (2, 3, 4):
            for i in range(len(chars) - n + 1):
                gram = chars[i : i + n]
                if gram[0] not in tools.stop_words and gram[-1] not in tools.stop_words:
                    out.append(gram)
        return out
    tokens = tools.surface_tokens(strip_placeholders(text))
    folded = [tools.fold(t) for t in tokens]
    ok = [f not in tools.stop_words and len(f) > 1 and not f.isdigit() for f in folded]
    out = []
    for n in (1, 2, 3):
        for i in range(len(tokens) - n + 1):
            if ok[i] and ok[i + n - 1]:
                out.append(" ".join(tokens[i : i + n]))
    return out


def _identity(doc: list[str]) -> list[str]:
    return doc


def class_tfidf(
    phrases: Sequence[list[str]], labels: np.ndarray, weights: np.ndarray, n_classes: int
) -> tuple[np.ndarray, sparse.csr_matrix, sparse.csr_matrix]:
    """The phrase vocabulary, the c-TF-IDF matrix (classes × phrases) and, for each class and
    phrase, how many of the class's answers use the phrase."""
    counter = CountVectorizer(analyzer=_identity, min_df=1, binary=True)
    try:
        counts = counter.fit_transform(phrases)
    except ValueError:  # no phrase at all
        empty = sparse.csr_matrix((n_classes, 0))
        return np.array([], dtype=object), empty, empty
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
    return np.asarray(counter.get_feature_names_out(), dtype=object), scores, per_class


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
