"""ThemeFinder: clustering quality on clear fixtures, languages, set-asides, determinism,
prediction, descriptions and serialisation."""

from __future__ import annotations

import json

import numpy as np
import pytest

from analysis import UNASSIGNED, ThemeFinder


def leaf_labels(finder: ThemeFinder) -> list[int]:
    return [int(x) for x in finder.labels_]


def test_themefinder_init_only_stores_parameters() -> None:
    finder = ThemeFinder(4, backend="auto", random_state=3)
    assert vars(finder)["n_themes"] == 4
    assert not any(name.endswith("_") for name in vars(finder))


def test_themefinder_three_topics_high_purity(english_feedback, purity_of) -> None:
    texts, topics = english_feedback
    finder = ThemeFinder(3, random_state=0).fit(texts)
    assert finder.meta_["n_themes"] == 3
    assert purity_of(leaf_labels(finder), topics) >= 0.9


def test_themefinder_chooses_number_of_themes(english_feedback, purity_of) -> None:
    texts, topics = english_feedback
    finder = ThemeFinder(random_state=0).fit(texts)
    assert 2 <= finder.meta_["n_themes"] <= 6
    assert purity_of(leaf_labels(finder), topics) >= 0.85
    assert finder.meta_["languages"]["en"]["choice"]["criterion"].startswith("silhouette")


def test_themefinder_labels_use_topic_words(english_feedback) -> None:
    texts, _ = english_feedback
    finder = ThemeFinder(3, random_state=0).fit(texts)
    labels = " ".join(t.label + " " + " ".join(t.keywords) for t in finder.themes_)
    for word in ("bus", "rent", "park"):
        assert word in labels
    # Surface forms as residents wrote them, not stems ("families", never "famili").
    words = set(labels.split())
    assert "famili" not in words and "apart" not in words
    assert "families" in words or "apartment" in words


def test_themefinder_arabic_topics_separate(arabic_feedback, purity_of) -> None:
    texts, topics = arabic_feedback
    finder = ThemeFinder(2, random_state=0).fit(texts, ["ar"] * len(texts))
    assert purity_of(leaf_labels(finder), topics) >= 0.9
    theme = finder.themes_[0]
    assert theme.language == "ar"
    assert theme.sentiment is None and "ar" in theme.sentiment_unavailable
    words = " ".join(" ".join(t.keywords) for t in finder.themes_)
    assert "الإيجار" in words or "الحافلة" in words


def test_themefinder_chinese_without_spaces(chinese_feedback, purity_of) -> None:
    texts, topics = chinese_feedback
    finder = ThemeFinder(2, random_state=0).fit(texts, ["zh-Hans"] * len(texts))
    assert purity_of(leaf_labels(finder), topics) >= 0.9
    keywords = " ".join(" ".join(t.keywords) for t in finder.themes_)
    assert "房租" in keywords and "公交" in keywords


def test_themefinder_themes_stay_within_language(english_feedback, arabic_feedback) -> None:
    en, _ = english_feedback
    ar, _ = arabic_feedback
    texts = en + ar
    languages = ["en"] * len(en) + ["ar"] * len(ar)
    finder = ThemeFinder(2, random_state=0).fit(texts, languages)
    language_of = {t.id: t.language for t in finder.themes_}
    for label, language in zip(finder.labels_, languages, strict=True):
        assert language_of[int(label)] == language
    assert set(finder.meta_["languages"]) == {"en", "ar"}


def test_themefinder_sets_aside_non_informative_answers(english_feedback) -> None:
    texts, _ = english_feedback
    junk = ["n/a", "No", "—", "", None, "  ", "nothing", "N/A.", "idk"]
    finder = ThemeFinder(3, random_state=0).fit(texts + junk)
    assert all(x == UNASSIGNED for x in finder.labels_[len(texts) :])
    assert all(x != UNASSIGNED for x in finder.labels_[: len(texts)])
    assert finder.status_[-5] == "empty" and finder.status_[-9] == "non_informative"
    assert finder.meta_["set_aside"] == {"non_informative": 6, "empty": 3}
    assert sum(t.size for t in finder.themes_ if t.parent is None) == len(texts)
    result = finder.to_dict()
    assert result["assignments"][len(texts) :] == [None] * len(junk)


