"""Engage text analysis: themes in open-ended feedback, and the statistics around them.

Framework-free (scikit-learn, NLTK code, stopwordsiso, vaderSentiment); never imports
Flask or the web app. The public API::

    from analysis import ThemeFinder, mask_pii
    finder = ThemeFinder(random_state=0).fit(texts, languages)
    finder.labels_, finder.themes_, finder.predict(new_texts, new_languages)
    finder.to_dict()  # {"themes": [...], "assignments": [...], "meta": {...}}
    data = finder.to_bytes()  # versioned .npz archive, no pickle
    ThemeFinder.from_bytes(data, encoder=None)  # raises IncompatibleModel (with a code)
    sentiment_scores(texts, language)  # one score per answer, or None: language not covered

and :mod:`analysis.stats` for disaggregation with small-cell suppression, weighting and
opportunity scores.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# Imported on first use (PEP 562): ``from analysis import mask_pii`` loads the masking
# module alone, not scikit-learn, so a web worker that only masks and counts starts in a
# fraction of the time.
_WHERE = {
    "MODEL_FORMAT_VERSION": ("analysis._persist", "FORMAT_VERSION"),
    "MODEL_ERRORS": ("analysis._persist", "MODEL_ERRORS"),
    "IncompatibleModel": ("analysis._persist", "IncompatibleModel"),
    "check_model": ("analysis._persist", "check_model"),
    "mask_pii": ("analysis._pii", "mask_pii"),
    "normalize_text": ("analysis._preprocess", "normalize_text"),
    "Encoder": ("analysis._vectorize", "Encoder"),
    "SentenceEncoder": ("analysis._vectorize", "SentenceEncoder"),
    "default_model_path": ("analysis._vectorize", "default_model_path"),
    "semantic_available": ("analysis._vectorize", "semantic_available"),
    "SENTIMENT_NEGATIVE": ("analysis._sentiment", "NEGATIVE_THRESHOLD"),
    "SENTIMENT_POSITIVE": ("analysis._sentiment", "POSITIVE_THRESHOLD"),
    "sentiment_scores": ("analysis._sentiment", "sentiment_scores"),
    "sentiment_supported": ("analysis._sentiment", "sentiment_supported"),
    "UNASSIGNED": ("analysis.themes", "UNASSIGNED"),
    "Theme": ("analysis.themes", "Theme"),
    "ThemeFinder": ("analysis.themes", "ThemeFinder"),
}

if TYPE_CHECKING:
    from analysis._persist import FORMAT_VERSION as MODEL_FORMAT_VERSION
    from analysis._persist import MODEL_ERRORS, IncompatibleModel, check_model
    from analysis._pii import mask_pii
    from analysis._preprocess import normalize_text
    from analysis._sentiment import NEGATIVE_THRESHOLD as SENTIMENT_NEGATIVE
    from analysis._sentiment import POSITIVE_THRESHOLD as SENTIMENT_POSITIVE
    from analysis._sentiment import sentiment_scores, sentiment_supported
    from analysis._vectorize import (
        Encoder,
        SentenceEncoder,
        default_model_path,
        semantic_available,
    )
    from analysis.themes import UNASSIGNED, Theme, ThemeFinder


def __getattr__(name: str) -> Any:
    try:
        module, attribute = _WHERE[name]
    except KeyError:
        raise AttributeError(f"module 'analysis' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value
    return value


__all__ = [
    "MODEL_ERRORS",
    "MODEL_FORMAT_VERSION",
    "SENTIMENT_NEGATIVE",
    "SENTIMENT_POSITIVE",
    "UNASSIGNED",
    "Encoder",
    "IncompatibleModel",
    "SentenceEncoder",
    "Theme",
    "ThemeFinder",
    "check_model",
    "default_model_path",
    "mask_pii",
    "normalize_text",
    "semantic_available",
    "sentiment_scores",
    "sentiment_supported",
]
