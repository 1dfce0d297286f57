"""Survey content translation: fallback, completeness, flattening and applying."""

from __future__ import annotations

import pytest

from surveys import apply_translations, completeness, flatten_texts, missing_translations
from surveys.i18n import (
    UnknownTranslationKeys,
    offered_languages,
    source_texts,
    text_direction,
    text_for,
    text_groups,
    translation_table,
)
from tests.surveys.helpers import make, opt, q


@pytest.mark.parametrize(
    ("localized", "lang", "fallback", "expected"),
    [
        ({"en": "Yes", "es": "Sí"}, "es", "en", ("Sí", "es")),
        ({"en": "Yes", "es": "Sí"}, "es-MX", "en", ("Sí", "es")),
        ({"en": "Yes", "es": "Sí"}, "ar", "en", ("Yes", "en")),
        ({"en": "Yes", "ar": "  "}, "ar", "en", ("Yes", "en")),
        ({"fr": "Oui", "en": "Yes"}, "ar", ["es", "fr"], ("Oui", "fr")),
        ({"vi": "Có"}, "ar", "en", ("Có", "vi")),
        ({}, "ar", "en", ("", "ar")),
    ],
)
def test_text_for_falls_back_and_says_which_language(
    localized: dict[str, str], lang: str, fallback: str | list[str], expected: tuple[str, str]
) -> None:
    assert text_for(localized, lang, fallback) == expected


@pytest.mark.parametrize(
    ("lang", "direction"), [("ar", "rtl"), ("ar-EG", "rtl"), ("fa", "rtl"), ("en", "ltr")]
)
def test_text_direction_for_language(lang: str, direction: str) -> None:
    assert text_direction(lang) == direction


def survey():  # type: ignore[no-untyped-def]
    return make(
        [
            q("area", "single_choice", label={"en": "Area", "es": "Zona"},
              options=[opt("north", "North"), opt("south", "South")],
              help={"en": "Where you live"}),
            q("imp", "scale", label={"en": "Importance", "es": "Importancia"},
              point_labels={"0": {"en": "Not at all"}, "10": {"en": "Very", "es": "Mucho"}}),
            q("grid", "matrix", label={"en": "Places", "es": "Lugares"},
              rows=[opt("park", "Park")], options=[opt("good", "Good")]),
        ]
    )  # fmt: skip


def test_flatten_texts_uses_stable_keys() -> None:
    assert list(flatten_texts(survey())) == [
        "title",
        "questions.area.label",
        "questions.area.help",
        "questions.area.options.north",
        "questions.area.options.south",
        "questions.imp.label",
        "questions.imp.points.0",
        "questions.imp.points.10",
        "questions.grid.label",
        "questions.grid.options.good",
        "questions.grid.rows.park",
    ]
    assert source_texts(survey())["questions.area.options.north"] == "North"


def test_completeness_lists_missing_keys_per_language() -> None:
    report = completeness(survey())
    assert report["en"].is_complete
    assert report["es"].total == 11
    assert report["es"].translated == 5
    assert report["es"].missing == (
        "questions.area.help",
        "questions.area.options.north",
        "questions.area.options.south",
        "questions.imp.points.0",
        "questions.grid.options.good",
        "questions.grid.rows.park",
    )
    assert report["es"].ratio == pytest.approx(5 / 11)


def test_apply_translations_fills_texts_and_adds_language() -> None:
    translated = apply_translations(
        survey(),
        "ar",
        {"title": "استبيان", "questions.area.options.north": "الشمال", "questions.area.help": " "},
    )
    assert translated.languages == ("en", "es", "ar")
    assert translated.title["ar"] == "استبيان"
    assert translated.question("area").option("north").label["ar"] == "الشمال"
    assert "ar" not in translated.question("area").help
    assert missing_translations(translated, "ar")[0] == "questions.area.label"


def test_apply_translations_round_trips_a_translation_table() -> None:
    original = survey()
    table = translation_table(original)
    assert table[0] == {"key": "title", "en": "Test survey", "es": "Encuesta de prueba"}
    spanish = {row["key"]: f"ES {row['en']}" for row in table}
    translated = apply_translations(original, "es", spanish)
    assert completeness(translated)["es"].is_complete


def test_apply_translations_rejects_unknown_keys_without_changes() -> None:
    with pytest.raises(UnknownTranslationKeys) as info:
        apply_translations(survey(), "es", {"title": "x", "questions.gone.label": "y"})
    assert info.value.keys == ("questions.gone.label",)


def test_thank_you_text_is_translatable_and_comes_last() -> None:
    definition = make([q("area", "short_text")], thank_you={"en": "Thanks", "es": "Gracias"})
    keys = list(flatten_texts(definition))
    assert keys[-1] == "thank_you"
    translated = apply_translations(definition, "ar", {"thank_you": "شكرا"})
    assert translated.thank_you == {"en": "Thanks", "es": "Gracias", "ar": "شكرا"}


def test_text_groups_follow_the_survey_page_by_page() -> None:
    definition = make(
        [q("area", "single_choice", options=[opt("north")], help={"en": "Where"})],
        [q("story", "long_text")],
        description={"en": "About"},
        thank_you={"en": "Thanks"},
    )
    groups = [(g.kind, g.name, g.page, [f.key for f in g.fields]) for g in text_groups(definition)]
    assert groups == [
        ("survey", "test", "", ["title", "description"]),
        ("page", "p1", "", []),
        ("question", "area", "p1", [
            "questions.area.label", "questions.area.help", "questions.area.options.north",
        ]),
        ("page", "p2", "", []),
        ("question", "story", "p2", ["questions.story.label"]),
        ("end", "", "", ["thank_you"]),
    ]  # fmt: skip
    option = text_groups(definition)[2].fields[2]
    assert (option.kind, option.name, option.text) == ("option", "north", {"en": "North"})


def test_apply_translations_can_erase_blank_texts_for_an_editor() -> None:
    original = survey()
    kept = apply_translations(original, "es", {"title": ""})
    assert kept.title["es"] == "Encuesta de prueba"
    erased = apply_translations(original, "es", {"title": "  "}, erase_blank=True)
    assert erased.title == {"en": "Test survey"}
    assert erased.question("area").label["es"] == "Zona"


def test_apply_translations_refuses_the_source_language() -> None:
    with pytest.raises(ValueError):
        apply_translations(survey(), "en", {"title": "Other"})


def test_offered_languages_hold_back_incomplete_translations() -> None:
    partial = survey()
    assert offered_languages(partial) == ("en",)
    spanish = {row["key"]: f"ES {row['en']}" for row in translation_table(partial)}
    complete = apply_translations(partial, "es", spanish)
    assert offered_languages(complete) == ("en", "es")
    with_arabic = apply_translations(complete, "ar", {"title": "استبيان"})
    assert offered_languages(with_arabic) == ("en", "es")