def test_themefinder_same_seed_same_themes(english_feedback) -> None:
    texts, _ = english_feedback
    first = ThemeFinder(random_state=7).fit(texts).to_dict()
    second = ThemeFinder(random_state=7).fit(texts).to_dict()
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)


def test_themefinder_predict_places_new_text(english_feedback) -> None:
    texts, topics = english_feedback
    finder = ThemeFinder(3, random_state=0).fit(texts)
    theme_of_topic = {
        topic: int(
            np.bincount(
                [x for x, t in zip(finder.labels_, topics, strict=True) if t == topic]
            ).argmax()
        )
        for topic in range(3)
    }
    new = [
        "The number 12 bus was late again and I missed my appointment",
        "Our rent doubled and the landlord will not talk to us",
        "The playground slide is broken and unsafe",
        "n/a",
    ]
    predicted = finder.predict(new)
    assert list(predicted) == [theme_of_topic[0], theme_of_topic[1], theme_of_topic[2], -1]
    assert finder.predict(["El autobús llega tarde"], ["es"])[0] == -1  # no Spanish themes


def test_themefinder_predict_requires_fit() -> None:
    with pytest.raises(RuntimeError):
        ThemeFinder().predict(["hello"])


def test_themefinder_saves_as_data_and_predicts(english_feedback) -> None:
    texts, _ = english_feedback
    finder = ThemeFinder(3, random_state=0).fit(texts)
    restored = ThemeFinder.from_bytes(finder.to_bytes())
    new = ["buses are late", "rent is too high", "fix the playground"]
    assert list(restored.predict(new)) == list(finder.predict(new))


def test_themefinder_masks_pii_in_quotes_and_analysis(english_feedback) -> None:
    texts, _ = english_feedback
    texts = [*texts, "Call me at 555-123-4567 or mail jo@example.org, the bus is always late"]
    finder = ThemeFinder(3, random_state=0).fit(texts)
    assert "555" not in finder.redacted_[-1] and "jo@example.org" not in finder.redacted_[-1]
    assert "[PHONE]" in finder.redacted_[-1] and "[EMAIL]" in finder.redacted_[-1]
    dumped = json.dumps(finder.to_dict())
    assert "jo@example.org" not in dumped and "4567" not in dumped
    assert finder.meta_["pii_masked"] == {"phone": 1, "email": 1}
    assert not any("phone" in k or "email" in k for t in finder.themes_ for k in t.keywords)


def test_themefinder_representatives_are_distinct_members(english_feedback) -> None:
    texts, _ = english_feedback
    texts = texts + ["The bus is always late in the morning!"] * 5  # near-duplicates
    finder = ThemeFinder(3, random_state=0).fit(texts)
    assert finder.meta_["n_duplicates"] >= 5
    for theme in finder.themes_:
        quotes = [r["text"].lower().strip("!. ") for r in theme.representatives]
        assert 3 <= len(quotes) <= 5
        assert len(set(quotes)) == len(quotes)
        for rep in theme.representatives:
            assert finder.labels_[rep["row"]] == theme.id
            assert finder.redacted_[rep["row"]] == rep["text"]


def test_themefinder_english_sentiment(english_feedback) -> None:
    texts, _ = english_feedback
    finder = ThemeFinder(3, random_state=0).fit(texts)
    for theme in finder.themes_:
        assert theme.sentiment is not None and theme.sentiment["method"] == "vader"
        shares = theme.sentiment["positive"] + theme.sentiment["neutral"]
        assert shares + theme.sentiment["negative"] == pytest.approx(1.0)


