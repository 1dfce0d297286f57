"""Translator files (PO, CSV, XLSX): round trips, and every way a returned file is refused."""

from __future__ import annotations

import csv
import io

import pytest
from babel.messages.pofile import read_po
from openpyxl import Workbook, load_workbook

from surveys import ImportFailed, apply_translations, completeness
from surveys.translation_files import (
    FORMATS,
    check_texts,
    export_translations,
    import_translations,
    placeholders,
)
from tests.surveys.helpers import make, opt, q


def survey():  # type: ignore[no-untyped-def]
    return make(
        [
            q("area", "single_choice", label={"en": "Where do you live, {name}?", "es": "Zona"},
              options=[opt("north", "North"), opt("south", "South")],
              help={"en": "Pick one\nor skip"}),
            q("rate", "scale", label={"en": "Rate %(place)s", "es": "Valore %(place)s"},
              point_labels={"0": {"en": "=0 means none"}}),
        ],
        thank_you={"en": "Thanks!"},
    )  # fmt: skip


def spanish(definition) -> dict[str, str]:  # type: ignore[no-untyped-def]
    texts = {
        "title": "Encuesta",
        "questions.area.label": "¿Dónde vive, {name}?",
        "questions.area.help": "Elija una\no sáltela",
        "questions.area.options.north": "Norte",
        "questions.area.options.south": "Sur",
        "questions.rate.label": "Valore %(place)s",
        "questions.rate.points.0": "=0 significa nada",
        "thank_you": "¡Gracias!",
    }
    assert set(texts) == set(completeness(definition)["es"].missing) | {
        "title",
        "questions.area.label",
        "questions.rate.label",
    }
    return texts


# --- Filling in a file as a translator would ---------------------------------------------


def fill_po(data: bytes, texts: dict[str, str]) -> bytes:
    catalog = read_po(io.BytesIO(data))
    for message in catalog:
        if message.id and message.context in texts:
            message.string = texts[message.context]
    from babel.messages.pofile import write_po

    out = io.BytesIO()
    write_po(out, catalog)
    return out.getvalue()


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def write_csv(rows: list[list[str]], delimiter: str = ",") -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def fill_csv(data: bytes, texts: dict[str, str]) -> bytes:
    rows = csv_rows(data)
    for row in rows[1:]:
        if row[0] in texts:
            row[2] = texts[row[0]]
    return write_csv(rows)


def fill_xlsx(data: bytes, texts: dict[str, str]) -> bytes:
    book = load_workbook(io.BytesIO(data))
    for key, _source, target in book.active.iter_rows(min_row=2):
        if key.value in texts:
            target.value = texts[key.value]
            target.data_type = "s"  # typed as text, as Excel does after a leading apostrophe
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


FILL = {"po": fill_po, "csv": fill_csv, "xlsx": fill_xlsx}


@pytest.mark.parametrize("fmt", FORMATS)
def test_translator_round_trip_completes_a_language(fmt: str) -> None:
    definition = survey()
    exported = export_translations(definition, "es", fmt)
    result = import_translations(definition, "es", FILL[fmt](exported, spanish(definition)), fmt)
    assert result.warnings == ()
    assert result.missing == ()
    assert "questions.area.label" in result.changed and "questions.rate.label" not in result.changed
    translated = apply_translations(definition, "es", result.translations)
    assert completeness(translated)["es"].is_complete
    assert translated.question("area").help["es"] == "Elija una\no sáltela"
    assert translated.question("rate").point_labels["0"]["es"] == "=0 significa nada"
    assert translated.thank_you["es"] == "¡Gracias!"


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_untouched_export_imports_with_nothing_changed(fmt: str) -> None:
    definition = survey()
    result = import_translations(definition, "es", export_translations(definition, "es", fmt), fmt)
    assert result.changed == ()
    assert result.translations == {
        "title": "Encuesta de prueba",
        "questions.area.label": "Zona",
        "questions.rate.label": "Valore %(place)s",
    }
    assert len(result.missing) == len(completeness(definition)["es"].missing)


def test_po_export_uses_context_for_keys_and_declares_the_language() -> None:
    catalog = read_po(io.BytesIO(export_translations(survey(), "es", "po")))
    assert catalog.locale_identifier == "es"
    messages = {m.context: m for m in catalog if m.id}
    assert messages["questions.area.label"].id == "Where do you live, {name}?"
    assert messages["questions.area.label"].string == "Zona"
    assert messages["questions.area.options.north"].string == ""


