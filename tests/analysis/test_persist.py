"""A fitted ThemeFinder kept as data: the TF-IDF numbers, the archive, its version check."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from analysis._preprocess import language_tools
from analysis._vectorize import TfidfWeights, _identity_bigrams

NEW_TEXTS = [
    "buses are late again",
    "the rent is far too high",
    "fix the playground swings",
    "nothing here matches any word zzz",
    "",
]


@pytest.mark.parametrize(
    ("language", "settings"),
    [
        ("en", {"analyzer": _identity_bigrams, "sublinear_tf": True}),
        ("en", {"analyzer": "char_wb", "ngram_range": (3, 5), "sublinear_tf": True}),
        ("zh", {"analyzer": "char", "ngram_range": (1, 2), "sublinear_tf": True}),
        ("en", {"analyzer": "char"}),  # the fallback when no n-gram survives min_df
    ],
)
def test_tfidf_weights_transform_exactly_as_the_fitted_vectorizer(
    english_feedback, chinese_feedback, language, settings
) -> None:
    texts = (english_feedback if language == "en" else chinese_feedback)[0]
    tools = language_tools(language)
    prepare = tools.content_tokens if settings["analyzer"] is _identity_bigrams else tools.char_text
    fitted = TfidfVectorizer(dtype=np.float32, **settings).fit([prepare(t) for t in texts])
    weights = TfidfWeights.from_fitted(fitted)
    docs = [prepare(t) for t in NEW_TEXTS + texts[:5]]
    expected = fitted.transform(docs)
    got = weights.transform(docs)
    assert got.dtype == expected.dtype == np.float32
    assert np.array_equal(got.toarray(), expected.toarray())