def test_themefinder_to_dict_contract(english_feedback) -> None:
    texts, _ = english_feedback
    finder = ThemeFinder(3, random_state=0).fit(texts)
    result = json.loads(json.dumps(finder.to_dict()))
    assert set(result) == {"themes", "assignments", "meta"}
    assert len(result["assignments"]) == len(texts)
    ids = {t["id"] for t in result["themes"]}
    assert set(result["assignments"]) <= ids
    for theme in result["themes"]:
        assert {"id", "label", "keywords", "size", "representatives", "job", "sentiment"} <= set(
            theme
        )
    assert sum(t["size"] for t in result["themes"]) == len(texts)
    assert sum(t["share"] for t in result["themes"]) == pytest.approx(1.0, abs=1e-3)


def test_themefinder_two_levels_when_many_fine_themes(english_feedback) -> None:
    texts, _ = english_feedback
    finder = ThemeFinder(random_state=0, max_themes=2, max_subthemes=6).fit(texts * 3)
    top = [t for t in finder.themes_ if t.parent is None]
    subs = [t for t in finder.themes_ if t.parent is not None]
    # max_themes is no cap: unrelated themes stay apart (see test_levels.py), and a
    # top-level theme with sub-themes has at least two.
    assert all(len(t.subthemes) != 1 for t in top)
    if subs:  # leaves are what items are assigned to; parents sum their children
        for parent in (t for t in top if t.subthemes):
            children = [finder.themes_[i] for i in parent.subthemes]
            assert parent.size == sum(c.size for c in children)
            assert all(c.parent == parent.id for c in children)
        assert set(map(int, finder.labels_)) <= {t.id for t in finder.themes_ if not t.subthemes}


def test_themefinder_reports_progress(english_feedback) -> None:
    texts, _ = english_feedback
    seen: list[tuple[str, float]] = []
    ThemeFinder(3, random_state=0).fit(texts, progress=lambda s, f: seen.append((s, f)))
    fractions = [f for _, f in seen]
    assert fractions == sorted(fractions) and fractions[0] == 0.0 and fractions[-1] == 1.0
    assert any(stage == "themes:en" for stage, _ in seen)


def test_themefinder_rejects_misaligned_languages(english_feedback) -> None:
    texts, _ = english_feedback
    with pytest.raises(ValueError):
        ThemeFinder().fit(texts, ["en"])


def test_themefinder_semantic_backend_with_injected_encoder(english_feedback, purity_of) -> None:
    """The semantic path (embeddings joined with lexical vectors, cross-language links)
    works with any encoder; here a fake one that knows the topics by keyword."""
    texts, topics = english_feedback

    class KeywordEncoder:
        def encode(self, batch: list[str]) -> np.ndarray:
            keys = (("bus", "حافل"), ("rent", "landlord", "إيجار", "مالك"), ("park", "play"))
            out = np.zeros((len(batch), 4))
            for i, text in enumerate(batch):
                hits = [j for j, words in enumerate(keys) if any(w in text.lower() for w in words)]
                out[i, hits[0] if hits else 3] = 1.0
            return out

    ar = ["الحافلة متأخرة دائما", "الحافلة مزدحمة", "الإيجار مرتفع", "المالك رفع الإيجار"] * 4
    finder = ThemeFinder(
        3, backend="semantic", encoder=KeywordEncoder(), encoder_languages="*", random_state=0
    ).fit(texts + ar, ["en"] * len(texts) + ["ar"] * len(ar))
    assert purity_of(leaf_labels(finder)[: len(texts)], topics) >= 0.95
    assert all(v["backend"] == "semantic" for v in finder.meta_["languages"].values())
    en_bus = finder.themes_[int(finder.labels_[0])]
    ar_bus = finder.themes_[int(finder.labels_[len(texts)])]
    assert ar_bus.id in en_bus.linked and en_bus.id in ar_bus.linked


def test_themefinder_auto_backend_keeps_unsuited_languages_lexical(arabic_feedback) -> None:
    texts, _ = arabic_feedback

    class Encoder:
        def encode(self, batch: list[str]) -> np.ndarray:
            raise AssertionError("the English-only encoder must not see Arabic")

    finder = ThemeFinder(2, backend="auto", encoder=Encoder(), encoder_languages=["en"])
    finder.fit(texts, ["ar"] * len(texts))
    assert finder.meta_["languages"]["ar"]["backend"] == "tfidf"
