"""Reading an XLSForm file with pyxform: its sheets, its header spellings, its types.

pyxform (the XLSForm project's reference implementation) reads ``.xls`` (xlrd), the
Markdown and CSV forms of an XLSForm, and knows every alias real forms use: ``list name``
with a space, ``label:english`` with one colon, ``bind:relevant``, ``relevance``,
``caption``, ``select one from x``, ``select all that apply from x``, ``string``…

``.xlsx`` files are read by :mod:`surveys.xlsform.workbook` (row by row, within the
import's bounds: pyxform's own reader scans every sheet when it opens it), into the same
shape pyxform's readers give: each sheet a list of ``{header: text}`` rows with its cells
converted by pyxform's ``xlsx_value_to_str``. From there on, everything is pyxform's:
headers are dealiased by ``pyxform.parsing.sheet_headers.process_header`` and types by
pyxform's select/control patterns and question type dictionary.

pyxform's nested JSON (``workbook_to_json``) is not used: it has no row numbers, and it
stops at the first thing it refuses, where Engage lists every row it leaves out.

The result is one :class:`~surveys.xlsform.sheets.Sheet` per sheet whose row keys are
*flat* Engage keys (``label::English (en)``, ``relevant``, ``constraint_message::es``),
each remembering the header it came from (``column``) for the import report.
"""

from __future__ import annotations

import datetime
import io
import re
from typing import Any

from pyxform import aliases, constants
from pyxform.errors import PyXFormError
from pyxform.parsing.sheet_headers import clean_text_values, process_header
from pyxform.question import MultipleChoiceQuestion, Option
from pyxform.question_type_dictionary import QUESTION_TYPE_DICT
from pyxform.survey import Survey
from pyxform.utils import default_is_dynamic
from pyxform.xls2json import RE_BEGIN_CONTROL, RE_END_CONTROL, RE_OSM, RE_SELECT
from pyxform.xls2json_backends import (
    csv_to_dict,
    get_excel_column_headers,
    is_csv,
    is_markdown_table,
    md_to_dict,
    xls_to_dict,
    xlsx_value_to_str,
)

from surveys.errors import ImportFailed, ImportProblem
from surveys.limits import ImportBudget
from surveys.xlsform.sheets import Sheet, XLSFormType
from surveys.xlsform.workbook import open_sheets, sheet_rows

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an .xls (BIFF) workbook
_SHEETS = ("survey", "choices", "settings")

# pyxform's grouped headers, as the flat keys the rest of the importer reads.
_FLAT = {
    ("bind", "relevant"): "relevant",
    ("bind", "required"): "required",
    ("bind", "constraint"): "constraint",
    ("bind", "calculate"): "calculation",
    ("bind", "readonly"): "read_only",
    ("bind", "jr:constraintMsg"): "constraint_message",
    ("bind", "jr:requiredMsg"): "required_message",
    ("bind", "jr:noAppErrorString"): "no_app_error_string",
    ("control", "appearance"): "appearance",
    ("control", "jr:count"): "repeat_count",
    ("control", "autoplay"): "autoplay",
    ("control", "rows"): "rows",
    (constants.TITLE,): "form_title",
    (constants.ID_STRING,): "form_id",
    (constants.LIST_NAME_S,): "list_name",
}
_TRANSLATABLE = frozenset(
    {"label", "hint", "guidance_hint", "constraint_message", "required_message"}
    | {"engage_title", "engage_description", "engage_thank_you"}
)
_MEDIA = frozenset({"image", "big-image", "audio", "video"})
_EXPRESSIONS = frozenset(
    {"relevant", "constraint", "required", "calculation", "choice_filter", "default", "read_only"}
)


def read_form_file(data: bytes, budget: ImportBudget) -> dict[str, Sheet]:
    """The ``survey``, ``choices`` and ``settings`` sheets of an XLSForm file (``.xlsx``,
    ``.xls``, pyxform's CSV or Markdown form), keyed by flat Engage column names.

    Raises :class:`ImportFailed` with one file-level problem when the file is none of
    these, or goes past the bounds of ``budget``.
    """
    if not data.strip():
        raise _refused("empty_file")
    if data[:2] == b"PK":
        book = _read_xlsx(data, budget)
    elif data[:4] == _OLE2[:4]:
        book = _read_with_pyxform(xls_to_dict, data, "not_an_xls_file")
    else:
        book = _read_text(data)
    sheets: dict[str, Sheet] = {}
    for name in _SHEETS:
        if book.get(name) is None and not book.get(f"{name}_header"):
            continue
        header = list((book.get(f"{name}_header") or [{}])[0])
        rows = list(budget.rows(book.get(name) or [], name))
        sheets[name] = _flatten(name, header, rows)
    named = any(str(n).strip().lower() == "survey" for n in book.get("sheet_names") or ())
    if "survey" not in sheets or ("type" not in sheets["survey"].headers and not named):
        raise ImportFailed([ImportProblem("survey", 0, "missing_sheet")])
    if "type" not in sheets["survey"].headers:
        raise ImportFailed([ImportProblem("survey", 1, "missing_type_column")])
    return sheets


