"""Engage text analysis: themes in open-ended feedback, and the statistics around them.

Framework-free (scikit-learn, NLTK code, stopwordsiso, vaderSentiment); never imports
Flask or the web app. The public API::

    from analysis import ThemeFinder, mask_pii
    finder = ThemeFinder(random_state=0).fit(texts, languages)
    finder.labels_, finder.themes_, finder.predict(new_texts, new_languages)
    finder.to_dict()  # {"themes": [...], "assignments": [...], "meta": {...}}
    data = finder.to_bytes()  # versioned .npz archive, no pickle
    ThemeFinder.from_bytes(data, encoder=None)  # raises IncompatibleModel (with a code)

and :mod:`analysis.stats` for disaggregation with small-cell suppression, weighting and
opportunity scores.
"""

from analysis._persist import FORMAT_VERSION as MODEL_FORMAT_VERSION
from analysis._persist import MODEL_ERRORS, IncompatibleModel, check_model
from analysis._pii import mask_pii
from analysis._preprocess import normalize_text
from analysis._vectorize import Encoder, SentenceEncoder, default_model_path, semantic_available
from analysis.themes import UNASSIGNED, Theme, ThemeFinder

__all__ = [
    "MODEL_ERRORS",
    "MODEL_FORMAT_VERSION",
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
]
