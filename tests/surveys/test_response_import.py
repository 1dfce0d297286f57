"""Reading responses from a file: every problem found with its row and column, or rows
ready to store."""

from __future__ import annotations

import io

import openpyxl
import pytest

from surveys.export import answer_cells, answer_columns
from surveys.response_import import ImportRefused, read_responses, read_table
from surveys.schema import SurveyDefinition
from tests.factories import full_definition

CHANNELS = ("web", "paper", "import")
FULL = SurveyDefinition.from_dict(full_definition())


def _read(text: str, definition: SurveyDefinition = FULL):
    header, rows = read_table(text.encode(), "rows.csv", max_rows=100)
    return read_responses(definition, header, rows, channels=CHANNELS, default_channel="paper")


def _problems(text: str) -> list[tuple[int, str, str]]:
    with pytest.raises(ImportRefused) as refused:
        _read(text)
    return [
        (p.row, p.column, p.answer_error.code if p.answer_error else p.code)
        for p in refused.value.problems
    ]


VALID = "agree,lives_here,years,obstacle,bus_importance,topics,topics__other,grid/day\n"


def test_rows_become_answers_as_a_form_would_store_them():
    rows = _read(
        VALID
        + "yes,yes,12,The bus is late,7,bus other,Street lights,a\n"
        + "yes,no,,Rent is too high,3,,,\n"
    )
    first, second = rows
    assert first.answers == {
        "agree": True,
        "lives_here": "yes",
        "years": 12,
        "obstacle": "The bus is late",
        "topics": ["bus", "other"],
        "topics__other": "Street lights",
        "bus_importance": 7,
        "grid": {"day": "a"},
    }
    assert (first.row, first.language, first.channel) == (2, "en", "paper")
    assert second.row == 3 and "years" not in second.answers  # hidden by skip logic


def test_every_problem_is_reported_with_its_row_and_column():
    problems = _problems(
        VALID.rstrip("\n")
        + ",language,channel,submitted_at\n"
        + "yes,yes,200,ok,7,,,,fr,paper,\n"
        + "yes,yes,3,,7,bus,,z,en,fax,yesterday\n"
    )
    assert (2, "years", "above_max") in problems
    assert (2, "language", "unknown_language") in problems
    assert (3, "channel", "unknown_channel") in problems
    assert (3, "submitted_at", "bad_date") in problems


def test_answer_errors_name_the_question():
    problems = _problems(VALID + "yes,yes,3,,7,bus,,z\n")
    assert (2, "obstacle", "required") in problems
    assert (2, "grid", "invalid_choice") in problems


def test_unknown_and_repeated_columns_refuse_the_file_before_any_row():
    assert _problems("agree,colour,agree\nyes,red,yes\n") == [
        (1, "colour", "unknown_column"),
        (1, "agree", "repeated_column"),
    ]


def test_an_exported_row_reads_back_to_the_same_answers():
    answers = {
        "agree": True,
        "lives_here": "yes",
        "years": 4,
        "obstacle": "Too far",
        "topics": ["rent"],
        "top_two": ["x", "z"],
        "bus_importance": 10,
        "grid": {"day": "a", "night": "b"},
        "area": "south",
    }
    columns = answer_columns([FULL])
    cells = answer_cells(FULL, answers)
    book = openpyxl.Workbook()
    book.active.append(columns)
    book.active.append([cells.get(c) for c in columns])
    data = io.BytesIO()
    book.save(data)
    header, rows = read_table(data.getvalue(), "export.xlsx", max_rows=10)
    (row,) = read_responses(FULL, header, rows, channels=CHANNELS, default_channel="import")
    assert row.answers == answers


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [
        (b"a,b\n", "rows.txt", "unknown_file_type"),
        (b"\xff\xfe\x00a", "rows.csv", "not_utf8"),
        (b"PK\x03\x04 broken", "rows.xlsx", "not_an_xlsx_file"),
        (b"", "rows.csv", "no_header"),
        (b"agree\n" + b"yes\n" * 11, "rows.csv", "too_many_rows"),
    ],
)
def test_unreadable_files_are_refused_with_the_reason(data, name, code):
    with pytest.raises(ImportRefused) as refused:
        read_table(data, name, max_rows=10)
    assert [p.code for p in refused.value.problems] == [code]


def test_a_file_of_blank_rows_has_no_responses():
    with pytest.raises(ImportRefused) as refused:
        _read("agree,years\n,\n\n")
    assert [p.code for p in refused.value.problems] == ["no_rows"]


def test_a_paper_forms_number_and_the_place_are_read_and_the_interviewer_ignored():
    header = VALID.rstrip("\n") + ",form_number,place,interviewer\n"
    answers = "yes,yes,12,The bus is late,7,bus other,Street lights,a"
    rows = _read(header + answers + ", P-0042 ,Northgate library,Amina\n" + answers + ",,,\n")
    assert [(r.form_number, r.place) for r in rows] == [
        ("P-0042", "Northgate library"),
        (None, None),
    ]
    too_long = _problems(header + answers + "," + "9" * 41 + ",,\n")
    assert too_long == [(2, "form_number", "too_long")]
