"""Turning the rows of an XLSForm ``survey`` sheet into pages and questions."""

from __future__ import annotations

import copy
import re
from typing import TYPE_CHECKING, Any

from surveys.conditions import Comparison, Condition, condition_to_dict
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
_SIMPLE_TYPES = {
    "text": "short_text",
    "integer": "number",
    "int": "number",
    "decimal": "number",
    "date": "date",
    "note": "info",
    "acknowledge": "consent",
    "range": "scale",
}
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
)  # fmt: skip
_CHOICE_TYPES = frozenset({"single_choice", "dropdown", "multiple_choice", "pick_up_to"})
_BOUND = re.compile(r"^\.\s*(>=|<=)\s*(-?\d+(?:\.\d+)?)$")
_DATE_BOUND = re.compile(r"^\.\s*(>=|<=)\s*date\(\s*'(\d{4}-\d{2}-\d{2})'\s*\)$")
_LENGTH = re.compile(r"^string-length\(\s*\.\s*\)\s*<=\s*(\d+)$")
_COUNT = re.compile(r"^count-selected\(\s*\.\s*\)\s*<=\s*(\d+)$")


def parse_constraint(text: str, qtype: str) -> dict[str, Any] | None:
    """The bounds expressed by a constraint Engage understands, or None."""
    found: dict[str, Any] = {}
    for part in re.split(r"\s+and\s+", text.strip()):
        if (m := _BOUND.match(part)) and qtype in ("number", "rating", "scale"):
            number = float(m[2])
            value = int(number) if number.is_integer() else number
            found["minimum" if m[1] == ">=" else "maximum"] = value
        elif (m := _DATE_BOUND.match(part)) and qtype == "date":
            found["minimum" if m[1] == ">=" else "maximum"] = m[2]
        elif (m := _LENGTH.match(part)) and qtype in ("short_text", "long_text"):
            found["max_length"] = int(m[1])
        elif (m := _COUNT.match(part)) and qtype in ("multiple_choice", "pick_up_to"):
            found["max_choices"] = int(m[1])
        else:
            return None
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
        self.stack: list[str] = []  # "page", "nested", "matrix", "repeat"
        self.implicit = False
        self.matrix: dict[str, Any] | None = None
        self.types: dict[str, str] = {}
        self.questions: dict[str, dict[str, Any]] = {}

    # -- helpers -----------------------------------------------------------------------

    def problem(self, row: int, code: str, /, **params: Any) -> None:
        self.out.problem("survey", row, code, **params)

    def warn(self, row: int, code: str, /, **params: Any) -> None:
        self.out.warn("survey", row, code, **params)

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
        appearance = row.get("appearance", "").split()
        if not self.stack:
            self.implicit = False
            if not name:
                self.problem(number, "missing_name")
            self.start_page(number, name, row)
            self.stack.append("page")
        elif "table-list" in appearance and self.matrix is None:
            self.matrix = {"_row": number, "_list": None, "_required": [], "row": row}
            self.stack.append("matrix")
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
        if kind == "matrix":
            self.finish_matrix()
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
        if self.matrix is not None:
            self.matrix_row(number, row, parts, name)
            return
        if name.endswith("__other") and base == "text" and self.fold_other(number, row, name):
            return
        engage_type = row.get("engage_type", "")
        q: dict[str, Any] = {"code": name}
        if base in ("select_one", "select_multiple") and len(parts) in (2, 3):
            if len(parts) == 3 and parts[2] != "or_other":
                self.problem(number, "unsupported_type", type=raw_type)
                return
            if not self.select(number, q, base, parts[1], row, engage_type):
                return
            if len(parts) == 3 and not any(o.get("specify") for o in q["options"]):
                other = {"value": "other", "label": word("other", self.languages)}
                q["options"].append({**other, "specify": True})
        elif base in _SIMPLE_TYPES and len(parts) == 1:
            q["type"] = _SIMPLE_TYPES[base]
            if base == "decimal":
                q["decimals"] = True
            if base == "text" and (
                engage_type == "long_text" or "multiline" in row.get("appearance", "").split()
            ):
                q["type"] = "long_text"
            if base == "range" and not self.range(number, q, row, engage_type):
                return
        else:
            self.problem(number, "unsupported_type", type=raw_type)
            return
        self.common(number, q, row)
        self.append(number, q)

    def select(
        self,
        number: int,
        q: dict[str, Any],
        base: str,
        list_name: str,
        row: dict[str, str],
        engage_type: str,
    ) -> bool:
        options = self.lists.get(list_name)
        if options is None:
            self.problem(number, "unknown_choice_list", list=list_name)
            return False
        options = [{k: v for k, v in copy.deepcopy(o).items() if k != "_row"} for o in options]
        if base == "select_multiple":
            q["type"] = "pick_up_to" if engage_type == "pick_up_to" else "multiple_choice"
            q["options"] = options
            return True
        appearance = row.get("appearance", "").split()
        if engage_type == "yes_no":
            if [o["value"] for o in options] != ["yes", "no"]:
                self.problem(number, "yes_no_list_must_be_yes_no", list=list_name)
                return False
            q["type"] = "yes_no"
        elif engage_type in ("rating", "scale"):
            values = [o["value"] for o in options]
            if not all(re.fullmatch(r"-?\d+", v) for v in values) or [
                int(v) for v in values
            ] != list(range(int(values[0]), int(values[0]) + len(values))):
                self.problem(number, "scale_list_not_consecutive_numbers", list=list_name)
                return False
            q["type"] = engage_type
            defaults = ("1", "5") if engage_type == "rating" else ("0", "10")
            if (values[0], values[-1]) != defaults:  # keep definitions minimal on a round trip
                q["minimum"], q["maximum"] = int(values[0]), int(values[-1])
            labels = {
                o["value"]: {lang: t for lang, t in o["label"].items() if t != o["value"]}
                for o in options
            }
            q["point_labels"] = {point: text for point, text in labels.items() if text}
        else:
            dropdown = {"minimal", "autocomplete"} & set(appearance)
            q["type"] = "dropdown" if dropdown else "single_choice"
            q["options"] = options
        return True

    def range(self, number: int, q: dict[str, Any], row: dict[str, str], engage_type: str) -> bool:
        params = dict(re.findall(r"(\w+)\s*=\s*(-?[\d.]+)", row.get("parameters", "")))
        try:
            start = float(params.get("start", 1))
            end = float(params.get("end", 10))
            step = float(params.get("step", 1))
        except ValueError:
            self.problem(number, "invalid_range_parameters")
            return False
        if step != 1 or not start.is_integer() or not end.is_integer():
            self.problem(number, "range_step_unsupported", step=step)
            return False
        q["type"] = "rating" if engage_type == "rating" else "scale"
        q["minimum"], q["maximum"] = int(start), int(end)
        return True

    def common(self, number: int, q: dict[str, Any], row: dict[str, str]) -> None:
        q["label"] = texts(row, "label", self.columns)
        hint = texts(row, "hint", self.columns)
        if hint:
            q["help"] = hint
        required = row.get("required", "").strip().lower()
        if required in ("yes", "true", "true()", "1", "y"):
            q["required"] = q["type"] != "info"
        elif required not in ("", "no", "false", "false()", "0", "n"):
            self.problem(number, "required_expression_unsupported", required=row["required"])
        condition = self.condition(number, row)
        if condition is not None:
            q["show_if"] = condition_to_dict(condition)
        if row.get("constraint"):
            bounds = parse_constraint(row["constraint"], q["type"])
            if bounds is None:
                self.warn(number, "constraint_ignored", constraint=row["constraint"])
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
        if target is None or target["type"] not in _CHOICE_TYPES:
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

    def matrix_row(self, number: int, row: dict[str, str], parts: list[str], name: str) -> None:
        assert self.matrix is not None
        if parts[0].lower() != "select_one" or len(parts) != 2:
            self.problem(number, "matrix_row_must_be_select_one", type=" ".join(parts))
            return
        if self.matrix["_list"] not in (None, parts[1]):
            self.problem(number, "matrix_rows_must_share_list", list=parts[1])
            return
        if row.get("relevant"):
            self.problem(number, "relevant_on_matrix_row_unsupported")
        self.matrix["_list"] = parts[1]
        code = self.matrix["row"].get("name", "")
        value = name[len(code) + 1 :] if name.startswith(f"{code}_") else name
        label = texts(row, "label", self.columns)
        self.matrix.setdefault("rows", []).append({"value": value, "label": label})
        required = row.get("required", "").strip().lower()
        self.matrix["_required"].append(required in ("yes", "true", "true()", "1", "y"))

    def finish_matrix(self) -> None:
        matrix, self.matrix = self.matrix, None
        assert matrix is not None
        number, row = matrix["_row"], matrix["row"]
        if not matrix.get("rows"):
            self.problem(number, "empty_matrix")
            return
        options = self.lists.get(matrix["_list"])
        if options is None:
            self.problem(number, "unknown_choice_list", list=matrix["_list"])
            return
        q: dict[str, Any] = {
            "code": row.get("name", ""),
            "type": "matrix",
            "rows": matrix["rows"],
            "options": [{k: v for k, v in o.items() if k != "_row"} for o in options],
        }
        self.common(number, q, {k: v for k, v in row.items() if k != "required"})
        q["required"] = all(matrix["_required"])
        self.append(number, q)
