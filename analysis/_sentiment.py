"""Sentiment, only where a maintained lexicon that ships its data covers the language.

VADER (``vaderSentiment``) ships its English lexicon. No such package covers the other
languages Engage is used in without a download, so their themes carry ``None`` and the
reason, rather than a score from a lexicon that does not fit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

POSITIVE_THRESHOLD = 0.05  # VADER's own thresholds on the compound score:
NEGATIVE_THRESHOLD = -0.05  # positive ≥ 0.05, negative ≤ −0.05, neutral between
_POSITIVE = POSITIVE_THRESHOLD
_NEGATIVE = NEGATIVE_THRESHOLD


class VaderSentiment:
    """English sentiment with VADER's compound score (−1 … 1)."""

    languages = frozenset({"en"})
    name = "vader"

    def __init__(self) -> None:
        self._analyzer: Any = None

    def __getstate__(self) -> dict[str, Any]:
        return {"_analyzer": None}

    def supports(self, language: str) -> bool:
        return language in self.languages and _vader_installed()

    def unsupported_reason(self, language: str) -> str:
        if language in self.languages:
            return "vaderSentiment is not installed"
        return (
            f"no maintained sentiment lexicon that ships its data covers language {language!r}"
            " (VADER covers English only)"
        )

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        # Imported here: the web app reads the thresholds without loading NumPy or NLTK.
        import numpy as np

        from analysis._preprocess import strip_placeholders

        if self._analyzer is None:
            from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

            self._analyzer = SentimentIntensityAnalyzer()
        polarity = self._analyzer.polarity_scores
        return np.array([polarity(strip_placeholders(t))["compound"] for t in texts])


def _vader_installed() -> bool:
    try:
        import vaderSentiment  # noqa: F401
    except ImportError:
        return False
    return True


_DEFAULT_SCORER = VaderSentiment()


def _base_language(language: str) -> str:
    return language.replace("_", "-").split("-", 1)[0].lower()


def sentiment_supported(language: str) -> bool:
    """Whether :func:`sentiment_scores` scores answers in ``language`` (English only)."""
    return _DEFAULT_SCORER.supports(_base_language(language))


def sentiment_scores(texts: Sequence[str], language: str) -> list[float] | None:
    """Each text's compound score (−1 … 1, VADER's, rounded to 4 places), or ``None``
    when no lexicon covers ``language``: an answer there has no score, rather than a
    score from a lexicon that does not fit.

    Masking placeholders ("[PHONE]") are left out of the scoring.
    """
    if not sentiment_supported(language):
        return None
    if not texts:
        return []
    return [round(float(score), 4) for score in _DEFAULT_SCORER.scores(texts)]


def summarise(scores: np.ndarray, method: str) -> dict[str, Any]:
    """Mean compound score and the shares of positive, neutral and negative answers."""
    import numpy as np

    n = len(scores)
    if n == 0:
        return {
            "method": method,
            "n_scored": 0,
            "mean": None,
            "positive": None,
            "neutral": None,
            "negative": None,
        }
    positive = float(np.mean(scores >= _POSITIVE))
    negative = float(np.mean(scores <= _NEGATIVE))
    return {
        "method": method,
        "n_scored": n,
        "mean": round(float(np.mean(scores)), 4),
        "positive": round(positive, 4),
        "neutral": round(1.0 - positive - negative, 4),
        "negative": round(negative, 4),
    }
