"""Job statements: "When …, I want to …, so I can …", composed from respondents' own words.

A survey may ask job-part questions (analysis roles ``situation``, ``motivation``,
``outcome``, ``obstacle``). For a theme, the statement is built from the job-part answers
of the *same respondents* whose feedback forms the theme: for each part, the answer most
typical of the theme's answers to that part (highest mean TF-IDF similarity to the
others); for obstacles, up to three typical and mutually different answers. Every part
records which input row it came from, so a workgroup can check the quote.
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
    "motivation": r"(i want to|i'd like to|i would like to|i need to|i want|quiero|je veux|"
    r"quero|ich möchte|أريد أن|我想)\s*",
    "outcome": r"(so (that )?i can|so (that )?i could|so that|so i|para poder|para que|afin de|"
    r"pour|para|damit ich|حتى|以便)\s*",
}


def _identity(tokens: list[str]) -> list[str]:
    return tokens


def _clean(text: str, role: str) -> str:
    value = normalize_text(text).strip(" .!?;:。！？،")
    lead = _LEADS.get(role)
    if lead:
        value = re.sub(rf"^{lead}", "", value, flags=re.IGNORECASE).strip(" ,，、")
    words = value.split(" ", 1)
    first = words[0]
    # Lower-case the first word unless it is "I" or looks like a name or an acronym.
    if first and first != "I" and not first.isupper() and first[1:] == first[1:].lower():
        value = first[0].lower() + first[1:] + (" " + words[1] if len(words) > 1 else "")
    return value


def _typical(texts: list[str], language: str) -> np.ndarray:
    """Mean cosine similarity of each text to the others (how typical it is)."""
    tools = language_tools(language)
    docs = [tools.content_tokens(t) or [t.casefold()] for t in texts]
    try:
        matrix = TfidfVectorizer(analyzer=_identity).fit_transform(docs)
    except ValueError:
        return np.zeros(len(texts))
    matrix = normalize(matrix)
    sims = (matrix @ matrix.T).toarray()
    return (sims.sum(axis=1) - 1.0) / max(1, len(texts) - 1)


def compose_job(
    members: Sequence[int],
    parts: Mapping[str, Sequence[str | None]],
    language: str,
    redact: Any = None,
    max_obstacles: int = 3,
) -> dict[str, Any] | None:
    """The job statement of one theme, or ``None`` when its respondents gave no job parts.

    Args:
        members: input rows (respondents) in the theme.
        parts: role → answers aligned with the input rows (``None`` or "" when absent).
        language: the theme's language, for the sentence template.
        redact: function applied to every quoted answer (PII masking).
        max_obstacles: how many distinct obstacles to list.
    """
    redact = redact or (lambda text: text)
    chosen: dict[str, Any] = {}
    sources: list[int] = []
    answered: set[int] = set()
    for role in ROLES:
        answers = parts.get(role)
        if answers is None:
            continue
        rows = [i for i in members if answers[i] is not None and normalize_text(answers[i])]
        if not rows:
            continue
        answered.update(rows)
        texts = [redact(normalize_text(answers[i])) for i in rows]
        typical = _typical(texts, language)
        order = np.argsort(-typical, kind="stable")
        if role != "obstacle":
            best = int(order[0])
            chosen[role] = {"text": texts[best], "row": rows[best]}
            sources.append(rows[best])
            continue
        obstacles: list[dict[str, Any]] = []
        seen: set[str] = set()
        for idx in order:
            key = " ".join(language_tools(language).content_tokens(texts[idx]))
            if key in seen:
                continue
            seen.add(key)
            obstacles.append({"text": texts[idx], "row": rows[idx]})
            sources.append(rows[idx])
            if len(obstacles) >= max_obstacles:
                break
        chosen["obstacles"] = obstacles
    if not chosen:
        return None
    situation, motivation, outcome, comma, stop = TEMPLATES.get(language, TEMPLATES["en"])
    pieces = []
    if "situation" in chosen:
        pieces.append(situation.format(situation=_clean(chosen["situation"]["text"], "situation")))
    if "motivation" in chosen:
        pieces.append(
            motivation.format(motivation=_clean(chosen["motivation"]["text"], "motivation"))
        )
    if "outcome" in chosen:
        pieces.append(outcome.format(outcome=_clean(chosen["outcome"]["text"], "outcome")))
    statement = comma.join(pieces) + stop if pieces else None
    if statement:
        statement = statement[0].upper() + statement[1:]
    return {
        "statement": statement,
        "language": language if language in TEMPLATES else "en",
        "situation": chosen.get("situation"),
        "motivation": chosen.get("motivation"),
        "outcome": chosen.get("outcome"),
        "obstacles": chosen.get("obstacles", []),
        "sources": sorted(set(sources)),
        "n_respondents": len(answered),
    }
