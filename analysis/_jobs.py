"""Job cards in one voice: the job-part answers of the one respondent who best stands for a theme.

A survey may ask job-part questions (analysis roles ``situation``, ``motivation``,
``outcome``, ``obstacle``). A theme's job card quotes *one* respondent: among the theme's
respondents who answered the most job parts, the one closest to the theme's centre (or,
without a centre, whose answers are most typical of the others'). Sentences from different
people are never pasted together.

The canonical sentence ("When …, I want to …, so I can …") is only written when that
respondent's parts read as one grammatical sentence in the template (see
:func:`reads_as_sentence`: a conservative check, per language); otherwise ``statement`` is
``None`` and the card shows the parts as labelled quotes.

The theme's main obstacles are listed separately: distinct quotes (near-duplicates merged),
each with how many respondents said something similar. Every quote records its input row.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from analysis._preprocess import language_tools, normalize_text

ROLES = ("situation", "motivation", "outcome", "obstacle")
SENTENCE_ROLES = ("situation", "motivation", "outcome")

TEMPLATES = {
    "en": ("When {situation}", "I want to {motivation}", "so I can {outcome}", ", ", "."),
    "es": ("Cuando {situation}", "quiero {motivation}", "para poder {outcome}", ", ", "."),
    "fr": ("Quand {situation}", "je veux {motivation}", "afin de {outcome}", ", ", "."),
    "pt": ("Quando {situation}", "quero {motivation}", "para poder {outcome}", ", ", "."),
    "de": ("Wenn {situation}", "möchte ich {motivation}", "damit ich {outcome}", ", ", "."),
    "ar": ("عندما {situation}", "أريد أن {motivation}", "حتى أتمكن من {outcome}", "، ", "."),
    "zh": ("当{situation}时", "我想{motivation}", "以便{outcome}", "，", "。"),
}
# Openings respondents often write themselves; removed so the template does not repeat them.
_LEADS = {
    "situation": r"(when|whenever|if|cuando|si|quand|quando|wenn|عندما|当)\s*",
    "motivation": r"(i want to|i'd like to|i would like to|i need to|quiero|je veux|"
    r"quero|ich möchte|أريد أن|我想)\s*",
    "outcome": r"(so (that )?i can|so (that )?i could|so that|so i|para poder|para que|afin de|"
    r"afin d'|pour|para|damit ich|حتى أتمكن من|حتى|以便)\s*",
}
# Punctuation that ends or splits a sentence (inside a part, the template would not read).
_BREAK_RE = re.compile(r"[.!?;:,\n。！？；：，、؟،؛…]|\s[-–—]\s")
_MAX_WORDS = 15
_MAX_CJK_CHARS = 20


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# English: what a "When …" clause may start with (subject pronouns, possessives, articles,
# "there"), and what cannot start an infinitive after "to" (pronouns, articles, "to", modals).
_EN_SUBJECTS = _words(
    "i we you they he she it there my our your their his her its the a an this these those"
    " someone somebody people everyone nobody"
)
_EN_PRONOUNS = _words("i we you they he she it there someone somebody people")
_EN_NOT_VERB = _words(
    "i we you they he she it my our your their his her its the a an this that these those to"
    " be can could will would should must may might not no yes so because and or but if"
    " when very more less there here"
)
_ROMANCE_INFINITIVE = {
    "es": re.compile(r"^\w+(ar|er|ir|ír)(se|me|te|lo|la|le|los|las|les|nos)?$"),
    "pt": re.compile(r"^\w+(ar|er|ir|or)(-se|-me|-lo|-la)?$"),
    "fr": re.compile(r"^\w+(er|ir|re|oir)$"),
}
# Languages whose template needs agreement this check cannot see (German verb position,
# Arabic verbal nouns): always shown as labelled parts.
_PARTS_ONLY = frozenset({"de", "ar"})


def _identity(tokens: list[str]) -> list[str]:
    return tokens


def _clean(text: str, role: str) -> str:
    value = normalize_text(text).strip(" .!?;:。！？،")
    lead = _LEADS.get(role)
    if lead:
        # The lead is a whole word ("si" is not the start of "sitting"); CJK has no spaces.
        value = re.sub(
            rf"^{lead}(?:\b|(?<=[\u3000-\u9fff]))", "", value, flags=re.IGNORECASE
        ).strip(" ,，、")
    words = value.split(" ", 1)
    first = words[0]
    # Lower-case the first word unless it is "I" or looks like a name or an acronym.
    if first and first != "I" and not first.isupper() and first[1:] == first[1:].lower():
        value = first[0].lower() + first[1:] + (" " + words[1] if len(words) > 1 else "")
    return value


def _short_clause(value: str, cjk: bool) -> bool:
    if not value or _BREAK_RE.search(value):
        return False
    if cjk:
        return len(value) <= _MAX_CJK_CHARS
    return 1 <= len(value.split()) <= _MAX_WORDS


def _verb_first(words: list[str], language: str) -> bool:
    """The clause starts with an infinitive (after "to", "quiero", "je veux", …)."""
    first = words[0].casefold()
    if language == "en":
        # Not -ing/-ed forms, nor plurals/third persons ("buses", "gets"; "pass", "focus" are).
        plural = first.endswith("s") and not first.endswith(("ss", "us"))
        return (
            first.isalpha()
            and first not in _EN_NOT_VERB
            and not first.endswith(("ing", "ed"))
            and not plural
        )
    pattern = _ROMANCE_INFINITIVE.get(language)
    return bool(pattern and pattern.match(first))


def reads_as_sentence(parts: Mapping[str, str], language: str) -> bool:
    """Whether the cleaned ``situation``/``motivation``/``outcome`` make one grammatical sentence
    in ``language``'s template. Conservative: when in doubt, False (the card shows the parts).

    Rules: a motivation is needed (it is the main clause); every part is one short clause
    (at most 15 words, 20 characters in Chinese) with no sentence punctuation or comma inside;
    the motivation and outcome start with an infinitive (English: not a pronoun, article,
    modal, "to", an -ing/-ed form or a plural; Spanish, Portuguese, French: an infinitive
    ending); the English situation starts with a subject (pronoun, possessive, article)
    followed by at least one more word, or with an -ing form; French "afin de" is not
    followed by a vowel.
    German and Arabic are never composed; other languages without a template neither.
    """
    if language not in TEMPLATES or language in _PARTS_ONLY or not parts.get("motivation"):
        return False
    cjk = language_tools(language).is_cjk
    if not all(_short_clause(value, cjk) for value in parts.values()):
        return False
    if cjk:
        return True
    for role in ("motivation", "outcome"):
        if role in parts and not _verb_first(parts[role].split(), language):
            return False
    situation = parts.get("situation")
    if situation and language == "en":
        words = situation.split()
        first = words[0].casefold()
        if not (first.endswith("ing") or (first in _EN_SUBJECTS and len(words) >= 2)):
            return False
        if first in _EN_SUBJECTS and first not in _EN_PRONOUNS and len(words) < 3:
            return False  # "the bus" is not a clause
    elif situation and _verb_first(situation.split(), language):
        return False  # "Cuando llegar …"
    outcome = parts.get("outcome")
    # French "afin de arriver" should elide.
    return not (language == "fr" and outcome and outcome[0].casefold() in "aeiouyhéèêàâîô")


def compose_statement(parts: Mapping[str, str], language: str) -> str:
    """The canonical sentence from cleaned parts (check :func:`reads_as_sentence` first)."""
    situation, motivation, outcome, comma, stop = TEMPLATES[language]
    pieces = []
    if parts.get("situation"):
        pieces.append(situation.format(situation=parts["situation"]))
    pieces.append(motivation.format(motivation=parts["motivation"]))
    if parts.get("outcome"):
        pieces.append(outcome.format(outcome=parts["outcome"]))
    statement = comma.join(pieces) + stop
    return statement[0].upper() + statement[1:]


def _vectors(texts: list[str], language: str) -> np.ndarray:
    """Unit TF-IDF rows of content tokens (dense; job parts of one theme are few)."""
    tools = language_tools(language)
    docs = [tools.content_tokens(t) or [t.casefold()] for t in texts]
    try:
        matrix = TfidfVectorizer(analyzer=_identity).fit_transform(docs)
    except ValueError:
        return np.zeros((len(texts), 1))
    return normalize(matrix).toarray()


def _typical(vectors: np.ndarray) -> np.ndarray:
    """Mean cosine similarity of each row to the others (how typical it is)."""
    if len(vectors) < 2:
        return np.zeros(len(vectors))
    sims = vectors @ vectors.T
    return (sims.sum(axis=1) - np.diag(sims)) / (len(vectors) - 1)


def _answer(parts: Mapping[str, Sequence[str | None]], role: str, row: int) -> str:
    answers = parts.get(role)
    return normalize_text(answers[row]) if answers is not None else ""


def _respondents(
    members: Sequence[int], parts: Mapping[str, Sequence[str | None]]
) -> dict[tuple[str, ...], list[int]]:
    """Rows with any job part, grouped by their answers: one respondent may stand behind
    several rows (e.g. an open answer and an obstacle answer both in the theme), which carry
    the same parts; rows with the same two or more parts count as one respondent."""
    groups: dict[tuple[str, ...], list[int]] = {}
    for row in members:
        answers = tuple(_answer(parts, role, row) for role in ROLES)
        filled = sum(1 for a in answers if a)
        if not filled:
            continue
        key = answers if filled >= 2 else (str(row),)
        groups.setdefault(key, []).append(int(row))
    return groups


def _main_obstacles(
    groups: dict[tuple[str, ...], list[int]],
    parts: Mapping[str, Sequence[str | None]],
    language: str,
    redact: Any,
    max_obstacles: int,
    similar: float,
) -> list[dict[str, Any]]:
    """Distinct obstacles (near-duplicates merged), most often raised first, with counts."""
    rows = [rows[0] for rows in groups.values() if _answer(parts, "obstacle", rows[0])]
    if not rows:
        return []
    texts = [redact(_answer(parts, "obstacle", r)) for r in rows]
    vectors = _vectors(texts, language)
    order = np.argsort(-_typical(vectors), kind="stable")
    heads: list[int] = []  # index of each group's quote
    counts: list[int] = []
    for idx in order:
        if heads:
            sims = vectors[heads] @ vectors[idx]
            best = int(np.argmax(sims))
            if sims[best] >= similar:
                counts[best] += 1
                continue
        heads.append(int(idx))
        counts.append(1)
    ranked = sorted(range(len(heads)), key=lambda g: -counts[g])  # stable: typical first
    return [
        {"text": texts[heads[g]], "row": rows[heads[g]], "count": counts[g]}
        for g in ranked[:max_obstacles]
    ]


def compose_job(
    members: Sequence[int],
    parts: Mapping[str, Sequence[str | None]],
    language: str,
    redact: Any = None,
    max_obstacles: int = 3,
    centrality: Sequence[float] | None = None,
    similar: float = 0.5,
) -> dict[str, Any] | None:
    """The job card of one theme, or ``None`` when its respondents gave no job parts.

    Args:
        members: input rows (respondents) in the theme.
        parts: role → answers aligned with the input rows (``None`` or "" when absent).
        language: the theme's language, for the sentence template.
        redact: function applied to every quoted answer (PII masking).
        max_obstacles: how many distinct obstacles to list.
        centrality: aligned with ``members``, how close each is to the theme's centre
            (higher is closer); ``None``: how typical its job answers are.
        similar: cosine similarity (TF-IDF of content words) at which two obstacles are
            the same obstacle.

    Returns:
        ``{"statement", "language", "respondent", "situation", "motivation", "outcome",
        "obstacle", "obstacles", "sources", "n_respondents"}``: ``situation`` …
        ``obstacle`` are ``{"text", "row"}`` quotes of the one respondent (row
        ``respondent``) or ``None``; ``statement`` is the canonical sentence or ``None``;
        ``obstacles`` the theme's main obstacles ``{"text", "row", "count"}``.
    """
    redact = redact or (lambda text: text)
    groups = _respondents(members, parts)
    if not groups:
        return None
    rows = [g[0] for g in groups.values()]
    n_parts = np.array([sum(1 for role in ROLES if _answer(parts, role, r)) for r in rows])
    if centrality is not None:
        close = dict(zip((int(m) for m in members), centrality, strict=True))
        score = np.array([max(close[r] for r in g) for g in groups.values()], dtype=float)
    else:
        joined = [" ".join(_answer(parts, role, r) for role in ROLES) for r in rows]
        score = _typical(_vectors(joined, language))
    candidates = np.flatnonzero(n_parts == n_parts.max())
    best = int(candidates[np.argmax(score[candidates])])  # first of equals: stable
    row = rows[best]
    quotes: dict[str, dict[str, Any] | None] = {}
    for role in ROLES:
        text = _answer(parts, role, row)
        quotes[role] = {"text": redact(text), "row": row} if text else None
    cleaned = {
        role: _clean(quotes[role]["text"], role)  # type: ignore[index]
        for role in SENTENCE_ROLES
        if quotes[role]
    }
    code = language if language in TEMPLATES else "en"
    statement = compose_statement(cleaned, code) if reads_as_sentence(cleaned, language) else None
    obstacles = _main_obstacles(groups, parts, language, redact, max_obstacles, similar)
    sources = {row} | {o["row"] for o in obstacles}
    return {
        "statement": statement,
        "language": code,
        "respondent": row,
        **quotes,
        "obstacles": obstacles,
        "sources": sorted(sources),
        "n_respondents": len(groups),
    }