def _refused(code: str, **params: Any) -> ImportFailed:
    return ImportFailed([ImportProblem("", 0, code, params)])


def _read_with_pyxform(reader: Any, data: Any, code: str) -> dict[str, Any]:
    """pyxform's reading of an ``.xls``, CSV or Markdown file; whatever the parsers
    underneath (xlrd, csv) raise for a broken file is the problem ``code``."""
    try:
        return reader(data)
    except Exception:
        raise _refused(code) from None


def _read_text(data: bytes) -> dict[str, Any]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _refused("not_a_form_file") from None
    if "\x00" in text:
        raise _refused("not_a_form_file")
    if is_markdown_table(text):
        return _read_with_pyxform(md_to_dict, io.BytesIO(text.encode()), "not_a_form_file")
    if is_csv(text):
        return _read_with_pyxform(csv_to_dict, io.BytesIO(text.encode()), "not_a_form_file")
    raise _refused("not_a_form_file")


def _read_xlsx(data: bytes, budget: ImportBudget) -> dict[str, Any]:
    """The workbook as pyxform's ``xlsx_to_dict`` gives it, read within ``budget``."""
    book: dict[str, Any] = {}
    with open_sheets(data, budget) as worksheets:
        book["sheet_names"] = [ws.title for ws in worksheets]
        only = len(worksheets) == 1
        for ws in worksheets:
            name = ws.title.strip().lower()
            if name not in _SHEETS:
                if not only:
                    continue
                name = "survey"  # pyxform reads a lone sheet as the survey
            rows = sheet_rows(ws, budget)
            first = next(rows, None)
            try:
                headers = get_excel_column_headers(
                    [None if v is None else str(v) for v in first or ()]
                )
            except PyXFormError as error:
                raise ImportFailed(
                    [ImportProblem(name, 1, "duplicate_column", {"detail": str(error)})]
                ) from None
            records = []
            for values in rows:
                record = {}
                for key, value in zip(headers, values, strict=False):
                    if key is None or value is None:
                        continue
                    # Text as written (pyxform would turn no-break spaces, which French
                    # punctuation needs, into spaces); numbers, dates, booleans as pyxform.
                    text = value.strip() if isinstance(value, str) else _cell_text(value)
                    if text != "":
                        record[key] = text
                records.append(record)
            while records and not records[-1]:
                records.pop()
            book[name] = records
            book[f"{name}_header"] = [{k: None for k in headers if k is not None}]
    return book


def _cell_text(value: Any) -> str:
    """A number, date or boolean cell as pyxform reads it, except a date: Excel keeps
    ``2010-06-15`` typed in a cell as a date, which pyxform reads as ``2010-06-15
    00:00:00`` (no date question takes that as its default); it is the date typed."""
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    return xlsx_value_to_str(value)


_COLUMNS = {
    "survey": (aliases.survey_header, set(MultipleChoiceQuestion.get_slot_names())),
    "choices": (aliases.list_header, set(Option.get_slot_names())),
    "settings": (aliases.settings_header, set(Survey.get_slot_names())),
}


def flat_key(tokens: tuple[str, ...]) -> str:
    """pyxform's tokens of a header (``("bind", "relevant")``, ``("label", "English
    (en)")``) as one flat key (``relevant``, ``label::English (en)``)."""
    for size in (2, 1):
        if tokens[:size] in _FLAT:
            rest = tokens[size:]
            return "::".join((_FLAT[tokens[:size]], *rest))
    if tokens[0] == "media" and len(tokens) > 1:
        return "::".join(("media", *tokens[1:]))
    if tokens[0] in ("bind", "control", "instance") and len(tokens) > 1:
        return "::".join(tokens)
    if len(tokens) > 1 and tokens[0].split("::")[0] in _TRANSLATABLE | _MEDIA:
        return f"{tokens[0]}::{'::'.join(tokens[1:])}"
    return "::".join(tokens)