def test_csv_export_has_a_byte_order_mark_and_guards_formulas() -> None:
    data = export_translations(survey(), "es", "csv")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = csv_rows(data)
    assert rows[0] == ["key", "source (en)", "translation (es)"]
    assert ["questions.rate.points.0", "'=0 means none", ""] in rows


def test_xlsx_export_locks_the_source_and_reads_right_to_left_for_arabic() -> None:
    book = load_workbook(io.BytesIO(export_translations(survey(), "ar", "xlsx")))
    sheet = book.active
    assert [c.value for c in sheet[1]] == ["key", "source (en)", "translation (ar)"]
    assert sheet.protection.sheet
    key, source, target = sheet[2]
    assert key.protection.locked and source.protection.locked
    assert not target.protection.locked
    assert target.alignment.readingOrder == 2 and source.alignment.readingOrder == 1
    formula_like = next(r for r in sheet.iter_rows(min_row=2) if r[0].value.endswith("points.0"))
    assert formula_like[1].data_type == "s" and formula_like[1].value == "=0 means none"


def test_csv_saved_by_a_spreadsheet_with_semicolons_and_crlf_is_read() -> None:
    definition = survey()
    rows = csv_rows(export_translations(definition, "es", "csv"))
    for row in rows:
        if row[0] == "questions.area.help":
            row[2] = "Elija una\r\no sáltela"
    result = import_translations(definition, "es", write_csv(rows, ";"), "csv")
    assert result.translations["questions.area.help"] == "Elija una\no sáltela"


def test_a_blank_translation_stays_missing_and_never_erases() -> None:
    definition = survey()
    rows = csv_rows(export_translations(definition, "es", "csv"))
    for row in rows:
        if row[0] == "title":
            row[2] = ""
    result = import_translations(definition, "es", write_csv(rows), "csv")
    assert "title" not in result.translations
    assert "title" not in result.missing  # the stored "Encuesta de prueba" stays


def test_a_row_whose_source_changed_since_export_is_skipped_with_a_warning() -> None:
    old = survey()
    exported = fill_csv(export_translations(old, "es", "csv"), spanish(old))
    data = old.to_dict()
    data["pages"][0]["questions"][0]["options"][0]["label"]["en"] = "Northside"
    new = make([], **{k: v for k, v in data.items() if k != "pages"}, pages=data["pages"])
    result = import_translations(new, "es", exported, "csv")
    assert [(w.row, w.message_code, w.params["key"]) for w in result.warnings] == [
        (5, "source_changed", "questions.area.options.north")
    ]
    assert "questions.area.options.north" not in result.translations
    assert "questions.area.options.north" in result.missing
    assert result.translations["questions.area.options.south"] == "Sur"


def test_fuzzy_po_entries_are_not_imported() -> None:
    definition = survey()
    data = fill_po(export_translations(definition, "es", "po"), {"thank_you": "¿Gracias?"})
    data = data.replace(b'msgctxt "thank_you"', b'#, fuzzy\nmsgctxt "thank_you"')
    result = import_translations(definition, "es", data, "po")
    assert [w.message_code for w in result.warnings] == ["fuzzy_ignored"]
    assert "thank_you" not in result.translations


# --- Broken files: each is refused as a whole, with the row or line -----------------------


def problems(definition, lang: str, data: bytes, fmt: str) -> list[tuple[int, str]]:  # type: ignore[no-untyped-def]
    with pytest.raises(ImportFailed) as info:
        import_translations(definition, lang, data, fmt)
    return [(p.row, p.message_code) for p in info.value.problems]


def test_broken_csv_rows_are_all_reported_by_row() -> None:
    definition = survey()
    rows = csv_rows(fill_csv(export_translations(definition, "es", "csv"), spanish(definition)))
    rows[2][2] = "¿Dónde vive?"  # drops {name}
    rows[6][2] = "Valore %(place)s y {extra}"  # invents {extra}
    rows.append(["questions.gone.label", "Gone", "Ido"])
    rows.append(["title", "Test survey", "Otra vez"])
    rows.append(["", "No key", "Sin clave"])
    found = problems(definition, "es", write_csv(rows), "csv")
    assert found == [
        (3, "placeholder_missing"),
        (7, "placeholder_unexpected"),
        (10, "unknown_key"),
        (11, "duplicate_key"),
        (12, "missing_key"),
    ]


