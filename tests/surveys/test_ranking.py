"""The ranking question: an order of preference, every rank used once."""

from __future__ import annotations

import pytest

from surveys import diff_definitions, get_type, validate_answers, validate_form_page
from surveys.xlsform import export_xlsform, import_xlsform
from tests.surveys.helpers import make, opt, q, single

OPTIONS = [opt("bus"), opt("bike"), opt("walk")]


def _survey(required: bool = True):
    return single(q("travel", "ranking", required=required, options=OPTIONS))


def _form(**ranks: str) -> dict[str, list[str]]:
    return {f"travel__{value}": [rank] for value, rank in ranks.items()}


def _codes(result) -> list[str]:
    return [e.code for e in result.errors]


def test_ranks_from_the_form_are_stored_as_the_options_in_order():
    result = validate_form_page(_survey(), 0, _form(bus="2", bike="3", walk="1"), {})
    assert result.ok
    assert result.answers["travel"] == ["walk", "bus", "bike"]


def test_ranks_typed_in_arabic_indic_digits_are_read():
    result = validate_form_page(_survey(), 0, _form(bus="٢", bike="١", walk="٣"), {})
    assert result.answers["travel"] == ["bike", "bus", "walk"]


@pytest.mark.parametrize(
    ("ranks", "code"),
    [
        ({"bus": "1", "bike": "1", "walk": "2"}, "rank_repeated"),
        ({"bus": "1", "bike": "2"}, "rank_missing"),
        ({"bus": "1", "bike": "2", "walk": "4"}, "rank_invalid"),
        ({"bus": "first", "bike": "2", "walk": "3"}, "rank_invalid"),
    ],
)
def test_every_rank_is_used_once(ranks, code):
    result = validate_form_page(_survey(), 0, _form(**ranks), {})
    assert not result.ok
    assert _codes(result) == [code]
    assert result.errors[0].question == "travel"


def test_a_required_ranking_left_blank_must_be_answered_and_an_optional_one_may_be():
    assert _codes(validate_form_page(_survey(), 0, _form(bus="", bike=""), {})) == ["required"]
    assert validate_form_page(_survey(required=False), 0, {}, {}).ok


def test_json_sends_the_order_as_a_list():
    ok = validate_answers(_survey(), {"travel": ["bike", "walk", "bus"]})
    assert ok.ok and ok.answers["travel"] == ["bike", "walk", "bus"]
    for answer, code in [
        (["bike", "bike", "walk"], "rank_repeated"),
        (["bike", "walk"], "rank_missing"),
        (["bike", "walk", "car"], "invalid_choice"),
        ("bike", "invalid_value"),
    ]:
        assert _codes(validate_answers(_survey(), {"travel": answer})) == [code], answer


def test_the_stored_order_gives_back_the_form_values():
    ranking = get_type("ranking")
    question = _survey().question("travel")
    assert ranking.form_values(question, ["walk", "bus", "bike"]) == {
        "travel__walk": ["1"],
        "travel__bus": ["2"],
        "travel__bike": ["3"],
    }
    assert ranking.first_field_id(question) == "travel__bus"


def test_a_ranking_needs_options_and_cannot_ask_to_specify():
    from surveys import DefinitionError, SurveyDefinition
    from tests.surveys.helpers import definition_dict

    for options, code in [([], "options_required"), ([opt("a"), opt("b", specify=True)], None)]:
        data = definition_dict([q("travel", "ranking", options=options)])
        with pytest.raises(DefinitionError) as raised:
            SurveyDefinition.from_dict(data)
        codes = [p.code for p in raised.value.problems]
        assert (code or "specify_not_supported") in codes


def test_xlsform_rank_round_trip():
    survey = make([q("travel", "ranking", options=OPTIONS, required=True)])
    workbook = export_xlsform(survey)
    imported = import_xlsform(workbook).definition
    question = imported.question("travel")
    assert question.type == "ranking"
    assert [o.value for o in question.options] == ["bus", "bike", "walk"]
    assert question.required


def test_removing_an_option_of_a_ranking_orphans_answers():
    old = _survey()
    new = single(q("travel", "ranking", required=True, options=OPTIONS[:2]))
    assert diff_definitions(old, new).orphans_answers
    assert not diff_definitions(old, _survey()).orphans_answers


def test_an_odk_rank_row_is_imported():
    from tests.surveys.test_xlsform import workbook_bytes

    data = workbook_bytes(
        [
            ["type", "name", "label::English (en)", "label::Español (es)", "required"],
            ["rank priorities", "priorities", "Put these in order", "Ordene estas", "yes"],
        ],
        [
            ["list_name", "name", "label::English (en)", "label::Español (es)"],
            ["priorities", "parks", "Parks", "Parques"],
            ["priorities", "housing", "Housing", "Vivienda"],
            ["priorities", "buses", "Buses", "Autobuses"],
        ],
    )
    question = import_xlsform(data).definition.question("priorities")
    assert question.type == "ranking"
    assert [o.value for o in question.options] == ["parks", "housing", "buses"]
    assert question.options[1].label == {"en": "Housing", "es": "Vivienda"}
