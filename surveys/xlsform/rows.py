"""Turning the rows of an XLSForm ``survey`` sheet into pages and questions.

Groups become pages here; each question row goes to the question type that claims it
(:func:`xlsform_type`), which reads its own fields (see :mod:`surveys.types`).
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from surveys.checks import CODE_PATTERN
from surveys.conditions import Comparison, Condition, condition_to_dict
from surveys.parsing import parse_question
from surveys.schema import LocalizedText
from surveys.types import QUESTION_TYPES, QuestionType, get_type
from surveys.types.xlsform_io import XLSFormGroupReading, XLSFormRow
from surveys.xlsform.relevant import RelevantError, parse_relevant
from surveys.xlsform.sheets import Sheet, XLSFormType, texts, word

if TYPE_CHECKING:
    from surveys.xlsform.media import ChoiceFile
    from surveys.xlsform.reader import Collector

METADATA_TYPES = frozenset(
    {
        "start", "end", "today", "deviceid", "subscriberid", "simserial", "phonenumber",
        "username", "email", "audit", "start-geopoint", "uri:subscriberid", "uri:email",
        "uri:deviceid", "uri:simserial", "uri:phonenumber", "uri:username",
    }
)  # fmt: skip
_IGNORED_COLUMNS = frozenset(
    {
        "required_message", "read_only", "guidance_hint",
        "media", "image", "audio", "video", "big-image", "trigger", "body", "bind",
        "instance", "calculation", "repeat_count", "autoplay", "note", "control",
        "no_app_error_string", "rows", "sms_field", "query",
    }
)  # fmt: skip
# Types Engage leaves out, by the code that says why (``unsupported_type`` otherwise).
_LEFT_OUT_TYPES = {
    "hidden": "hidden_unsupported",
    "geopoint": "geo_unsupported",
    "geotrace": "geo_unsupported",
    "geoshape": "geo_unsupported",
    "select_one_from_file": "select_from_file_unsupported",
    "select_multiple_from_file": "select_from_file_unsupported",
    "select one external": "select_from_file_unsupported",
    "select_one_external": "select_from_file_unsupported",
}
_MEDIA_TYPES = frozenset(
    {"photo", "image", "audio", "video", "file", "background-audio", "q picture", "q image"}
)
# The column each problem a question type reports is about.
_PROBLEM_COLUMNS = {
    "invalid_range_parameters": "parameters",
    "range_step_unsupported": "parameters",
    "range_parameter_unknown": "parameters",
    "range_bounds_not_whole": "parameters",
}
_FIELD_COLUMNS = {
    "label": "label", "help": "hint", "code": "name", "required": "required",
    "show_if": "relevant", "minimum": "constraint", "maximum": "constraint",
    "max_length": "constraint", "max_choices": "constraint", "analysis_role": "engage_role",
    "outcome": "engage_outcome", "dimension": "engage_dimension",
}  # fmt: skip
_REFERENCE = re.compile(r"\$\{([^}\s]+)\}")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_KNOWN_APPEARANCES = frozenset(
    {
        "multiline", "minimal", "autocomplete", "likert", "field-list", "table-list", "quick",
        "horizontal", "horizontal-compact", "columns", "columns-pack", "compact", "label",
        "list-nolabel", "list", "no-calendar", "numbers",
    }
).union(*(t.xlsform_appearances for t in QUESTION_TYPES.values()))  # fmt: skip


def xlsform_type(row: XLSFormRow) -> QuestionType | None:
    """The question type that claims ``row`` most strongly (the first listed on a tie)."""
    best, best_rank = None, 0
    for qtype in QUESTION_TYPES.values():
        if row.base in qtype.xlsform_types:
            rank = qtype.xlsform_match(row)
            if rank is not None and rank > best_rank:
                best, best_rank = qtype, rank
    return best


def parse_constraint(text: str, question: Mapping[str, Any]) -> dict[str, Any] | None:
    """The bounds expressed by a constraint Engage understands, or None."""
    question_type = get_type(question["type"])
    found: dict[str, Any] = {}
    for part in re.split(r"\s+and\s+", text.strip()):
        fields = question_type.read_xlsform_constraint(part, question)
        if fields is None:
            return None
        found.update(fields)
    return found


def _references(condition: Any) -> set[str]:
    """The question codes a condition (as a dict) looks at."""
    if isinstance(condition, dict):
        found = {condition["question"]} if isinstance(condition.get("question"), str) else set()
        for value in condition.values():
            found |= _references(value)
        return found
    if isinstance(condition, list):
        return set().union(*(_references(c) for c in condition)) if condition else set()
    return set()


class SurveyRows:
    """A small state machine over the survey sheet: groups become pages.

    A row Engage cannot use is left out and noted (``left_out``); so is the group or
    repeat it begins, with everything in it. Questions whose skip logic looks at a
    question left out are left out too, saying so.
    """

    KNOWN_COLUMNS = frozenset(
        {
            "type", "name", "label", "hint", "required", "relevant", "constraint",
            "appearance", "choice_filter", "parameters", "engage_type", "engage_role",
            "constraint_message", "default",
            "engage_outcome", "engage_dimension", "list_name",
        }
    ) | _IGNORED_COLUMNS  # fmt: skip

    def __init__(
        self,
        out: Collector,
        lists: dict[str, list[dict[str, Any]]],
        columns: dict[str, str],
        languages: list[str],
        sheet: Sheet | None = None,
        choice_file: Callable[[str], ChoiceFile | None] | None = None,
        areas: Sequence[str] = (),
    ) -> None:
        self.out = out
        self.areas = tuple(areas)
        """The campaign's areas: a location question offers them, or a place to type."""
        self.choice_file = choice_file
        """The CSV of choices uploaded beside the form under a name, or None."""
        self.reported_files: set[str] = set()
        self.lists = lists
        self.columns = columns
        self.languages = languages
        self.sheet = sheet or Sheet("survey")
        self.pages: list[dict[str, Any]] = []
        self.page_rows: list[int] = []
        self.page_tries: list[int] = []
        self.question_rows: list[list[int]] = []
        self.stack: list[str] = []  # "page", "nested", "question" (a grid), "skip"
        self.begun: list[int] = []  # the row each group in ``stack`` begins on
        self.conditions: list[dict[str, Any] | None] = []  # of the groups in ``stack``
        self.implicit = False
        self.group: tuple[XLSFormRow, XLSFormGroupReading] | None = None
        self.types: dict[str, str] = {}
        self.questions: dict[str, dict[str, Any]] = {}
        self.dropped: set[str] = set()
        self.filter_columns: set[str] = set()
        """The extra columns of the choices sheet that choice filters compare."""
        self.continued: dict[str, str] = {}  # a page's key → the page it continues
        self.calculations: list[dict[str, str]] = []
        self.calculation_rows: list[int] = []
        self.templates: list[dict[str, Any]] = []  # the page each nested page interrupts

    # -- helpers -----------------------------------------------------------------------

    def column(self, key: str) -> str:
        """The header as written of ``key`` (or of its first language column)."""
        if key in self.sheet.origin:
            return self.sheet.origin[key]
        for header in self.sheet.headers:
            if header.startswith(f"{key}::"):
                return self.sheet.origin.get(header, header)
        return key

    def left_out(self, row: int, code: str, column: str = "type", /, **params: Any) -> None:
        self.out.note("left_out", "survey", row, code, self.column(column), **params)

    def adapted(self, row: int, code: str, column: str, /, **params: Any) -> None:
        self.out.note("adapted", "survey", row, code, self.column(column), **params)

    def warn(self, row: int, code: str, column: str = "type", /, **params: Any) -> None:
        self.out.note("ignored", "survey", row, code, self.column(column), **params)

    def problem(self, row: int, code: str, /, **params: Any) -> None:
        """A question type cannot read ``row``: the row is left out."""
        self.left_out(row, code, _PROBLEM_COLUMNS.get(code, "type"), **params)

    def adapt(self, row: int, code: str, /, **params: Any) -> None:
        """A question type reads ``row`` with a change (``code`` says which)."""
        self.adapted(row, code, "relevant" if code.startswith("relevant") else "type", **params)

    def choices(self, row: int, list_name: str) -> list[dict[str, Any]] | None:
        options = self.lists.get(list_name)
        if options is None:
            self.problem(row, "unknown_choice_list", list=list_name)
            return None
        copied = []
        for option in copy.deepcopy(options):
            option.pop("_row", None)
            attributes = option.pop("_attributes", None)
            if attributes:
                option["attributes"] = attributes  # kept where a choice filter uses them
            copied.append(option)
        return copied

    def texts(self, cells: Mapping[str, str], base: str) -> LocalizedText:
        return texts(dict(cells), base, self.columns)

    def word(self, key: str) -> LocalizedText:
        return word(key, self.languages)

    def condition(self, number: int, row: Mapping[str, str]) -> tuple[bool, Condition | None]:
        """``(readable, condition)`` of the row's ``relevant``; an unreadable one is noted
        (the caller leaves the row out)."""
        expression = row.get("relevant", "")
        if not expression:
            return True, None
        try:
            return True, parse_relevant(expression, self.types)
        except RelevantError as exc:
            code, params = exc.code, dict(exc.params)
            if code == "unknown_or_later_question" and params.get("question") in self.calculated:
                code = "refers_to_calculation"
            elif code == "unknown_or_later_question" and params.get("question") in self.dropped:
                code = "refers_to_left_out"
            elif code == "unknown_or_later_question" and params.get("question") in self.names:
                code = "later_question"
            self.left_out(number, f"relevant_{code}", "relevant", expression=expression, **params)
            return False, None

    @property
    def names(self) -> set[str]:
        return {name for _n, row in self.sheet.rows if (name := row.get("name"))}

    def locate(self, path: str, settings_row: int) -> tuple[str, int]:
        """The sheet and row a definition path came from."""
        m = re.match(r"^\$\.pages\[(\d+)\](?:\.questions\[(\d+)\])?", path)
        if m is None or int(m[1]) >= len(self.pages):
            return "settings", settings_row
        page = int(m[1])
        if m[2] is not None and int(m[2]) < len(self.question_rows[page]):
            return "survey", self.question_rows[page][int(m[2])]
        return "survey", self.page_rows[page]

    def question_at(self, path: str) -> tuple[int, int] | None:
        """``(page, index)`` of the question a definition path is about, if any."""
        m = re.match(r"^\$\.pages\[(\d+)\]\.questions\[(\d+)\]", path)
        if m is None:
            return None
        page, index = int(m[1]), int(m[2])
        if page >= len(self.pages) or index >= len(self.pages[page]["questions"]):
            return None
        return page, index

    def remove_at(self, places: set[tuple[int, int]]) -> None:
        """Leave out the questions at ``places``, then those whose skip logic looks at
        a question no longer in the survey."""
        removed = set()
        for page, index in sorted(places, reverse=True):
            removed.add(self.pages[page]["questions"].pop(index)["code"])
            del self.question_rows[page][index]
        kept = {q["code"] for p in self.pages for q in p["questions"]}
        self.remove(removed - kept)

    def column_of(self, path: str) -> str:
        m = re.match(r"^\$\.pages\[\d+\]\.questions\[\d+\]\.?([a-z_]*)", path)
        field = m[1] if m else ""
        return self.column(_FIELD_COLUMNS.get(field, "type" if field else "name"))

    def remove(self, codes: set[str]) -> None:
        """Leave out the questions ``codes``, then those whose skip logic looks at them."""
        while codes:
            self.dropped |= codes
            following: set[str] = set()
            for index, page in enumerate(self.pages):
                kept, rows = [], []
                for q, number in zip(page["questions"], self.question_rows[index], strict=True):
                    if q["code"] in codes:
                        continue
                    refs = _references(q.get("show_if")) & self.dropped
                    if refs:
                        self.left_out(number, "relevant_refers_to_left_out", "relevant",
                                      question=sorted(refs)[0])  # fmt: skip
                        following.add(q["code"])
                        continue
                    filtered = {c["question"] for c in q.get("choice_filter", [])} & self.dropped
                    if filtered:
                        del q["choice_filter"]
                        self.adapted(number, "choice_filter_refers_to_left_out", "choice_filter",
                                     question=sorted(filtered)[0])  # fmt: skip
                    kept.append(q)
                    rows.append(number)
                page["questions"], self.question_rows[index] = kept, rows
                refs = _references(page.get("show_if")) & self.dropped
                if refs:
                    page.pop("show_if")
                    self.left_out(self.page_rows[index], "relevant_refers_to_left_out",
                                  "relevant", question=sorted(refs)[0])  # fmt: skip
                    following |= {q["code"] for q in page["questions"]}
                    page["questions"], self.question_rows[index] = [], []
            codes = following - self.dropped

    def drop_empty_pages(self) -> None:
        """Pages left without questions go; one that never had any is noted."""
        for index in reversed(range(len(self.pages))):
            if self.pages[index]["questions"]:
                continue
            if not self.page_tries[index]:
                self.warn(self.page_rows[index], "empty_group_left_out", "type",
                          name=self.pages[index]["key"])  # fmt: skip
            for listing in (self.pages, self.page_rows, self.question_rows, self.page_tries):
                del listing[index]

    def start_page(self, number: int, key: str, row: dict[str, str]) -> bool:
        page: dict[str, Any] = {"key": key, "questions": []}
        if row:
            readable, condition = self.condition(number, row)
            if not readable:
                return False
            page["title"] = texts(row, "label", self.columns)
            page["description"] = texts(row, "hint", self.columns)
            if condition is not None:
                page["show_if"] = condition_to_dict(condition)
        self.pages.append(page)
        self.page_rows.append(number)
        self.page_tries.append(0)
        self.question_rows.append([])
        return True

    def continue_on_new_page(self, number: int, looked_at: str) -> None:
        """A filtered choice goes to a new page (with the rest of its group), after the
        question its filter looks at, so the page shows the right choices without
        JavaScript."""
        self.continuation(self.pages[-1], self.page_rows[-1])
        self.adapted(number, "choice_filter_new_page", "choice_filter", question=looked_at)

    def continuation(self, page: dict[str, Any], number: int) -> None:
        """A new page going on with ``page``'s group: its title and its condition, and a
        key after it (``where_2``). Left out quietly if nothing comes on it."""
        origin = self.continued.get(page["key"], page["key"])
        part = 2
        while f"{origin}_{part}" in {p["key"] for p in self.pages}:
            part += 1
        following: dict[str, Any] = {"key": self.free_key(f"{origin}_{part}"), "questions": []}
        self.continued[following["key"]] = origin
        for field in ("title", "show_if"):
            if page.get(field):
                following[field] = copy.deepcopy(page[field])
        self.pages.append(following)
        self.page_rows.append(number)
        self.page_tries.append(1)
        self.question_rows.append([])

    def free_key(self, key: str) -> str:
        keys = {p["key"] for p in self.pages}
        if key and key not in keys and CODE_PATTERN.match(key):
            return key
        n = len(self.pages) + 1
        while f"page_{n}" in keys:
            n += 1
        return f"page_{n}"

    def append(self, number: int, question: dict[str, Any]) -> None:
        if not self.stack and not self.implicit:
            self.implicit = True
            self.start_page(number, self.free_key(""), {})
            self.page_tries[-1] = 1  # the page is there for this question
        on_page = {q["code"] for q in self.pages[-1]["questions"]}
        looked_at = [c["question"] for c in question.get("choice_filter", [])]
        same_page = [code for code in looked_at if code in on_page]
        if same_page:
            self.continue_on_new_page(number, same_page[0])
        self.pages[-1]["questions"].append(question)
        self.question_rows[-1].append(number)
        self.types[question["code"]] = question["type"]
        self.questions[question["code"]] = question

    # -- rows --------------------------------------------------------------------------

    def add(self, number: int, row: dict[str, str]) -> None:
        raw_type = " ".join(row.get("type", "").split())
        if not raw_type:
            if row.get("name") or any(k.startswith("label") for k in row):
                self.left_out(number, "missing_type", "type")
                self.dropped.add(row.get("name", ""))
            return  # pyxform skips a row with no type, name or label: a comment
        from surveys.xlsform.source import parse_type  # pyxform, loaded when first used

        t = parse_type(raw_type)
        if self.stack and self.stack[-1] == "skip":
            if t.base in ("begin group", "begin repeat"):
                self.push("skip", number)
            elif t.base in ("end group", "end repeat"):
                self.pop()
            elif row.get("name"):
                self.dropped.add(row["name"])
            return
        if self.page_tries and t.kind != "control":
            self.page_tries[-1] += 1
        elif self.page_tries and self.stack and t.base in ("begin group", "begin repeat"):
            self.page_tries[-1] += 1  # a group inside is reported where it goes, not as empty
        if t.base == "begin group":
            self.begin_group(number, row)
        elif t.base == "end group":
            self.end_group(number)
        elif t.base == "begin repeat":
            if row.get("name"):
                self.left_out(number, "repeat_unsupported", "type", name=row["name"])
            else:  # pyxform's ``begin loop over list`` needs no name
                self.left_out(number, "repeat_unsupported_unnamed", "type")
            self.skip(number, row)
        elif t.base == "end repeat":
            self.warn(number, "unbalanced_end", "type")
        elif t.kind == "metadata":
            self.warn(number, "metadata_ignored", "type", type=raw_type)
        elif t.base in ("geopoint", "location", "gps", "q location", "q geopoint"):
            self.location_as_text(number, row, raw_type)
        elif t.base == "calculate" and t.kind == "question":
            self.calculation(number, row)
        elif t.base in ("select_one_from_file", "select_multiple_from_file") and t.args:
            self.select_from_file(number, row, raw_type, t)
        elif t.kind in ("unsupported", "unknown"):
            self.leave_out_type(number, row, t, raw_type)
        else:
            self.question(number, row, raw_type, t)

    @functools.cached_property
    def calculate_names(self) -> set[str]:
        """The names of the sheet's ``calculate`` rows (a label may show one's value)."""
        return {
            row["name"]
            for _n, row in self.sheet.rows
            if row.get("name") and " ".join(row.get("type", "").split()).lower() == "calculate"
        }

    @property
    def calculated(self) -> set[str]:
        return {c["code"] for c in self.calculations}

    def calculation(self, number: int, row: dict[str, str]) -> None:
        """A ``calculate`` row: worked out when a response is sent, and stored with it
        (only while its ``relevant`` holds); left out, naming why, when Engage cannot."""
        from surveys.calculations import CalculationError, parse_calculation

        name, expression = row.get("name", ""), row.get("calculation", "").strip()
        if not name:
            self.left_out(number, "missing_name", "name", type=row.get("type", ""))
            return
        self.dropped.add(name)
        if not expression:
            self.left_out(number, "calculation_missing", "calculation")
            return
        relevant = row.get("relevant", "").strip()
        column = "calculation"
        try:
            parse_calculation(expression)
            if relevant:
                column = "relevant"
                expression = f"if({relevant}, {expression}, '')"
                parse_calculation(expression)
        except CalculationError as error:
            self.left_out(number, f"calculation_{error.code}", column, near=error.near)
            return
        self.dropped.discard(name)
        self.calculations.append({"code": name, "expression": expression})
        self.calculation_rows.append(number)
        for key in sorted(k for k in row if k.split("::")[0] in ("label", "hint")):
            self.warn(number, "calculation_label_not_shown", key)
            break

    def check_calculations(self) -> None:
        """Put the calculations in an order where each comes after those it uses (ODK
        works them out in that order too), leaving out, and naming, each that uses
        something not in the survey: a question left out, or a calculation that depends
        on itself."""
        from surveys.calculations import parse_calculation, references

        available = {
            q["code"] for p in self.pages for q in p["questions"] if get_type(q["type"]).answerable
        }
        waiting = list(zip(self.calculations, self.calculation_rows, strict=True))
        needs = {
            c["code"]: set(references(parse_calculation(c["expression"]))) for c, _n in waiting
        }
        kept: list[tuple[dict[str, str], int]] = []
        while waiting:
            ready = [(c, n) for c, n in waiting if needs[c["code"]] <= available]
            if not ready:
                break
            for calculation, number in ready:
                kept.append((calculation, number))
                available.add(calculation["code"])
            waiting = [item for item in waiting if item not in ready]
        pending = {c["code"] for c, _n in waiting}
        for calculation, number in waiting:
            missing = sorted(needs[calculation["code"]] - available)
            first = next((m for m in missing if m not in pending), missing[0])
            if first in pending:
                code = "calculation_cycle"
            elif first in self.dropped or first in self.names:
                code = "calculation_refers_to_left_out"
            else:
                code = "calculation_unknown_question"
            self.left_out(number, code, "calculation", question=first)
            self.dropped.add(calculation["code"])
        self.calculations = [c for c, _n in kept]
        self.calculation_rows = [n for _c, n in kept]

    def push(self, kind: str, number: int, condition: dict[str, Any] | None = None) -> None:
        self.stack.append(kind)
        self.begun.append(number)
        self.conditions.append(condition)

    def pop(self) -> str:
        self.begun.pop()
        self.conditions.pop()
        return self.stack.pop()

    def skip(self, number: int, row: dict[str, str]) -> None:
        if row.get("name"):
            self.dropped.add(row["name"])
        self.push("skip", number)

    def location_as_text(self, number: int, row: dict[str, str], raw_type: str) -> None:
        """A location (``geopoint``) becomes an optional question with no map and no
        JavaScript: with the campaign's areas, a list of them and "somewhere else" with
        the place to type (stored as the area, and the place in ``<code>__other``);
        without areas, a text question where residents type the place. The box's label
        says it is for "somewhere else": a place typed with an area chosen is not kept."""
        name = row.get("name", "")
        if not name or self.group is not None:
            self.leave_out_type(number, row, XLSFormType(raw_type, (), "unsupported"), raw_type)
            return
        q: dict[str, Any] = {"code": name, "type": "short_text"}
        code = "location_as_text"
        if self.areas:
            from surveys.editing import code_from_text

            options: dict[str, dict[str, Any]] = {}
            for area in self.areas:
                value = code_from_text(area, "area")[:60]
                while value in options or value == "elsewhere":
                    value = f"{value}_{len(options) + 1}"
                # an area's name, as the campaign writes it, in every language (staff
                # may translate it in the builder)
                options[value] = {"value": value, "label": dict.fromkeys(self.languages, area)}
            options["elsewhere"] = {
                "value": "elsewhere", "label": self.word("elsewhere"), "specify": True,
                "specify_label": self.word("place"),
            }  # fmt: skip
            q = {"code": name, "type": "dropdown", "options": list(options.values())}
            code = "location_as_area_or_place"
        cells = {k: v for k, v in row.items() if k not in ("required", "constraint", "appearance")}
        if not self.common(number, q, cells):
            self.dropped.add(name)
            return
        self.adapted(number, code, "type", type=raw_type)
        self.append(number, q)

    def select_from_file(
        self, number: int, row: dict[str, str], raw_type: str, t: XLSFormType
    ) -> None:
        """``select_one_from_file stops.csv``: a choice question whose choices are the
        rows of the CSV uploaded beside the form; left out, naming the file, when it was
        not uploaded or cannot be used (each bad row of it is listed)."""
        file = t.args[0]
        name = row.get("name", "")
        found = None
        if file.lower().endswith(".csv") and self.choice_file is not None:
            found = self.choice_file(file)
        if "." not in file:  # pyxform needs the extension: ``fruits.csv``
            code = "choice_file_no_extension"
        elif not file.lower().endswith(".csv"):
            code = "choice_file_not_csv_type"
        elif found is None:
            code = "select_from_file_missing"
        elif not found.usable:
            code = "select_from_file_unusable"
            if file not in self.reported_files:
                self.reported_files.add(file)
                self.out.notes.extend(found.problems)
        else:
            key = f"file:{file}"
            if key not in self.lists:
                self.lists[key] = self.file_options(found)
            base = "select_one" if t.base == "select_one_from_file" else "select_multiple"
            self.question(number, row, raw_type, XLSFormType(base, (key,), "question"))
            return
        self.dropped.add(name)
        self.left_out(number, code, "type", type=raw_type, file=file)

    def file_options(self, found: ChoiceFile) -> list[dict[str, Any]]:
        """The choices of a usable CSV: ``name``, ``label`` in each language of the
        survey (``label::Spanish (es)``, ``label::es``, ``label:es``); other columns kept
        for choice filters. A label column in a language the form lacks is noted."""
        from surveys.xlsform.sheets import language_code

        languages: dict[str, str] = {}
        extra: list[str] = []
        source = self.columns.get("label", self.languages[0])
        for header in found.headers:
            base, _sep, annotation = header.replace("::", ":").partition(":")
            base = base.strip().lower()
            if base == "label" and annotation.strip() in ("", "default"):
                languages[header] = source
            elif base == "label":
                code = language_code(annotation)
                if code in self.languages:
                    languages.setdefault(header, code)
                else:
                    self.out.note("ignored", found.name, 1, "choice_file_language_ignored",
                                  header, file=found.name, language=annotation.strip())  # fmt: skip
            elif base and base != "name" and not base.startswith(("media", "image", "audio")):
                extra.append(header)
        options = []
        value_key = next(h for h in found.headers if h.strip().lower() == "name")
        for number, cells in found.rows:
            label: LocalizedText = {}
            for header, lang in languages.items():
                if cells.get(header) and (lang not in label or header.strip().lower() != "label"):
                    label[lang] = cells[header]
            option: dict[str, Any] = {"value": cells[value_key], "label": label, "_row": number}
            attributes = {h: cells[h] for h in extra if cells.get(h)}
            if attributes:
                option["_attributes"] = attributes
            options.append(option)
        return options

    def leave_out_type(self, number: int, row: dict[str, str], t: XLSFormType, raw: str) -> None:
        self.dropped.add(row.get("name", ""))
        if t.base in _MEDIA_TYPES or (t.kind == "unsupported" and t.base not in _LEFT_OUT_TYPES):
            code = "media_unsupported" if t.base in _MEDIA_TYPES else "unsupported_type"
        else:
            code = _LEFT_OUT_TYPES.get(t.base, "unknown_xlsform_type")
        self.left_out(number, code, "type", type=raw)

    def begin_group(self, number: int, row: dict[str, str]) -> None:
        name = row.get("name", "")
        group = XLSFormRow(number, row, "begin group")
        if not self.stack:
            self.implicit = False
            if not self.start_page(number, self.free_key(name), row):
                self.skip(number, row)
                return
            self.ignored_columns(number, row)
            self.push("page", number)
        elif self.group is None and (qtype := xlsform_type(group)) is not None:
            self.group = (group, qtype.read_xlsform_group(group, self))
            self.push("question", number)
        else:
            readable, condition = self.condition(number, row)
            if not readable:
                self.skip(number, row)
                return
            shown_name = name or self.texts(row, "label").get(self.languages[0], "")
            if self.group is not None:  # inside a grid: its label as a heading
                self.adapted(number, "nested_group_flattened", "type", name=shown_name)
                self.push("nested", number, condition_to_dict(condition) if condition else None)
                self.heading(number, name, row)
                return
            self.adapted(number, "nested_group_as_page", "type", name=shown_name)
            self.nested_page(number, name, row, condition_to_dict(condition) if condition else None)
            self.push("page", number)

    def nested_page(
        self, number: int, name: str, row: dict[str, str], condition: dict[str, Any] | None
    ) -> None:
        """A group inside a group becomes a page of its own: its label (or the enclosing
        group's) as the title, shown when the enclosing group's condition and its own
        hold."""
        outer = self.pages[-1]
        page: dict[str, Any] = {"key": self.free_key(name), "questions": []}
        title = texts(row, "label", self.columns) or outer.get("title")
        if title:
            page["title"] = copy.deepcopy(title)
        description = texts(row, "hint", self.columns)
        if description:
            page["description"] = description
        shown_if = [c for c in (outer.get("show_if"), condition) if c]
        if shown_if:
            page["show_if"] = copy.deepcopy(
                shown_if[0] if len(shown_if) == 1 else {"all": shown_if}
            )
        self.templates.append(outer)
        self.pages.append(page)
        self.page_rows.append(number)
        self.page_tries.append(0)
        self.question_rows.append([])

    def after_nested_page(self, number: int) -> None:
        """The rows after a nested group continue its enclosing group on a new page."""
        self.continuation(self.templates.pop(), number)

    def heading(self, number: int, name: str, row: dict[str, str]) -> None:
        """A nested group's label, shown as information text where the group begins
        (under the group's conditions)."""
        label = texts(row, "label", self.columns)
        if not label or not CODE_PATTERN.match(name) or "__" in name or name in self.types:
            return
        heading: dict[str, Any] = {"code": name, "type": "info", "label": label}
        shown_if = [c for c in self.conditions if c]
        if shown_if:
            heading["show_if"] = shown_if[0] if len(shown_if) == 1 else {"all": shown_if}
        self.append(number, heading)

    def end_group(self, number: int) -> None:
        if not self.stack:
            self.warn(number, "unbalanced_end", "type")
            return
        kind = self.pop()
        if kind == "question":
            self.finish_group()
        elif kind == "page" and "page" in self.stack:  # a nested group ends
            self.after_nested_page(number)
        elif kind == "page":
            self.implicit = False

    def finish(self) -> None:
        if self.group is not None:
            self.finish_group()
        if self.stack:
            self.adapted(self.begun[0], "unclosed_group", "type")
            self.stack.clear()
            self.begun.clear()
            self.conditions.clear()
            self.templates.clear()

    # -- questions ---------------------------------------------------------------------

    def question(self, number: int, row: dict[str, str], raw_type: str, t: XLSFormType) -> None:
        name = row.get("name", "")
        if not name:
            self.left_out(number, "missing_name", "name", type=raw_type)
            return
        sheet_row = XLSFormRow(number, row, t.base, t.args)
        if self.group is not None:
            self.group[1].add(sheet_row)
            return
        if name.endswith("__other") and t.base == "text" and self.fold_other(number, row, name):
            return
        qtype = xlsform_type(sheet_row)
        if qtype is None:
            self.leave_out_type(number, row, XLSFormType(t.base, t.args, "unsupported"), raw_type)
            return
        fields = qtype.read_xlsform(sheet_row, self)
        if fields is None:
            self.dropped.add(name)
            return
        q: dict[str, Any] = {"code": name, **fields}
        if not self.common(number, q, row):
            self.dropped.add(name)
            return
        if row.get("parameters") and t.base != "range":  # randomize=true, seed=, value=
            self.warn(number, "column_ignored", "parameters", column=self.column("parameters"))
        self.append(number, q)

    def ignored_columns(self, number: int, row: Mapping[str, str]) -> None:
        for key in sorted(k for k in row if k.split("::")[0] in _IGNORED_COLUMNS):
            self.warn(number, "column_ignored", key, column=self.column(key))

    def common(self, number: int, q: dict[str, Any], row: Mapping[str, str]) -> bool:
        """The fields every question has; False when the row is left out."""
        readable, condition = self.condition(number, row)
        if not readable:
            return False
        q["label"] = texts(dict(row), "label", self.columns)
        hint = texts(dict(row), "hint", self.columns)
        if hint:
            q["help"] = hint
        required = row.get("required", "").strip().lower()
        if required in ("yes", "true", "true()", "1", "y"):
            q["required"] = get_type(q["type"]).answerable
        elif required not in ("", "no", "false", "false()", "0", "n"):
            self.adapted(number, "required_expression_unsupported", "required",
                         required=row["required"])  # fmt: skip
        shown_if = [c for c in self.conditions if c]
        if condition is not None:
            shown_if.append(condition_to_dict(condition))
        if shown_if:
            q["show_if"] = shown_if[0] if len(shown_if) == 1 else {"all": shown_if}
        if row.get("constraint"):
            bounds = parse_constraint(row["constraint"], q)
            if bounds is None:
                self.adapted(number, "constraint_unsupported", "constraint",
                             constraint=row["constraint"])  # fmt: skip
            else:
                q.update(bounds)
                message = texts(dict(row), "constraint_message", self.columns)
                if message:
                    q["constraint_message"] = message
        if "constraint_message" not in q:
            for key in sorted(k for k in row if k.split("::")[0] == "constraint_message"):
                self.warn(number, "constraint_message_not_kept", key)
                break
        self.choice_filter(number, q, row)
        self.default(number, q, row)
        unknown = [a for a in row.get("appearance", "").split() if a not in _KNOWN_APPEARANCES]
        if unknown:
            self.warn(number, "appearance_ignored", "appearance", appearance=" ".join(unknown))
        for key in sorted(k for k in row if k.split("::")[0] in ("label", "hint")):
            # ``${code}`` of an earlier question shows its answer (surveys.piping)
            known = self.types.keys() | self.calculate_names
            refs = [r for r in _REFERENCE.findall(row[key]) if r not in known]
            if refs:
                self.adapted(number, "reference_shown_as_written", key,
                             reference="${" + refs[0] + "}")  # fmt: skip
                break
        self.ignored_columns(number, row)
        for key, column in (
            ("analysis_role", "engage_role"),
            ("outcome", "engage_outcome"),
            ("dimension", "engage_dimension"),
        ):
            if row.get(column):
                q[key] = row[column]
        return True

    def choice_filter(self, number: int, q: dict[str, Any], row: Mapping[str, str]) -> None:
        """The row's ``choice_filter``, if Engage can apply it; otherwise every choice is
        offered, and the report says why. Only the choice columns it uses are kept."""
        from surveys.xlsform.filters import parse_choice_filter

        expression = row.get("choice_filter", "")
        clauses: list[dict[str, str]] = []
        if expression and not get_type(q["type"]).filterable:
            self.adapted(number, "choice_filter_not_for_type", "choice_filter",
                         filter=expression)  # fmt: skip
        elif expression:
            try:
                clauses = parse_choice_filter(expression, self.types)
            except RelevantError as exc:
                self.filter_unread(number, expression, exc)
            options = q.get("options", [])
            for clause in clauses:
                attribute = clause["attribute"]
                if attribute != "value" and not any(
                    attribute in o.get("attributes", {}) for o in options
                ):
                    self.adapted(number, "choice_filter_unknown_column", "choice_filter",
                                 filter=expression, column=attribute)  # fmt: skip
                    clauses = []
                    break
        used = {c["attribute"] for c in clauses}
        for option in [*q.get("options", []), *q.get("rows", [])]:
            kept = {k: v for k, v in option.pop("attributes", {}).items() if k in used}
            if kept:
                option["attributes"] = kept
        if clauses:
            q["choice_filter"] = clauses
            self.filter_columns |= used

    def filter_unread(self, number: int, expression: str, exc: RelevantError) -> None:
        code, params = exc.code, dict(exc.params)
        if code == "unknown_or_later_question":
            question = params.get("question")
            code = "later_question" if question in self.names else code
            code = "refers_to_left_out" if question in self.dropped else code
        self.adapted(number, f"choice_filter_{code}", "choice_filter", filter=expression,
                     **params)  # fmt: skip

    def default(self, number: int, q: dict[str, Any], row: Mapping[str, str]) -> None:
        """The row's ``default``: kept when it is an answer the question accepts."""
        from surveys.xlsform.source import dynamic_default

        text = row.get("default", "").strip()
        if not text:
            return
        qtype = get_type(q["type"])
        if not qtype.answerable or not qtype.takes_default:
            self.adapted(number, "default_not_for_type", "default", default=text)
            return
        raw: Any = text.split() if qtype.multiple else text
        if q["type"] == "date_time" and _ISO_DATE.fullmatch(text):
            raw = f"{text} 00:00"  # Excel keeps 2010-06-15 00:00 typed in a cell as a date
        values = raw if isinstance(raw, list) else [raw]
        offered = {o["value"] for o in q.get("options", [])}
        if dynamic_default(text, q["type"]) and not (offered and set(values) <= offered):
            self.adapted(number, "default_expression_unsupported", "default", default=text)
            return
        question, _problems = parse_question(q)
        cleaned = qtype.clean(question, raw) if question is not None else None
        if cleaned is None or cleaned.errors or cleaned.value is None:
            self.adapted(number, "default_not_kept", "default", default=text)
            return
        q["default"] = cleaned.value

    def fold_other(self, number: int, row: dict[str, str], name: str) -> bool:
        """Fold a ``<select>__other`` text row back into its select's specify option; a
        label other than Engage's own "Please specify" is kept as the box's label."""
        target = self.questions.get(name[: -len("__other")])
        if target is None or not get_type(target["type"]).accepts("options.specify"):
            return False
        try:
            condition: Condition | None = parse_relevant(row.get("relevant", ""), self.types)
        except RelevantError:
            condition = None
        value = None
        if isinstance(condition, Comparison) and condition.op in ("equals", "contains"):
            value = condition.value
        elif any(o.get("specify") for o in target["options"]):
            value = next(o["value"] for o in target["options"] if o.get("specify"))
        option = next((o for o in target["options"] if o["value"] == value), None)
        if option is None:
            return False  # an ordinary text question
        option["specify"] = True
        label = self.texts(row, "label")
        if label and label != {k: v for k, v in self.word("specify").items() if k in label}:
            option["specify_label"] = label  # the box's own label, as the form wrote it
        return True

    def finish_group(self) -> None:
        """A question written as a group (a grid) is complete."""
        assert self.group is not None
        (row, reader), self.group = self.group, None
        fields = reader.finish()
        code = row.cell("name")
        if fields is None:
            self.dropped.add(code)
            return
        q: dict[str, Any] = {"code": code, **fields}
        # ``required`` comes from the group's rows, not from the group.
        if not self.common(row.number, q, {k: v for k, v in row.cells.items() if k != "required"}):
            self.dropped.add(code)
            return
        self.append(row.number, q)
