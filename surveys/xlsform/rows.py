"""Turning the rows of an XLSForm ``survey`` sheet into pages and questions.

Groups become pages here; each question row goes to the question type that claims it
(:func:`xlsform_type`), which reads its own fields (see :mod:`surveys.types`).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from surveys.conditions import Comparison, Condition, condition_to_dict
from surveys.schema import LocalizedText
from surveys.types import QUESTION_TYPES, QuestionType, get_type
from surveys.types.xlsform_io import XLSFormGroupReading, XLSFormRow
from surveys.xlsform.relevant import RelevantError, parse_relevant
from surveys.xlsform.sheets import texts, word

if TYPE_CHECKING:
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
        "constraint_message", "required_message", "default", "read_only", "guidance_hint",
        "media", "image", "audio", "video", "big-image", "trigger", "body", "bind",
        "instance", "calculation", "repeat_count", "autoplay", "note",
    }
)  # fmt: skip
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


class SurveyRows:
    """A small state machine over the survey sheet: groups become pages."""

    KNOWN_COLUMNS = frozenset(
        {
            "type", "name", "label", "hint", "required", "relevant", "constraint",
            "appearance", "choice_filter", "parameters", "engage_type", "engage_role",
            "engage_outcome", "engage_dimension",
        }
    ) | _IGNORED_COLUMNS  # fmt: skip

    def __init__(
        self,
        out: Collector,
        lists: dict[str, list[dict[str, Any]]],
        columns: dict[str, str],
        languages: list[str],
    ) -> None:
        self.out = out
        self.lists = lists
        self.columns = columns
        self.languages = languages
        self.pages: list[dict[str, Any]] = []
        self.page_rows: list[int] = []
        self.question_rows: list[list[int]] = []
        self.stack: list[str] = []  # "page", "nested", "question" (a grid), "repeat"
        self.implicit = False
        self.group: tuple[XLSFormRow, XLSFormGroupReading] | None = None
        self.types: dict[str, str] = {}
        self.questions: dict[str, dict[str, Any]] = {}

    # -- helpers -----------------------------------------------------------------------

    def problem(self, row: int, code: str, /, **params: Any) -> None:
        self.out.problem("survey", row, code, **params)

    def warn(self, row: int, code: str, /, **params: Any) -> None:
        self.out.warn("survey", row, code, **params)

    def choices(self, row: int, list_name: str) -> list[dict[str, Any]] | None:
        options = self.lists.get(list_name)
        if options is None:
            self.problem(row, "unknown_choice_list", list=list_name)
            return None
        return [{k: v for k, v in copy.deepcopy(o).items() if k != "_row"} for o in options]

    def texts(self, cells: Mapping[str, str], base: str) -> LocalizedText:
        return texts(dict(cells), base, self.columns)

    def word(self, key: str) -> LocalizedText:
        return word(key, self.languages)

    def condition(self, number: int, row: dict[str, str]) -> Condition | None:
        expression = row.get("relevant", "")
        if not expression:
            return None
        try:
            return parse_relevant(expression, self.types)
        except RelevantError as exc:
            self.problem(number, f"relevant_{exc.code}", expression=expression, **exc.params)
            return None

    def locate(self, path: str, settings_row: int) -> tuple[str, int]:
        """The sheet and row a definition path came from."""
        m = re.match(r"^\$\.pages\[(\d+)\](?:\.questions\[(\d+)\])?", path)
        if m is None:
            return "settings", settings_row
        page = int(m[1])
        if m[2] is not None:
            return "survey", self.question_rows[page][int(m[2])]
        return "survey", self.page_rows[page]

    def start_page(self, number: int, key: str, row: dict[str, str]) -> None:
        page: dict[str, Any] = {"key": key, "questions": []}
        if row:
            page["title"] = texts(row, "label", self.columns)
            page["description"] = texts(row, "hint", self.columns)
            condition = self.condition(number, row)
            if condition is not None:
                page["show_if"] = condition_to_dict(condition)
        self.pages.append(page)
        self.page_rows.append(number)
        self.question_rows.append([])

    def append(self, number: int, question: dict[str, Any]) -> None:
        if not self.stack and not self.implicit:
            self.implicit = True
            keys = {p["key"] for p in self.pages}
            n = len(self.pages) + 1
            while f"page_{n}" in keys:
                n += 1
            self.start_page(number, f"page_{n}", {})
        self.pages[-1]["questions"].append(question)
        self.question_rows[-1].append(number)
        self.types[question["code"]] = question["type"]
        self.questions[question["code"]] = question

    # -- rows --------------------------------------------------------------------------

    def add(self, number: int, row: dict[str, str]) -> None:
        raw_type = " ".join(row.get("type", "").split())
        kind = re.sub(r"^(begin|end)_", r"\1 ", raw_type.lower())
        if not raw_type:
            self.problem(number, "missing_type")
            return
        if "repeat" in self.stack:
            if kind in ("begin repeat", "begin group"):
                self.stack.append("nested")
            elif kind in ("end repeat", "end group"):
                self.stack.pop()
            return
        for column in sorted(k for k in row if k.split("::")[0] in _IGNORED_COLUMNS):
            self.warn(number, "column_ignored", column=column)
        if row.get("choice_filter"):
            self.problem(number, "choice_filter_unsupported")
        if kind == "begin group":
            self.begin_group(number, row)
        elif kind == "end group":
            self.end_group(number)
        elif kind == "begin repeat":
            self.problem(number, "repeat_unsupported")
            self.stack.append("repeat")
        elif kind == "end repeat":
            self.problem(number, "unbalanced_end")
        elif kind in METADATA_TYPES:
            self.warn(number, "metadata_ignored", type=raw_type)
        else:
            self.question(number, row, raw_type)

    def begin_group(self, number: int, row: dict[str, str]) -> None:
        name = row.get("name", "")
        group = XLSFormRow(number, row, "begin group")
        if not self.stack:
            self.implicit = False
            if not name:
                self.problem(number, "missing_name")
            self.start_page(number, name, row)
            self.stack.append("page")
        elif self.group is None and (qtype := xlsform_type(group)) is not None:
            self.group = (group, qtype.read_xlsform_group(group, self))
            self.stack.append("question")
        else:
            self.warn(number, "nested_group_flattened", name=name)
            if row.get("relevant"):
                self.problem(number, "relevant_on_nested_group_unsupported")
            self.stack.append("nested")

    def end_group(self, number: int) -> None:
        if not self.stack:
            self.problem(number, "unbalanced_end")
            return
        kind = self.stack.pop()
        if kind == "question":
            self.finish_group()
        elif kind == "page":
            self.implicit = False

    def finish(self) -> None:
        if self.stack:
            self.problem(self.page_rows[-1] if self.page_rows else 1, "unclosed_group")
        if not self.pages:
            self.problem(1, "no_questions")

    # -- questions ---------------------------------------------------------------------

    def question(self, number: int, row: dict[str, str], raw_type: str) -> None:
        parts = raw_type.split()
        base = parts[0].lower()
        name = row.get("name", "")
        if not name:
            self.problem(number, "missing_name")
            return
        sheet_row = XLSFormRow(number, row, base, tuple(parts[1:]))
        if self.group is not None:
            self.group[1].add(sheet_row)
            return
        if name.endswith("__other") and base == "text" and self.fold_other(number, row, name):
            return
        qtype = xlsform_type(sheet_row)
        if qtype is None:
            self.problem(number, "unsupported_type", type=raw_type)
            return
        fields = qtype.read_xlsform(sheet_row, self)
        if fields is None:
            return
        q: dict[str, Any] = {"code": name, **fields}
        self.common(number, q, row)
        self.append(number, q)

    def common(self, number: int, q: dict[str, Any], row: dict[str, str]) -> None:
        q["label"] = texts(row, "label", self.columns)
        hint = texts(row, "hint", self.columns)
        if hint:
            q["help"] = hint
        required = row.get("required", "").strip().lower()
        if required in ("yes", "true", "true()", "1", "y"):
            q["required"] = get_type(q["type"]).answerable
        elif required not in ("", "no", "false", "false()", "0", "n"):
            self.problem(number, "required_expression_unsupported", required=row["required"])
        condition = self.condition(number, row)
        if condition is not None:
            q["show_if"] = condition_to_dict(condition)
        if row.get("constraint"):
            bounds = parse_constraint(row["constraint"], q)
            if bounds is None:
                # Never dropped quietly: residents could then give answers it forbids.
                self.problem(number, "constraint_unsupported", constraint=row["constraint"])
            else:
                q.update(bounds)
        for column in ("appearance",):
            unknown = [a for a in row.get(column, "").split() if a not in _KNOWN_APPEARANCES]
            if unknown:
                self.warn(number, "appearance_ignored", appearance=" ".join(unknown))
        for key, column in (
            ("analysis_role", "engage_role"),
            ("outcome", "engage_outcome"),
            ("dimension", "engage_dimension"),
        ):
            if row.get(column):
                q[key] = row[column]

    def fold_other(self, number: int, row: dict[str, str], name: str) -> bool:
        """Fold a ``<select>__other`` text row back into its select's specify option."""
        target = self.questions.get(name[: -len("__other")])
        if target is None or not get_type(target["type"]).accepts("options.specify"):
            return False
        condition = self.condition(number, row)
        value = None
        if isinstance(condition, Comparison) and condition.op in ("equals", "contains"):
            value = condition.value
        elif any(o.get("specify") for o in target["options"]):
            value = next(o["value"] for o in target["options"] if o.get("specify"))
        option = next((o for o in target["options"] if o["value"] == value), None)
        if option is None:
            self.problem(number, "other_text_without_choice", name=name)
            return True
        option["specify"] = True
        return True

    def finish_group(self) -> None:
        """A question written as a group (a grid) is complete."""
        assert self.group is not None
        (row, reader), self.group = self.group, None
        fields = reader.finish()
        if fields is None:
            return
        q: dict[str, Any] = {"code": row.cell("name"), **fields}
        # ``required`` comes from the group's rows, not from the group.
        self.common(row.number, q, {k: v for k, v in row.cells.items() if k != "required"})
        self.append(row.number, q)
