"""``${code}`` in labels: an earlier answer shown in the resident's language."""

from __future__ import annotations

from surveys import SurveyDefinition
from surveys.piping import UNANSWERED, pipe, references
from tests.surveys.helpers import definition_dict, opt, q


def _survey() -> SurveyDefinition:
    options = [opt("bus", "Bus"), opt("walk", "Walk")]
    return SurveyDefinition.from_dict(
        definition_dict(
            [
                q("name", "short_text"),
                q("ways", "multiple_choice", options=options),
                q("ok", "consent"),
                q("grid", "matrix", rows=[opt("a")], options=[opt("x")]),
            ]
        )
    )


def test_answers_fill_references_in_the_residents_language():
    survey = _survey()
    answers = {"name": "Ana", "ways": ["bus", "walk"], "ok": True, "grid": {"a": "x"}}
    text = "${name}: ${ways} ${ok} ${grid} ${later} ${unknown"
    assert (
        pipe(text, survey, answers, "en") == f"Ana: Bus, Walk ✓ {UNANSWERED} ${{later}} ${{unknown"
    )
    assert pipe("${name}", survey, {}, "en") == UNANSWERED
    assert pipe("no reference", survey, answers, "en") == "no reference"
    assert references("${a} and ${b.c}") == ["a", "b.c"]
