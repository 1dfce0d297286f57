"""The question-type registry: every type is complete, and a new module is all a type needs."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po

import surveys.types
from surveys import (
    QUESTION_TYPES,
    SurveyDefinition,
    UnknownQuestionType,
    diff_definitions,
    get_type,
    types_where,
    validate_answers,
)
from surveys.errors import DefinitionError
from surveys.types import (
    EDITOR_FIELDS,
    N_,
    Cleaned,
    PluralMessage,
    QuestionType,
    register,
)
from surveys.types.xlsform_io import Cells, XLSFormWriting
from surveys.xlsform import export_xlsform, import_xlsform
from tests.surveys.helpers import definition_dict, opt, q
from tests.surveys.test_xlsform import workbook_bytes

ROOT = Path(__file__).parents[2]
TYPES = list(QUESTION_TYPES.values())
GENERIC_CODES = {
    "required", "invalid_value", "invalid_choice", "too_long", "below_min", "above_max",
    "not_answerable",
}  # fmt: skip


def catalog(language: str) -> dict[Any, Any]:
    path = ROOT / "translations" / language / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as file:
        return {m.id: m.string for m in read_po(file) if m.id}


@pytest.mark.parametrize("qtype", TYPES, ids=lambda t: t.name)
def test_every_type_is_complete(qtype: QuestionType) -> None:
    assert QUESTION_TYPES[qtype.name] is qtype
    assert type(qtype).__module__ == f"surveys.types.{qtype.name}"  # one module per type
    assert qtype.label.strip() and qtype.description.strip().endswith(".")
    assert qtype.template == f"questions/{qtype.name}.html"
    assert qtype.storage
    assert set(qtype.editor_fields) <= set(EDITOR_FIELDS)
    assert set(qtype.required_fields) <= set(qtype.editor_fields)
    for trait in ("answerable", "is_numeric", "has_options", "has_rows", "multiple",
                  "analysable_as_text", "numeric_bounds"):  # fmt: skip
        assert isinstance(getattr(qtype, trait), bool), trait
    assert qtype.has_options == ("options" in qtype.editor_fields)
    assert qtype.has_rows == ("rows" in qtype.editor_fields)
    assert not qtype.multiple or qtype.has_options
    assert not qtype.numeric_bounds or qtype.is_numeric
    assert not qtype.numeric_bounds or qtype.accepts("minimum")
    assert qtype.xlsform_types
    assert set(qtype.xlsform_default_for) <= set(qtype.xlsform_types)
    assert not set(qtype.messages) & GENERIC_CODES
    for message in qtype.messages.values():
        assert isinstance(message, str | PluralMessage)


def test_registry_lists_types_in_the_builders_order() -> None:
    assert list(QUESTION_TYPES) == [
        "short_text", "long_text", "single_choice", "multiple_choice", "pick_up_to",
        "dropdown", "ranking", "yes_no", "rating", "scale", "number", "date", "time",
        "date_time", "matrix", "consent", "info",
    ]  # fmt: skip


@pytest.mark.parametrize("language", ["es", "fr", "ar", "vi", "zh"])
def test_labels_and_messages_reuse_translated_english(language: str) -> None:
    translated = catalog(language)
    for qtype in TYPES:
        assert translated.get(qtype.label), (qtype.name, qtype.label)
        for message in qtype.messages.values():
            key = (
                (message.singular, message.plural)
                if isinstance(message, PluralMessage)
                else message
            )
            assert translated.get(key), (qtype.name, message)


def test_traits_replace_lists_of_type_names() -> None:
    names = lambda found: {t.name for t in found}  # noqa: E731
    assert names(types_where("is_numeric")) == {"number", "rating", "scale"}
    assert names(types_where("multiple")) == {"multiple_choice", "pick_up_to", "ranking"}
    assert names(types_where("analysable_as_text")) == {"short_text", "long_text"}
    assert names(types_where("answerable", False)) == {"info"}
    assert names(t for t in TYPES if t.accepts("options.specify")) == {
        "single_choice", "dropdown", "multiple_choice", "pick_up_to",
    }  # fmt: skip
    assert names(t for t in TYPES if t.accepts("options.exclusive")) == {
        "multiple_choice", "pick_up_to",
    }  # fmt: skip
    assert get_type("pick_up_to").required_fields == ("options", "max_choices")
    storage = {t.name: t.storage for t in TYPES}
    assert storage["short_text"] == storage["long_text"]
    assert storage["single_choice"] == storage["dropdown"]
    assert storage["multiple_choice"] == storage["pick_up_to"]
    assert len(set(storage.values())) == len(storage) - 3


def test_plural_message_names_its_count() -> None:
    message = get_type("multiple_choice").messages["too_many_choices"]
    assert message == PluralMessage(
        "Choose at most %(num)d answer.", "Choose at most %(num)d answers.", "max"
    )


def test_unknown_type_is_an_error_naming_it() -> None:
    with pytest.raises(UnknownQuestionType) as info:
        get_type("nope")
    assert isinstance(info.value, KeyError)
    assert info.value.name == "nope"
    assert str(info.value) == "unknown question type: 'nope'"


def test_unknown_type_in_a_definition_is_a_problem() -> None:
    with pytest.raises(DefinitionError) as info:
        SurveyDefinition.from_dict(definition_dict([q("a", "nope")]))
    assert [(p.path, p.code) for p in info.value.problems] == [
        ("$.pages[0].questions[0].type", "unknown_type")
    ]


def test_register_rejects_incomplete_or_duplicate_types() -> None:
    before = dict(QUESTION_TYPES)

    class Duplicate(QuestionType):
        name = "short_text"
        label = N_("Again")
        storage = "text"

    class Unlabelled(QuestionType):
        name = "unlabelled"
        storage = "text"

    class UnknownField(QuestionType):
        name = "unknown_field"
        label = N_("Unknown field")
        storage = "text"
        editor_fields = ("colour",)

    for cls in (Duplicate, Unlabelled, UnknownField):
        with pytest.raises(ValueError):
            register(cls)
    assert before == QUESTION_TYPES


def test_xlsform_defaults_are_unambiguous() -> None:
    defaults: dict[str, list[str]] = {}
    for qtype in TYPES:
        for base in qtype.xlsform_default_for:
            defaults.setdefault(base, []).append(qtype.name)
    assert all(len(found) == 1 for found in defaults.values()), defaults
    read = {base for t in TYPES for base in t.xlsform_types}
    assert read - set(defaults) == {"begin group"}  # a grid needs its table-list appearance


def tr(en: str) -> dict[str, str]:
    return {"en": en, "es": f"{en} (es)"}


CHOICES = [
    {"value": "bus", "label": tr("Bus")},
    {"value": "other", "label": tr("Other"), "specify": True},
    {"value": "none", "label": tr("None"), "exclusive": True},
]
EXAMPLES: dict[str, list[dict[str, Any]]] = {
    "short_text": [q("a", "short_text"), q("a", "short_text", max_length=40, required=True)],
    "long_text": [q("a", "long_text", max_length=2000)],
    "single_choice": [q("a", "single_choice", options=CHOICES[:2])],
    "dropdown": [q("a", "dropdown", options=CHOICES[:1])],
    "multiple_choice": [q("a", "multiple_choice", options=CHOICES, max_choices=2)],
    "pick_up_to": [q("a", "pick_up_to", options=CHOICES[:1], max_choices=1)],
    "yes_no": [q("a", "yes_no", required=True)],
    "ranking": [q("a", "ranking", options=[opt("x"), opt("y")], required=True)],
    "matrix": [q("a", "matrix", rows=[opt("x"), opt("y")], options=[opt("good")], required=True)],
    "consent": [q("a", "consent", required=True)],
    "info": [q("a", "info")],
    "number": [q("a", "number"), q("a", "number", minimum=-1.5, maximum=9, decimals=True)],
    "rating": [
        q("a", "rating"),
        q("a", "rating", minimum=0, maximum=3, point_labels={"0": tr("Never"), "3": tr("Often")}),
    ],
    "scale": [
        q("a", "scale", point_labels={"10": tr("Very")}),
        q("a", "scale", minimum=1, maximum=7),
    ],
    "date": [q("a", "date", minimum="2020-01-01"), q("a", "date", maximum="2030-12-31")],
    "time": [q("a", "time", required=True)],
    "date_time": [q("a", "date_time")],
}


def test_examples_cover_every_type() -> None:
    assert set(EXAMPLES) == set(QUESTION_TYPES)


@pytest.mark.parametrize(
    "question",
    [question for examples in EXAMPLES.values() for question in examples],
    ids=lambda question: question["type"],
)
def test_xlsform_round_trip_of_each_type(question: dict[str, Any]) -> None:
    definition = SurveyDefinition.from_dict(definition_dict([{**question, "label": tr("A")}]))
    imported = import_xlsform(export_xlsform(definition))
    assert imported.warnings == ()
    assert imported.definition.to_dict() == definition.to_dict()


def test_xlsform_constraint_parts_belong_to_their_type() -> None:
    survey = [
        ["type", "name", "label", "constraint"],
        ["text", "t", "T", "string-length(.) <= 5"],
        ["integer", "n", "N", "string-length(.) <= 5"],
    ]
    result = import_xlsform(workbook_bytes(survey))
    assert [(p.row, p.outcome, p.message_code) for p in result.report] == [
        (3, "adapted", "constraint_unsupported")
    ]
    assert result.definition.question("n").maximum is None
    survey.pop()
    assert import_xlsform(workbook_bytes(survey)).definition.question("t").max_length == 5


@pytest.mark.parametrize("engage_type", ["yes_no", "rating"])
def test_xlsform_or_other_on_a_list_without_options_is_unsupported(engage_type: str) -> None:
    survey = [
        ["type", "name", "label", "engage_type"],
        ["text", "t", "T"],
        ["select_one yes_no or_other", "a", "A", engage_type],
    ]
    choices = [["list_name", "name", "label"], ["yes_no", "yes", "Yes"], ["yes_no", "no", "No"]]
    result = import_xlsform(workbook_bytes(survey, choices))
    assert [(p.row, p.outcome, p.message_code) for p in result.report] == [
        (3, "left_out", "unsupported_type")
    ]


def test_types_package_imports_no_framework_nor_spreadsheet_library() -> None:
    code = (
        "import sys, surveys.types; "
        "bad = ('flask', 'engage', 'analysis', 'sqlalchemy', 'openpyxl', 'babel'); "
        "print(','.join(m for m in bad if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert result.stdout.strip() == ""


def test_type_modules_are_discovered_not_listed() -> None:
    package = Path(surveys.types.__file__).parent
    modules = {p.stem for p in package.glob("*.py")} - {"__init__", "base", "xlsform_io"}
    assert {m for m in modules if not m.startswith("_")} == set(QUESTION_TYPES)
    init = Path(surveys.types.__file__).read_text()
    assert not any(f"surveys.types.{name}" in init for name in QUESTION_TYPES)


# -- a type added by one module only -------------------------------------------------------


class _Email(QuestionType):
    """A stand-in for a future type: nothing outside this class knows about it."""

    name = "test_email"
    label = N_("Email address")
    storage = "email"
    xlsform_types = ("text",)
    xlsform_engage_type = True

    def clean(self, q: Any, raw: Any, other: Any = None) -> Cleaned:
        if raw in (None, ""):
            return Cleaned()
        if not isinstance(raw, str) or "@" not in raw:
            return self.error(q, "not_an_email")
        return Cleaned(raw.strip())

    def xlsform_cells(self, q: Any, sheet: XLSFormWriting) -> Cells:
        return {"type": "text", "engage_type": self.name}


@pytest.fixture
def email_type() -> Iterator[QuestionType]:
    register(_Email)
    try:
        yield get_type("test_email")
    finally:
        del QUESTION_TYPES["test_email"]


def test_a_new_type_works_everywhere_without_other_edits(email_type: QuestionType) -> None:
    questions = [
        {**q("mail", "test_email", required=True), "label": tr("Email")},
        {
            **q("why", "short_text", show_if={"question": "mail", "op": "answered"}),
            "label": tr("Why"),
        },
    ]
    definition = SurveyDefinition.from_dict(definition_dict(questions))
    assert validate_answers(definition, {"mail": "a@b.c"}).answers == {"mail": "a@b.c"}
    assert [e.code for e in validate_answers(definition, {"mail": "x"}).errors] == ["not_an_email"]
    imported = import_xlsform(export_xlsform(definition))
    assert imported.definition.to_dict() == definition.to_dict()
    retyped = definition_dict([{**questions[0], "type": "short_text"}, questions[1]])
    diff = diff_definitions(definition, SurveyDefinition.from_dict(retyped))
    assert diff.type_changes == {"mail": ("test_email", "short_text")}
