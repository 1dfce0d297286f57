"""A fitted ThemeFinder kept as data: the TF-IDF numbers, the archive, its version check."""

from __future__ import annotations

import io
import json
import pickle
import zipfile
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from analysis import (
    MODEL_FORMAT_VERSION,
    UNASSIGNED,
    IncompatibleModel,
    ThemeFinder,
    check_model,
)
from analysis._preprocess import language_tools
from analysis._vectorize import TfidfWeights, _identity_bigrams
from tests.analysis.test_levels import SUBTHEMES

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


# -- the archive ---------------------------------------------------------------------------

BUS_WORDS = ("bus", "حافلة", "الحافلة", "公交")
RENT_WORDS = ("rent", "landlord", "إيجار", "الإيجار", "房租")


class TopicEncoder:
    """A deterministic stand-in for a sentence encoder: one dimension per topic."""

    name = "topic test encoder"

    def __init__(self, extra_dimensions: int = 0):
        self.extra = extra_dimensions

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), 3 + self.extra), dtype=np.float32)
        for row, text in enumerate(texts):
            lowered = text.lower()
            if any(w in lowered for w in BUS_WORDS):
                out[row, 0] = 1.0
            elif any(w in lowered for w in RENT_WORDS):
                out[row, 1] = 1.0
            else:
                out[row, 2] = 1.0
        return out


def _split(texts: list[str], every: int = 4) -> tuple[list[str], list[str]]:
    """Training texts, and every ``every``-th text held out."""
    held = [t for i, t in enumerate(texts) if i % every == 0]
    return [t for i, t in enumerate(texts) if i % every], held


def _members(data: bytes) -> dict[str, np.ndarray]:
    with np.load(io.BytesIO(data), allow_pickle=False) as archive:
        return {name: archive[name] for name in archive.files}


def _rewrite(data: bytes, change: Callable[[dict[str, Any]], None]) -> bytes:
    """The archive with its header JSON changed by ``change``."""
    members = _members(data)
    header = json.loads(members["header"].tobytes())
    change(header)
    members["header"] = np.frombuffer(json.dumps(header).encode(), dtype=np.uint8)
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **members)
    return buffer.getvalue()


@pytest.fixture
def multilingual_finder(english_feedback, arabic_feedback, chinese_feedback):
    """A lexical finder fitted on three languages, and the held-out texts and languages."""
    texts, languages, held, held_languages = [], [], [], []
    for language, (group, _) in (
        ("en", english_feedback),
        ("ar", arabic_feedback),
        ("zh", chinese_feedback),
    ):
        train, test = _split(group)
        texts += train
        languages += [language] * len(train)
        held += test
        held_languages += [language] * len(test)
    held += ["n/a", "", "Le bus est en retard"]
    held_languages += ["en", "en", "fr"]
    finder = ThemeFinder(random_state=0).fit(texts, languages)
    return finder, held, held_languages


def test_round_trip_predicts_the_same_assignments_on_held_out_text(multilingual_finder) -> None:
    finder, held, languages = multilingual_finder
    restored = ThemeFinder.from_bytes(finder.to_bytes())
    expected = finder.predict(held, languages)
    assert (expected != UNASSIGNED).sum() >= len(held) - 4  # most held-out texts are placed
    assert np.array_equal(restored.predict(held, languages), expected)
    assert restored.to_dict() == finder.to_dict()
    assert restored.meta_ == finder.meta_
    assert restored.status_ == finder.status_ and restored.languages_ == finder.languages_
    for language, model in finder._models.items():
        vectors = model.vectorizer.transform(held)
        assert np.array_equal(restored._models[language].vectorizer.transform(held), vectors)


def test_round_trip_keeps_parameters_and_two_level_themes(english_feedback) -> None:
    texts, _ = english_feedback
    # Two levels need related fine themes (here two about rent): copies of the same
    # answers made distinct by a suffix make near-duplicate fine themes that nothing joins.
    many = texts + [answer for subtheme in SUBTHEMES["en"] for answer in subtheme]
    finder = ThemeFinder(
        random_state=4, max_themes=3, sentiment=False, mask_pii=False, link_threshold=0.5
    ).fit(many)
    restored = ThemeFinder.from_bytes(finder.to_bytes())
    assert any(t.parent is not None for t in restored.themes_)
    assert restored.themes_ == finder.themes_
    for name in ("max_themes", "sentiment", "mask_pii", "link_threshold", "random_state"):
        assert getattr(restored, name) == getattr(finder, name), name
    assert np.array_equal(restored.predict(texts[:9]), finder.predict(texts[:9]))


def test_round_trip_keeps_the_bound_on_top_level_themes(english_feedback) -> None:
    texts, _ = english_feedback
    finder = ThemeFinder(random_state=4, max_themes=3, sentiment=False, max_top_level=2)
    restored = ThemeFinder.from_bytes(finder.fit(texts).to_bytes())
    assert restored.max_top_level == 2


def test_the_archive_is_an_npz_of_plain_arrays_without_pickles(multilingual_finder) -> None:
    finder, _, _ = multilingual_finder
    data = finder.to_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert all(name.endswith(".npy") for name in archive.namelist())
    members = _members(data)  # allow_pickle=False: an object array would not load
    assert {"header", "finder", "labels", "m0_centroids", "m0_chars_idf"} <= set(members)
    assert all(array.dtype.kind in "biuf" for array in members.values())
    header = json.loads(members["header"].tobytes().decode("utf-8"))
    assert header["format"] == "engage.analysis.ThemeFinder"
    assert header["format_version"] == MODEL_FORMAT_VERSION
    assert header["encoder"] is None
    assert check_model(data) == header
    body = json.loads(members["finder"].tobytes().decode("utf-8"))
    assert [m["language"] for m in body["models"]] == ["en", "ar", "zh"]
    # The training texts are not kept, only the themes' quotes.
    assert not hasattr(ThemeFinder.from_bytes(data), "redacted_")


