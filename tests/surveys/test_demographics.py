"""Demographic presets always let people decline, and load into a definition."""

from __future__ import annotations

import pytest

from surveys import PREFER_NOT_TO_SAY, Question, validate_answers
from surveys import demographics as d
from tests.surveys.helpers import make

AREAS = [("north", {"en": "North", "es": "Norte", "ar": "الشمال", "fr": "Nord"})]
PRESETS = [
    d.age_band(),
    d.gender(),
    d.race_ethnicity(),
    d.area(AREAS),
    d.home_language(),
    d.household(),
]


@pytest.mark.parametrize("preset", PRESETS, ids=lambda p: p.code)
def test_demographic_preset_offers_prefer_not_to_say(preset: Question) -> None:
    option = preset.option(PREFER_NOT_TO_SAY)
    assert option is not None and option.is_exclusive
    assert preset.analysis_role == "demographic"
    assert preset.dimension is not None


@pytest.mark.parametrize("preset", PRESETS, ids=lambda p: p.code)
def test_demographic_preset_translated_in_every_preset_language(preset: Question) -> None:
    for text in [preset.label, *(o.label for o in preset.options)]:
        assert set(text) == set(d.PRESET_LANGUAGES)


def test_demographic_presets_load_into_a_definition_restricted_to_languages() -> None:
    questions = [
        d.age_band(languages=("en", "es")),
        d.race_ethnicity(languages=("en", "es")),
        d.area(AREAS, languages=("en", "es")),
        d.gender(languages=("en", "es")),
        d.home_language(languages=("en", "es")),
        d.household(languages=("en", "es")),
    ]
    survey = make([x.to_dict() for x in questions])
    assert survey.question("race_ethnicity").label == {
        "en": "How would you describe your race or ethnicity?",
        "es": "¿Cómo describiría su raza u origen étnico?",
    }
    result = validate_answers(
        survey,
        {
            "race_ethnicity": ["black", "self_describe"],
            "race_ethnicity__other": "Afro-Latina",
            "gender": PREFER_NOT_TO_SAY,
            "home_language": [PREFER_NOT_TO_SAY, "es"],
        },
    )
    assert [(e.code, e.question) for e in result.errors] == [("exclusive_choice", "home_language")]
    assert result.answers["race_ethnicity__other"] == "Afro-Latina"
