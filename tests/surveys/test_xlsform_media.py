"""``select_one_from_file`` / ``select_multiple_from_file``: the choices come from a CSV
uploaded beside the form (``name``, ``label``, ``label::<language>`` columns), all or
nothing, each bad row named; a file not given leaves the question out, naming the file."""

from __future__ import annotations

from surveys.limits import ImportLimits
from surveys.xlsform import import_xlsform
from tests.surveys.test_xlsform import workbook_bytes

SURVEY = [
    ["type", "name", "label::English (en)", "label::Spanish (es)", "choice_filter"],
    ["select_one_from_file zones.csv", "zone", "Which zone?", "¿Qué zona?"],
    ["select_one_from_file stops.csv", "stop", "Which stop?", "¿Qué parada?", "zone = ${zone}"],
    ["select_multiple_from_file zones.csv", "zones", "Zones you visit", "Zonas"],
    ["text", "note", "Anything else?", "¿Algo más?"],
]
ZONES = "name,label,label::Spanish (es),label::fr\nn,North,Norte,Nord\ns,South,Sur,Sud\n"
STOPS = "name;label::English (en);label:es;zone\na;Stop A;Parada A;n\nb;Stop B;Parada B;s\n"
FORM = workbook_bytes(SURVEY)


def _report(result):
    return [(p.sheet, p.row, p.column, p.outcome, p.message_code) for p in result.report]


def test_the_choices_come_from_the_csv_in_every_language() -> None:
    media = {"zones.csv": ZONES.encode(), "stops.csv": STOPS.encode("utf-8-sig")}
    result = import_xlsform(FORM, media=media)
    definition = result.definition
    zone = definition.question("zone")
    assert zone.type == "single_choice"
    assert [(o.value, o.label) for o in zone.options] == [
        ("n", {"en": "North", "es": "Norte"}),
        ("s", {"en": "South", "es": "Sur"}),
    ]
    assert definition.question("zones").type == "multiple_choice"
    stop = definition.question("stop")
    assert [o.label["es"] for o in stop.options] == ["Parada A", "Parada B"]
    # the extra column is kept for the cascading choice filter
    assert [(c.attribute, c.question) for c in stop.choice_filter] == [("zone", "zone")]
    assert ("zones.csv", 1, "label::fr", "ignored", "choice_file_language_ignored") in _report(
        result
    )


def test_a_missing_file_leaves_the_question_out_naming_the_file() -> None:
    result = import_xlsform(FORM, media={"zones.csv": ZONES.encode()})
    assert [q.code for q in result.definition.questions()] == ["zone", "zones", "note"]
    missing = [p for p in result.report if p.message_code == "select_from_file_missing"]
    assert [(p.row, p.column, p.outcome, p.params["file"]) for p in missing] == [
        (3, "type", "left_out", "stops.csv")
    ]


def test_no_files_at_all_is_no_crash() -> None:
    result = import_xlsform(FORM)
    assert [q.code for q in result.definition.questions()] == ["note"]
    assert [p.params["file"] for p in result.report if p.outcome == "left_out"] == [
        "zones.csv",
        "stops.csv",
        "zones.csv",
    ]


def test_a_bad_csv_is_all_or_nothing_with_each_row_named() -> None:
    bad = b"name,label\nx,X\nx,Y\n,Z\ny,\n"
    result = import_xlsform(FORM, media={"zones.csv": bad, "stops.csv": STOPS.encode()})
    assert [q.code for q in result.definition.questions()] == ["stop", "note"]
    report = _report(result)
    assert ("survey", 2, "type", "left_out", "select_from_file_unusable") in report
    assert ("survey", 4, "type", "left_out", "select_from_file_unusable") in report
    # the stop question's filter looked at the zone question, left out: every stop offered
    assert result.definition.question("stop").choice_filter == ()
    assert next(r for r in report if r[1] == 3)[3] == "adapted"
    rows = [r for r in report if r[0] == "zones.csv"]
    assert rows == [  # listed once, though two questions read the file
        ("zones.csv", 3, "name", "left_out", "choice_file_duplicate_name"),
        ("zones.csv", 4, "name", "left_out", "choice_file_missing_name"),
        ("zones.csv", 5, "label", "left_out", "choice_file_missing_label"),
    ]


def test_files_that_are_no_usable_csv_say_why() -> None:
    survey = [
        ["type", "name", "label"],
        ["select_one_from_file a.csv", "a", "A"],
        ["select_one_from_file b.csv", "b", "B"],
        ["select_one_from_file c.csv", "c", "C"],
        ["select_one_from_file d.csv", "d", "D"],
        ["select_one_from_file places.xml", "e", "E"],
        ["text", "t", "T"],
    ]
    media = {
        "a.csv": "name,label\nx,Ä\n".encode("latin-1"),
        "b.csv": b"value,text\n1,One\n",
        "c.csv": b"name,label\n" + b"".join(b"%d,N%d\n" % (i, i) for i in range(30)),
        "d.csv": b"name,label\n" + b"".join(b",\n" for _ in range(25)),
    }
    result = import_xlsform(workbook_bytes(survey), ImportLimits(max_rows=20), media)
    codes = {(p.sheet, p.message_code) for p in result.report}
    assert ("a.csv", "choice_file_not_utf8") in codes
    assert ("b.csv", "choice_file_columns") in codes
    assert ("c.csv", "choice_file_too_many_rows") in codes
    assert ("survey", "choice_file_not_csv_type") in codes
    # 25 blank rows against a limit of 20: refused for its size, before any row is read.
    d_rows = [p.message_code for p in result.report if p.sheet == "d.csv"]
    assert d_rows == ["choice_file_too_many_rows"]
    assert [q.code for q in result.definition.questions()] == ["t"]


def test_too_many_bad_rows_are_counted_not_all_listed() -> None:
    survey = [["type", "name", "label"], ["select_one_from_file d.csv", "d", "D"]]
    survey.append(["text", "t", "T"])
    d = b"name,label\n" + b"".join(b",x\n" for _ in range(25))
    result = import_xlsform(workbook_bytes(survey), media={"d.csv": d})
    rows = [p for p in result.report if p.sheet == "d.csv"]
    assert len(rows) == 21
    assert rows[0].message_code == "choice_file_more_problems"  # row 0: the file as a whole
    assert rows[0].params["count"] == 5


def test_the_round_trip_exports_the_choices_as_a_list() -> None:
    from surveys.xlsform import export_xlsform

    media = {"zones.csv": ZONES.encode(), "stops.csv": STOPS.encode()}
    definition = import_xlsform(FORM, media=media).definition
    again = import_xlsform(export_xlsform(definition)).definition
    assert again.question("zone").options == definition.question("zone").options


def test_a_csv_laid_out_like_the_choices_sheet_is_read() -> None:
    """KoboToolbox's help shows the CSV with a ``list_name`` column, as in the choices
    sheet: it is read, and the column is not kept (no choice filter uses it)."""
    survey = [["type", "name", "label"], ["select_one_from_file fruits.csv", "fruit", "Fruit?"]]
    fruits = b"list_name,name,label\nfruits,1,Apple\nfruits,2,Watermelon\n"
    result = import_xlsform(workbook_bytes(survey), media={"fruits.csv": fruits})
    options = result.definition.question("fruit").options
    assert [(o.value, o.label, o.attributes) for o in options] == [
        ("1", {"en": "Apple"}, {}),
        ("2", {"en": "Watermelon"}, {}),
    ]
    assert result.report == ()