def test_an_unfitted_finder_cannot_be_saved() -> None:
    with pytest.raises(RuntimeError):
        ThemeFinder().to_bytes()


@pytest.mark.parametrize(
    ("version", "code"), [(0, "model_format_outdated"), (2, "model_format_newer")]
)
def test_another_format_version_raises(multilingual_finder, version, code) -> None:
    finder, _, _ = multilingual_finder
    data = _rewrite(finder.to_bytes(), lambda header: header.update(format_version=version))
    for load in (ThemeFinder.from_bytes, check_model):
        with pytest.raises(IncompatibleModel) as raised:
            load(data)
        assert raised.value.code == code


def test_a_pickle_from_before_the_archive_format_is_outdated() -> None:
    with pytest.raises(IncompatibleModel) as raised:
        ThemeFinder.from_bytes(pickle.dumps({"a": "dict", "pickled": "by an older version"}))
    assert raised.value.code == "model_format_outdated"


def _other_archives(data: bytes) -> list[bytes]:
    buffer = io.BytesIO()
    np.save(buffer, np.arange(3))
    no_header = io.BytesIO()
    np.savez(no_header, labels=np.arange(3))
    return [
        bytes(np.random.RandomState(0).randint(0, 256, 4096, dtype=np.uint8)),
        b"",
        b"PK\x03\x04 not really a zip",
        data[: len(data) // 2],
        buffer.getvalue(),
        no_header.getvalue(),
        _rewrite(data, lambda header: header.update(format="something.else")),
        _rewrite(data, lambda header: header.update(format_version="1")),
    ]


def test_random_bytes_and_other_archives_raise_model_format_unknown(english_feedback) -> None:
    data = ThemeFinder(3, random_state=0).fit(english_feedback[0]).to_bytes()
    for blob in _other_archives(data):
        with pytest.raises(IncompatibleModel) as raised:
            ThemeFinder.from_bytes(blob)
        assert raised.value.code == "model_format_unknown", blob[:20]


def test_a_damaged_archive_of_the_right_version_raises(english_feedback) -> None:
    data = ThemeFinder(3, random_state=0).fit(english_feedback[0]).to_bytes()
    members = _members(data)
    members["m0_centroids"] = members["m0_centroids"][:, :-1]
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **members)
    with pytest.raises(IncompatibleModel) as raised:
        ThemeFinder.from_bytes(buffer.getvalue())
    assert raised.value.code == "model_format_unknown"


# -- the sentence encoder ----------------------------------------------------------------


@pytest.fixture
def semantic_finder(english_feedback, arabic_feedback):
    en, _ = english_feedback
    ar, _ = arabic_feedback
    train_en, held_en = _split(en)
    train_ar, held_ar = _split(ar)
    finder = ThemeFinder(backend="semantic", encoder=TopicEncoder(), random_state=0).fit(
        train_en + train_ar, ["en"] * len(train_en) + ["ar"] * len(train_ar)
    )
    assert finder.meta_["languages"]["ar"]["backend"] == "semantic"
    return finder, held_en + held_ar, ["en"] * len(held_en) + ["ar"] * len(held_ar)


def test_semantic_round_trip_with_the_same_encoder(semantic_finder) -> None:
    finder, held, languages = semantic_finder
    data = finder.to_bytes()
    header = check_model(data, encoder=TopicEncoder())
    assert header["encoder"]["name"] == "topic test encoder"
    assert header["encoder"]["dimension"] == 3
    restored = ThemeFinder.from_bytes(data, encoder=TopicEncoder())
    assert np.array_equal(restored.predict(held, languages), finder.predict(held, languages))
    assert restored.to_dict() == finder.to_dict()  # including the cross-language links
    assert any(t.linked for t in restored.themes_)


def test_the_encoder_must_be_the_one_the_themes_were_found_with(semantic_finder) -> None:
    finder, held, languages = semantic_finder
    data = finder.to_bytes()

    class OtherEncoder(TopicEncoder):
        name = "another encoder"

    for load in (ThemeFinder.from_bytes, check_model):
        with pytest.raises(IncompatibleModel) as raised:
            load(data, encoder=OtherEncoder())
        assert raised.value.code == "encoder_mismatch"
        with pytest.raises(IncompatibleModel) as raised:
            load(data)  # a custom encoder cannot be rebuilt from the archive
        assert raised.value.code == "encoder_unavailable"
    # Same name, other output: found out when it encodes.
    restored = ThemeFinder.from_bytes(data, encoder=TopicEncoder(extra_dimensions=2))
    with pytest.raises(IncompatibleModel) as raised:
        restored.predict(held, languages)
    assert raised.value.code == "encoder_mismatch"


def test_a_missing_sentence_transformers_model_directory_is_unavailable(
    semantic_finder, tmp_path
) -> None:
    finder, _, _ = semantic_finder

    def moved(header: dict[str, Any]) -> None:
        header["encoder"].update(
            kind="sentence-transformers", directory=str(tmp_path / "gone"), supplied=True
        )

    data = _rewrite(finder.to_bytes(), moved)
    with pytest.raises(IncompatibleModel) as raised:
        ThemeFinder.from_bytes(data)
    assert raised.value.code == "encoder_unavailable"
    assert "gone" in str(raised.value)