def _flatten(name: str, header: list[str], rows: list[dict[str, Any]]) -> Sheet:
    header_aliases, columns = _COLUMNS[name]
    double = any("::" in h for h in header)
    keys: dict[str, str] = {}
    sheet = Sheet(name)
    used = {key for record in rows for key, value in record.items() if value not in (None, "")}
    for original in header:
        if original is None or not str(original).strip():
            continue  # a column without a header holds nothing pyxform reads
        if original == "None" and original not in used:
            continue  # pyxform's Markdown reading names a blank header cell "None"
        _new, tokens = process_header(original, double, header_aliases, columns)
        key = flat_key(tuple(tokens))
        if key.split("::")[0] in _MEDIA:
            key = f"media::{key}"
        keys[original] = key
        if key not in sheet.origin:
            sheet.headers.append(key)
            sheet.origin[key] = original
    for number, record in enumerate(rows, start=2):
        row = {}
        for original, value in record.items():
            key = keys.get(original)
            text = str(value).strip() if value is not None else ""
            if key in _EXPRESSIONS:  # pyxform straightens curly quotes in expressions
                text = clean_text_values(text)
            if key and text and key not in row:
                row[key] = text
        if row:
            sheet.rows.append((number, row))
    return sheet


# -- types -----------------------------------------------------------------------------

_SELECTS = {
    constants.SELECT_ONE: "select_one",
    constants.SELECT_ALL_THAT_APPLY: "select_multiple",
    constants.RANK: "rank",
}
_BIND_TYPES = {
    "int": "integer",
    "decimal": "decimal",
    "date": "date",
    "dateTime": "datetime",
    "time": "time",
}


def parse_type(raw: str) -> XLSFormType:
    """The type cell as pyxform reads it (aliases resolved), in Engage's terms."""
    text = " ".join(raw.split())
    text = aliases._type_alias_map.get(text, text)
    lowered = text.lower()
    for candidate in (text, lowered):
        select = RE_SELECT.match(candidate)
        if select is not None:
            return _select(text, select)
    begin = RE_BEGIN_CONTROL.match(lowered)
    if begin is not None:
        control = aliases.control[begin["type"]]
        return XLSFormType("begin group" if control == "group" else "begin repeat", (), "control")
    end = RE_END_CONTROL.match(lowered)
    if end is not None:
        control = aliases.control[end["type"]]
        return XLSFormType("end group" if control == "group" else "end repeat", (), "control")
    osm = RE_OSM.match(lowered)
    if osm is not None:
        return XLSFormType(text, (osm["list_name"],), "unsupported")
    if lowered in ("acknowledge", "note", "range", "calculate", "hidden"):
        return XLSFormType(lowered, (), "question")
    entry = QUESTION_TYPE_DICT.get(text) or QUESTION_TYPE_DICT.get(lowered)
    if entry is None:
        word = lowered.split(" ")[0]
        if word in ("select_one_from_file", "select_multiple_from_file"):
            return XLSFormType(word, (), "unsupported")
        return XLSFormType(text, (), "unknown")
    return _from_dictionary(lowered, entry)


def _select(text: str, match: re.Match[str]) -> XLSFormType:
    command = match["select_command"]
    words = len(command.split())
    list_name = text.split(" ")[words] if len(text.split(" ")) > words else match["list_name"]
    if command in aliases.select_from_file:
        return XLSFormType(command.replace(" ", "_"), (list_name,), "unsupported")
    base = _SELECTS.get(aliases.select[command])
    if base is None:  # select_one_external
        return XLSFormType(command, (list_name,), "unsupported")
    args = (list_name, "or_other") if match["specify_other"] else (list_name,)
    return XLSFormType(base, args, "question")


def _from_dictionary(name: str, entry: dict[str, Any]) -> XLSFormType:
    bind = entry.get("bind", {})
    control = entry.get("control", {})
    if "jr:preload" in bind or control.get("tag") == "action" or name == "audit":
        return XLSFormType(name, (), "metadata")
    if control.get("tag") == "upload" or bind.get("type") == "binary":
        return XLSFormType(name, (), "unsupported")
    if control.get("tag") == "trigger" and bind.get("type") in (None, "string"):
        return XLSFormType("acknowledge", (), "question")
    if bind.get("readonly") == "true()":
        return XLSFormType("note", (), "question")
    if not control:
        return XLSFormType("calculate", (), "question")
    if bind.get("type") == "string":
        return XLSFormType("text", (), "question")
    base = _BIND_TYPES.get(bind.get("type", ""))
    if base is not None:
        return XLSFormType(base, (), "question")
    return XLSFormType(name, (), "unsupported")


_DEFAULT_BIND_TYPES = {"date": "date", "date_time": "dateTime"}


def dynamic_default(text: str, question_type: str) -> bool:
    """Whether pyxform reads ``text`` in a ``default`` cell as a formula (``today()``,
    ``${age} + 1``) rather than as a value."""
    return default_is_dynamic(text, _DEFAULT_BIND_TYPES.get(question_type))
