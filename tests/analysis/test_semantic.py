"""The semantic backend with the real bundled model. Skips only without sentence-transformers."""

from __future__ import annotations

import os

import numpy as np
import pytest

if os.environ.get("ENGAGE_REQUIRE_SEMANTIC", "") in ("", "0"):
    pytest.importorskip("sentence_transformers")
else:  # CI installs the semantic extra: its absence is a failure, not a skip
    import sentence_transformers  # noqa: F401
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from analysis import IncompatibleModel, SentenceEncoder, ThemeFinder, check_model


@pytest.fixture(scope="module")
def encoder() -> SentenceEncoder:
    return SentenceEncoder()


def test_sentence_encoder_loads_bundled_model_offline(encoder: SentenceEncoder) -> None:
    vectors = encoder.encode(["The bus is late", "The bus never comes on time", "Rent is high"])
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]


def test_semantic_backend_clusters_paraphrases(english_feedback, purity_of, encoder) -> None:
    texts, topics = english_feedback
    finder = ThemeFinder(3, backend="semantic", encoder=encoder, random_state=0).fit(texts)
    assert finder.meta_["languages"]["en"]["backend"] == "semantic"
    assert purity_of([int(x) for x in finder.labels_], topics) >= 0.9
    predicted = finder.predict(["My landlord wants more money every month"])
    rent_theme = int(
        np.bincount([x for x, t in zip(finder.labels_, topics, strict=True) if t == 1]).argmax()
    )
    assert predicted[0] == rent_theme


def test_auto_backend_uses_bundled_model_for_english_only(
    english_feedback, arabic_feedback
) -> None:
    en, _ = english_feedback
    ar, _ = arabic_feedback
    finder = ThemeFinder(2, backend="auto", random_state=0).fit(
        en + ar, ["en"] * len(en) + ["ar"] * len(ar)
    )
    assert finder.meta_["languages"]["en"]["backend"] == "semantic"
    assert finder.meta_["languages"]["ar"]["backend"] == "tfidf"


def test_semantic_backend_is_deterministic(english_feedback, encoder) -> None:
    texts, _ = english_feedback
    runs = [
        ThemeFinder(backend="semantic", encoder=encoder, random_state=5).fit(texts).to_dict()
        for _ in range(2)
    ]
    assert runs[0] == runs[1]


def test_semantic_finder_saved_as_data_predicts_the_same(english_feedback, encoder) -> None:
    texts, _ = english_feedback
    train = [t for i, t in enumerate(texts) if i % 4]
    held = [t for i, t in enumerate(texts) if i % 4 == 0]
    held += ["My landlord wants more money every month", "The swings are broken"]
    finder = ThemeFinder(3, backend="semantic", random_state=0).fit(train)  # bundled model
    data = finder.to_bytes()
    header = check_model(data)
    assert header["encoder"]["name"] == "all-MiniLM-L6-v2"
    assert header["encoder"]["dimension"] == 384
    expected = finder.predict(held)
    # Loaded again from the bundled model directory, or given the same encoder.
    assert np.array_equal(ThemeFinder.from_bytes(data).predict(held), expected)
    assert np.array_equal(ThemeFinder.from_bytes(data, encoder=encoder).predict(held), expected)
    with pytest.raises(IncompatibleModel) as raised:
        ThemeFinder.from_bytes(data, encoder=SentenceEncoder("/models/another-model"))
    assert raised.value.code == "encoder_mismatch"
