"""Result objects: a theme, and what ``predict`` keeps per language."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from analysis._vectorize import LexicalVectorizer


@dataclass
class Theme:
    """One theme (top-level or sub-theme). ``to_dict()`` gives its JSON form."""

    id: int
    language: str
    label: str
    keywords: list[str]
    size: int
    share: float
    representatives: list[dict[str, Any]]
    sentiment: dict[str, Any] | None
    sentiment_unavailable: str | None = None
    job: dict[str, Any] | None = None
    # "phrase": shared by two or more of its answers; "answer": a span of one answer (no
    # phrase is shared); "keywords": no answer has two words to make a label of.
    label_source: str = "phrase"
    parent: int | None = None
    subthemes: list[int] = field(default_factory=list)
    linked: list[int] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "label_source": self.label_source,
            "keywords": self.keywords,
            "size": self.size,
            "share": round(self.share, 4),
            "language": self.language,
            "representatives": self.representatives,
            "job": self.job,
            "sentiment": self.sentiment,
            "sentiment_unavailable": self.sentiment_unavailable,
            "parent": self.parent,
            "subthemes": self.subthemes,
            "linked": self.linked,
        }


@dataclass
class _LanguageModel:
    """What ``predict`` needs for one language."""

    vectorizer: LexicalVectorizer
    semantic: bool
    centroids: np.ndarray  # one unit row per leaf theme
    leaf_ids: np.ndarray  # theme id of each centroid row
    choice: dict[str, Any] | None
