"""Definitions: JSON round trip and every reason a definition is rejected."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from surveys import DefinitionError, SurveyDefinition, dump_definition, load_definition
from tests.surveys.helpers import definition_dict, make, opt, q

RICH_PAGE = [
    q("intro", "info"),
    q("consent", "consent", required=True),
    q("story", "long_text", analysis_role="job_situation", help={"en": "In your own words"}),
    q("bus", "yes_no"),
    q(
        "issues",
        "pick_up_to",
        max_choices=2,
        options=[opt("late"), opt("other", specify=True), opt("none", exclusive=True)],
        show_if={"question": "bus", "op": "equals", "value": "yes"},
    ),
    q("imp", "scale", analysis_role="outcome_importance", outcome="reliable_bus",
      point_labels={"0": {"en": "Not important"}, "10": {"en": "Very important"}}),
    q("sat", "scale", analysis_role="outcome_satisfaction", outcome="reliable_bus"),
    q("grid", "matrix", rows=[opt("park")], options=[opt("good"), opt("poor")]),
    q("area", "dropdown", options=[opt("north"), opt("prefer_not_to_say")],
      analysis_role="demographic", dimension="area"),
    q("kids", "number", minimum=0, maximum=20),
    q("born", "date", maximum="2024-12-31"),
    q("rate", "rating", minimum=1, maximum=4),
]  # fmt: skip


def test_definition_round_trips_through_dict_and_json() -> None:
    survey = make(
        RICH_PAGE,
        description={"en": "About the neighbourhood"},
        thank_you={"en": "Thank you!", "es": "¡Gracias!"},
        version="3",
    )
    again = SurveyDefinition.from_dict(survey.to_dict())
    assert again == survey
    assert again.thank_you == {"en": "Thank you!", "es": "¡Gracias!"}
    assert load_definition(dump_definition(survey)) == survey


def test_definition_without_thank_you_leaves_it_out_of_json() -> None:
    survey = make(RICH_PAGE)
    assert survey.thank_you == {}
    assert "thank_you" not in survey.to_dict()


def test_definition_lookups_find_questions_and_pages() -> None:
    survey = make(RICH_PAGE, [q("last", "short_text")])
    assert survey.question("sat").outcome == "reliable_bus"
    assert survey.page_index_of("last") == 1
    assert [x.code for x in survey.questions()][-1] == "last"
    with pytest.raises(KeyError):
        survey.question("missing")


def test_definition_option_prefer_not_to_say_is_exclusive() -> None:
    area = make(RICH_PAGE).question("area")
    assert area.option("prefer_not_to_say").is_exclusive
    assert not area.option("north").is_exclusive


def _broken(change: Any) -> dict[str, Any]:
    data = definition_dict(copy.deepcopy(RICH_PAGE))
    change(data)
    return data


def _question(data: dict[str, Any], code: str) -> dict[str, Any]:
    return next(x for x in data["pages"][0]["questions"] if x["code"] == code)


BROKEN = [
    (lambda d: d.update(slug="Not a slug"), "$.slug", "invalid_slug"),
    (lambda d: d.update(source_language="fr"), "$.source_language", "source_language_not_offered"),
    (lambda d: d.update(title={"es": "Solo español"}), "$.title", "source_text_missing"),
    (lambda d: d.update(pages=[]), "$.pages", "no_pages"),
    (lambda d: d.update(thank_you={"fr": "Merci"}), "$.thank_you", "language_not_offered"),
    (lambda d: d.update(thank_you="Thanks"), "$.thank_you", "invalid_localized_text"),
    (lambda d: d.update(format="other/9"), "$.format", "unsupported_format"),
    (lambda d: d.update(colour="red"), "$", "unknown_field"),
    (lambda d: _question(d, "story").update(type="essay"), "$.pages[0].questions[2].type",
     "unknown_type"),
    (lambda d: _question(d, "story").update(code="bus"), "$.pages[0].questions[3].code",
     "duplicate_code"),
    (lambda d: _question(d, "story").update(code="a__b"), "$.pages[0].questions[2].code",
     "invalid_code"),
    (lambda d: _question(d, "story").update(label={"fr": "x"}), "$.pages[0].questions[2].label",
     "source_text_missing"),
    (lambda d: _question(d, "story").update(analysis_role="vibes"),
     "$.pages[0].questions[2].analysis_role", "unknown_role"),
    (lambda d: _question(d, "imp").pop("outcome"), "$.pages[0].questions[5].outcome",
     "missing_field"),
    (lambda d: _question(d, "sat").update(outcome="x", type="short_text"),
     "$.pages[0].questions[6].analysis_role", "role_needs_numeric_type"),
    (lambda d: _question(d, "area").update(dimension="shoe_size"),
     "$.pages[0].questions[8].dimension", "unknown_dimension"),
    (lambda d: _question(d, "issues").pop("max_choices"),
     "$.pages[0].questions[4].max_choices", "missing_field"),
    (lambda d: _question(d, "issues")["options"].append(opt("late")),
     "$.pages[0].questions[4].options[3].value", "duplicate_value"),
    (lambda d: _question(d, "issues")["options"][0].update(value="two words"),
     "$.pages[0].questions[4].options[0].value", "invalid_value"),
    (lambda d: _question(d, "issues")["options"][2].update(specify=True),
     "$.pages[0].questions[4].options", "several_specify_options"),
    (lambda d: _question(d, "issues").update(
        show_if={"question": "later", "op": "answered"}),
     "$.pages[0].questions[4].show_if", "unknown_or_later_question"),
    (lambda d: _question(d, "issues").update(
        show_if={"question": "bus", "op": "equals", "value": "maybe"}),
     "$.pages[0].questions[4].show_if", "unknown_option"),
    (lambda d: _question(d, "kids").update(
        show_if={"question": "bus", "op": "gt", "value": 3}),
     "$.pages[0].questions[9].show_if", "numeric_op_on_non_number"),
    (lambda d: _question(d, "kids").update(minimum=30), "$.pages[0].questions[9].minimum",
     "minimum_above_maximum"),
    (lambda d: _question(d, "born").update(maximum="31/12/2024"),
     "$.pages[0].questions[10].maximum", "invalid_date"),
    (lambda d: _question(d, "grid").update(rows=[]), "$.pages[0].questions[7].rows",
     "rows_required"),
    (lambda d: _question(d, "story").update(options=[opt("x")]),
     "$.pages[0].questions[2].options", "not_allowed_for_type"),
    (lambda d: _question(d, "intro").update(required=True),
     "$.pages[0].questions[0].required", "not_allowed_for_type"),
    (lambda d: _question(d, "rate").update(point_labels={"9": {"en": "Nine"}}),
     "$.pages[0].questions[11].point_labels", "invalid_point"),
    (lambda d: _question(d, "story").update(required="yes"),
     "$.pages[0].questions[2].required", "not_a_boolean"),
    (lambda d: _question(d, "story").update(label={"en": 3}),
     "$.pages[0].questions[2].label", "invalid_localized_text"),
    (lambda d: d["pages"].append({"key": "p1", "questions": [q("z", "short_text")]}),
     "$.pages[1].key", "duplicate_key"),
]  # fmt: skip


@pytest.mark.parametrize(("change", "path", "code"), BROKEN)
def test_definition_rejects_invalid_with_path_and_code(change: Any, path: str, code: str) -> None:
    with pytest.raises(DefinitionError) as info:
        SurveyDefinition.from_dict(_broken(change))
    assert (path, code) in [(p.path, p.code) for p in info.value.problems]


def test_definition_error_lists_every_problem() -> None:
    data = definition_dict([q("a", "essay"), q("b", "short_text", label={})])
    data["slug"] = "Bad Slug"
    with pytest.raises(DefinitionError) as info:
        SurveyDefinition.from_dict(data)
    codes = sorted(p.code for p in info.value.problems)
    assert codes == ["invalid_slug", "source_text_missing", "unknown_type"]


@pytest.mark.parametrize(
    ("text", "code", "params"),
    [
        ('{"slug": "x",', "invalid_json", {"line": 1, "column": 14}),
        (b"\xff\xfe", "not_utf8", {"position": 0}),
        ("[1, 2]", "not_an_object", {}),
    ],
)
def test_load_definition_reports_unreadable_json(text: Any, code: str, params: Any) -> None:
    with pytest.raises(DefinitionError) as info:
        load_definition(text)
    assert [(p.code, p.params) for p in info.value.problems] == [(code, params)]


def test_dump_definition_keeps_non_ascii_text_readable() -> None:
    survey = make([q("a", "short_text", label={"en": "Age", "es": "¿Edad?"})])
    assert "¿Edad?" in dump_definition(survey)
