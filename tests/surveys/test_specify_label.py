"""The label of an option's "please specify" box (``specify_label``): kept through JSON,
checked, translatable, written to an XLSForm as the ``<code>__other`` row's label (which
pyxform converts) and read back; a ``geopoint`` sets it in every survey language."""

from __future__ import annotations

import pytest
from pyxform.xls2xform import convert

from surveys import DefinitionError, SurveyDefinition, dump_definition, load_definition
from surveys.codebook import codebook_questions
from surveys.i18n import apply_translations, flatten_texts
from surveys.xlsform import export_xlsform, import_xlsform
from tests.surveys.helpers import definition_dict, opt, q
from tests.surveys.test_xlsform import workbook_bytes
from tests.surveys.test_xlsform_location import AREAS, SURVEY

PLACE = {"en": "If somewhere else, type the place", "es": "Si es en otro lugar, escriba"}


def _where(**elsewhere: object) -> dict:
    options = [opt("riverside"), opt("elsewhere", "Somewhere else", specify=True, **elsewhere)]
    return definition_dict([q("where", "dropdown", options=options)], slug="where")


def test_the_label_round_trips_through_json() -> None:
    survey = SurveyDefinition.from_dict(_where(specify_label=PLACE))
    assert survey.question("where").specify_option.specify_label == PLACE
    again = load_definition(dump_definition(survey))
    assert again == survey
    assert again.to_dict()["pages"][0]["questions"][0]["options"][1]["specify_label"] == PLACE
    # without one, nothing is written
    plain = SurveyDefinition.from_dict(_where())
    assert "specify_label" not in plain.to_dict()["pages"][0]["questions"][0]["options"][1]


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (lambda d: d[0].update(specify_label={"en": "Type"}), "specify_label_without_specify"),
        (lambda d: d[1].update(specify_label={"de": "Ort"}), "language_not_offered"),
        (lambda d: d[1].update(specify_label="Type the place"), "invalid_localized_text"),
    ],
)
def test_a_wrong_label_is_refused_with_its_path(change, code) -> None:
    data = _where()
    change(data["pages"][0]["questions"][0]["options"])
    with pytest.raises(DefinitionError) as info:
        SurveyDefinition.from_dict(data)
    index = 0 if code == "specify_label_without_specify" else 1
    path = f"$.pages[0].questions[0].options[{index}].specify_label"
    assert (path, code) in [(p.path, p.code) for p in info.value.problems]


def test_the_label_is_a_text_to_translate() -> None:
    survey = SurveyDefinition.from_dict(_where(specify_label={"en": PLACE["en"]}))
    texts = flatten_texts(survey)
    assert texts["questions.where.specify.elsewhere"] == {"en": PLACE["en"]}
    translated = apply_translations(survey, "es", {"questions.where.specify.elsewhere": "Lugar"})
    assert translated.question("where").specify_option.specify_label == {
        "en": PLACE["en"],
        "es": "Lugar",
    }


def test_a_geopoint_labels_the_box_of_somewhere_else_in_every_language() -> None:
    where = import_xlsform(workbook_bytes(SURVEY), areas=AREAS).definition.question("where")
    assert where.specify_option.specify_label == {
        "en": "If somewhere else, type the place",
        "ar": "إذا كان في مكان آخر، فاكتب اسم المكان",
    }
    assert all(not o.specify_label for o in where.options if not o.specify)


def test_the_xlsform_writes_the_label_pyxform_converts_it_and_it_reads_back() -> None:
    survey = import_xlsform(workbook_bytes(SURVEY), areas=AREAS).definition
    exported = export_xlsform(survey)
    warnings: list[str] = []
    result = convert(xlsform=exported, warnings=warnings, file_type=".xlsx")
    assert "If somewhere else, type the place" in result.xform and warnings == []
    again = import_xlsform(exported)
    assert again.report == ()
    assert again.definition.to_dict() == survey.to_dict()
    # A form with Engage's own "Please specify" keeps no label of its own.
    plain = SurveyDefinition.from_dict(_where())
    assert import_xlsform(export_xlsform(plain)).definition.to_dict() == plain.to_dict()


def test_the_codebook_explains_the_typed_text_column() -> None:
    survey = import_xlsform(workbook_bytes(SURVEY), areas=AREAS).definition
    [where, _what] = codebook_questions([survey])
    assert where["columns"] == ["where", "where__other"]
    assert where["specify"] == {
        "column": "where__other",
        "value": "elsewhere",
        "label": survey.question("where").specify_option.specify_label,
    }