def test_placeholder_problem_names_the_placeholders() -> None:
    definition = survey()
    data = fill_po(export_translations(definition, "es", "po"), {"questions.area.label": "¿Dónde?"})
    with pytest.raises(ImportFailed) as info:
        import_translations(definition, "es", data, "po")
    (problem,) = info.value.problems
    assert problem.message_code == "placeholder_missing"
    assert problem.params == {"key": "questions.area.label", "placeholders": ["{name}"]}
    assert data.decode().splitlines()[problem.row - 1].startswith("msgid")


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_file_for_another_language_is_refused(fmt: str) -> None:
    definition = survey()
    data = export_translations(definition, "fr", fmt)
    assert [code for _, code in problems(definition, "es", data, fmt)] == ["wrong_language"]


def test_a_csv_for_another_source_language_is_refused() -> None:
    rows = csv_rows(export_translations(survey(), "es", "csv"))
    rows[0][1] = "source (de)"
    assert problems(survey(), "es", write_csv(rows), "csv") == [(1, "wrong_source_language")]


def test_a_csv_without_a_translation_column_is_refused() -> None:
    rows = [row[:2] for row in csv_rows(export_translations(survey(), "es", "csv"))]
    assert problems(survey(), "es", write_csv(rows), "csv") == [(1, "missing_column")]


def test_a_csv_without_a_language_in_its_header_is_refused() -> None:
    rows = csv_rows(export_translations(survey(), "es", "csv"))
    rows[0][2] = "translation"
    assert problems(survey(), "es", write_csv(rows), "csv") == [(1, "language_missing")]


def test_a_csv_that_is_not_utf8_is_refused_at_its_line() -> None:
    data = "key,source (en),translation (es)\ntitle,Test survey,Encuesta pequeña\n"
    assert problems(survey(), "es", data.encode("latin-1"), "csv") == [(2, "not_utf8")]


def test_a_po_file_in_a_wrong_encoding_is_refused_at_its_line() -> None:
    data = export_translations(survey(), "es", "po").replace(
        b"Encuesta de prueba", "Encuesta pequeña".encode("latin-1")
    )
    [(line, code)] = problems(survey(), "es", data, "po")
    assert code == "not_utf8"
    assert b"Encuesta peque" in data.splitlines()[line - 1]


def test_a_po_file_with_a_syntax_error_is_refused_at_its_line() -> None:
    data = export_translations(survey(), "es", "po") + b'msgctxt "x"\nmsgid "y"\nnonsense here\n'
    [(line, code)] = problems(survey(), "es", data, "po")
    assert code == "invalid_po"
    assert data.splitlines()[line - 1] == b"nonsense here"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"key,source (en),translation (es)\n", "no_rows"),
        (b"", "empty_file"),
    ],
)
def test_empty_csv_files_are_refused(data: bytes, code: str) -> None:
    assert [c for _, c in problems(survey(), "es", data, "csv")] == [code]


@pytest.mark.parametrize(
    "data",
    [b'msgid ""\nmsgstr ""\n', b"key,source,translation\n", b"PK\x03\x04 not really a zip"],
)
def test_a_file_that_is_not_a_spreadsheet_is_refused(data: bytes) -> None:
    assert problems(survey(), "es", data, "xlsx") == [(0, "not_an_xlsx_file")]


def test_a_workbook_without_the_columns_is_refused() -> None:
    book = Workbook()
    book.active.append(["Name", "Text"])
    book.active.append(["title", "Encuesta"])
    out = io.BytesIO()
    book.save(out)
    assert problems(survey(), "es", out.getvalue(), "xlsx") == [
        (1, "missing_column"),
        (1, "missing_column"),
        (1, "missing_column"),
    ]


def test_a_po_file_without_a_language_is_refused() -> None:
    data = export_translations(survey(), "es", "po").replace(b'"Language: es\\n"\n', b"")
    assert [c for _, c in problems(survey(), "es", data, "po")] == ["language_missing"]


# --- The editor's check -------------------------------------------------------------------


def test_placeholders_are_found_in_both_styles() -> None:
    assert placeholders("Hi {name}, %(count)d items, {0}, 100% sure {}") == {
        "{name}",
        "%(count)d",
        "{0}",
    }


def test_check_texts_reports_placeholder_problems_by_key_and_ignores_blanks() -> None:
    found = check_texts(
        survey(),
        "es",
        {"questions.area.label": "¿Dónde?", "title": "", "questions.nope.label": "x"},
    )
    assert [(p.key, p.code) for p in found] == [
        ("questions.nope.label", "unknown_key"),
        ("questions.area.label", "placeholder_missing"),
    ]
