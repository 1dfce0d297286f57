"""The question editor's form: a question's fields, read from and written to the builder.

A plain class rather than a WTForms form because the option rows come and go: the
"add rows", "move up" and "remove" buttons are submit buttons that change the form and
show it again, so everything works without JavaScript and nothing typed is lost.
Text is edited in the survey's source language; other languages' text is kept.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from engage.web.messages import problem_location, problem_message
from surveys import QUESTION_TYPES, DefinitionProblem, QuestionType
from surveys.conditions import COUNT_OPS, EMPTINESS_COUNTS
from surveys.editing import code_from_text, unique_name
from surveys.parsing import parse_question

BLANK_ROWS = 3
MAX_POINTS = 21
CONDITION_OPS = (
    "equals",
    "not_equals",
    "in",
    "contains",
    "answered",
    "not_answered",
    "gt",
    "gte",
    "lt",
    "lte",
    "count_gt",
    "count_gte",
    "count_lt",
    "count_lte",
    "count_equals",
    "count_not_equals",
)


@dataclass
class ChoiceRow:
    label: str = ""
    value: str = ""
    specify: bool = False
    exclusive: bool = False

    @property
    def is_blank(self) -> bool:
        return not self.label.strip() and not self.value.strip()


@dataclass
class QuestionFields:
    """What the question editor shows and submits."""

    type: str
    code: str = ""
    label: str = ""
    help: str = ""
    required: bool = False
    page: str = ""
    options: list[ChoiceRow] = field(default_factory=list)
    rows: list[ChoiceRow] = field(default_factory=list)
    minimum: str = ""
    maximum: str = ""
    decimals: bool = False
    max_length: str = ""
    max_choices: str = ""
    point_labels: dict[str, str] = field(default_factory=dict)
    specify_label: str = ""
    """The label of the text box of the option that asks to specify (empty: Engage's)."""
    analysis_role: str = ""
    outcome: str = ""
    dimension: str = ""
    show_question: str = ""
    show_op: str = "equals"
    show_value: str = ""
    # A condition too complex for the simple editor (from an import) is kept as it is.
    kept_condition: dict[str, Any] | None = None
    dropped_default: bool = False
    """The imported default no longer fits the question as edited, so it was removed."""
    errors: dict[str, list[str]] = field(default_factory=dict)
    general_errors: list[str] = field(default_factory=list)

    # -- reading ---------------------------------------------------------------------

    @classmethod
    def from_question(cls, q: Mapping[str, Any], lang: str, page: str) -> QuestionFields:
        fields = cls(
            type=q["type"],
            code=q["code"],
            label=q.get("label", {}).get(lang, ""),
            help=q.get("help", {}).get(lang, ""),
            required=bool(q.get("required")),
            page=page,
            options=[_row_from(o, lang) for o in q.get("options", [])],
            rows=[_row_from(r, lang) for r in q.get("rows", [])],
            minimum=_text(q.get("minimum")),
            maximum=_text(q.get("maximum")),
            decimals=bool(q.get("decimals")),
            max_length=_text(q.get("max_length")),
            max_choices=_text(q.get("max_choices")),
            point_labels={k: v.get(lang, "") for k, v in q.get("point_labels", {}).items()},
            specify_label=_specify_label(q.get("options", [])).get(lang, ""),
            analysis_role=q.get("analysis_role") or "",
            outcome=q.get("outcome") or "",
            dimension=q.get("dimension") or "",
        )
        condition = q.get("show_if")
        if condition_fields(condition) is not None:
            fields.show_question = condition.get("question", "")
            fields.show_op = condition.get("op", "equals")
            value = condition.get("value", "")
            fields.show_value = (
                ", ".join(map(str, value)) if isinstance(value, list) else _text(value)
            )
        elif condition:
            fields.kept_condition = condition
        fields.pad_rows()
        return fields

    @classmethod
    def from_form(cls, form: MultiDict[str, str]) -> QuestionFields:
        fields = cls(
            type=form.get("type", ""),
            code=form.get("code", "").strip(),
            label=form.get("label", "").strip(),
            help=form.get("help", "").strip(),
            required=form.get("required") == "y",
            page=form.get("page", ""),
            options=_rows_from_form(form, "option"),
            rows=_rows_from_form(form, "row"),
            minimum=form.get("minimum", "").strip(),
            maximum=form.get("maximum", "").strip(),
            decimals=form.get("decimals") == "y",
            max_length=form.get("max_length", "").strip(),
            max_choices=form.get("max_choices", "").strip(),
            point_labels={
                key.removeprefix("point-"): value.strip()
                for key, value in form.items()
                if key.startswith("point-")
            },
            specify_label=form.get("specify_label", "").strip(),
            analysis_role=form.get("analysis_role", ""),
            outcome=form.get("outcome", "").strip(),
            dimension=form.get("dimension", ""),
            show_question=form.get("show_question", ""),
            show_op=form.get("show_op", "equals"),
            show_value=form.get("show_value", "").strip(),
        )
        if form.get("keep_condition") == "y" and form.get("kept_condition"):
            try:
                fields.kept_condition = json.loads(form["kept_condition"])
            except ValueError:
                fields.kept_condition = None
        return fields

    # -- row buttons -------------------------------------------------------------------

    def pad_rows(self) -> None:
        """Blank rows to type new options (and grid rows) into."""
        qtype = QUESTION_TYPES.get(self.type)
        if qtype is None:
            return
        if qtype.has_options:
            self.options = [r for r in self.options if not r.is_blank]
            self.options += [ChoiceRow() for _ in range(BLANK_ROWS)]
        if qtype.has_rows:
            self.rows = [r for r in self.rows if not r.is_blank]
            self.rows += [ChoiceRow() for _ in range(BLANK_ROWS)]

    def apply_row_action(self, action: str) -> bool:
        """Handle "more", "up-option-2", "remove-row-0" …; True when the form changed."""
        if action == "more":
            self.options += [ChoiceRow() for _ in range(BLANK_ROWS)]
            self.rows += [ChoiceRow() for _ in range(BLANK_ROWS)] if self.rows else []
            return True
        parts = action.split("-")
        if len(parts) != 3 or parts[1] not in ("option", "row") or not parts[2].isdigit():
            return False
        verb, kind, index = parts[0], parts[1], int(parts[2])
        rows = self.options if kind == "option" else self.rows
        if not 0 <= index < len(rows):
            return False
        if verb == "up" and index > 0:
            rows[index - 1], rows[index] = rows[index], rows[index - 1]
        elif verb == "down" and index < len(rows) - 1:
            rows[index + 1], rows[index] = rows[index], rows[index + 1]
        elif verb == "remove":
            del rows[index]
        else:
            return False
        return True

    # -- writing -----------------------------------------------------------------------

    def to_question(self, existing: Mapping[str, Any] | None, lang: str) -> dict[str, Any] | None:
        """The question as the engine stores it; ``None`` (with ``errors``) if unreadable."""
        existing = existing or {}
        qtype = QUESTION_TYPES.get(self.type)
        if qtype is None:
            self.add_error("type", _("Choose a question type."))
            return None
        q: dict[str, Any] = {
            "code": self.code or code_from_text(self.label),
            "type": self.type,
            "required": self.required and qtype.answerable,
            "label": _localized(existing.get("label"), lang, self.label),
        }
        help_text = _localized(existing.get("help"), lang, self.help)
        if help_text:
            q["help"] = help_text
        if qtype.has_options:
            q["options"] = _choices(self.options, existing.get("options", []), lang)
            if qtype.accepts("options.specify"):
                self._specify_label(q["options"], existing.get("options", []), lang)
        if qtype.has_rows:
            q["rows"] = _choices(self.rows, existing.get("rows", []), lang)
        self._numbers(q, qtype)
        if existing.get("type") == self.type:  # kept from an import, as long as they fit
            for name in ("constraint_message", "default", "choice_filter", "pattern"):
                if existing.get(name):
                    q[name] = existing[name]

        if qtype.accepts("minimum") and not qtype.numeric_bounds:  # dates, as typed
            for name in ("minimum", "maximum"):
                if getattr(self, name):
                    q[name] = getattr(self, name)
        if qtype.accepts("decimals") and self.decimals:
            q["decimals"] = True
        if qtype.accepts("point_labels"):
            labels = _point_labels(self.point_labels, existing.get("point_labels", {}), lang)
            if labels:
                q["point_labels"] = labels
            self._check_end_labels(labels, lang)
        if self.analysis_role:
            q["analysis_role"] = self.analysis_role
            if self.outcome:
                q["outcome"] = self.outcome
            if self.dimension:
                q["dimension"] = self.dimension
        condition = self._condition()
        if condition:
            q["show_if"] = condition
        if "default" in q and not default_fits(q):
            del q["default"]
            self.dropped_default = True
        return None if self.errors else q

    def _specify_label(
        self, options: list[dict[str, Any]], existing: list[Mapping[str, Any]], lang: str
    ) -> None:
        """The label typed for the specify box goes on the option that asks to specify
        (its other languages kept, even when another option now asks to specify)."""
        specify = next((o for o in options if o.get("specify")), None)
        if specify is None:
            if self.specify_label:
                self.add_error(
                    "specify_label",
                    _("Tick “Ask to specify” on an option, or leave this label empty."),
                )
            return
        label = _localized(_specify_label(existing), lang, self.specify_label)
        if label:
            specify["specify_label"] = label
        else:
            specify.pop("specify_label", None)

    def _numbers(self, q: dict[str, Any], qtype: QuestionType) -> None:
        wanted = [("max_length", True), ("max_choices", True)]
        if qtype.numeric_bounds:
            wanted += [("minimum", False), ("maximum", False)]
        for name, whole in wanted:
            raw = getattr(self, name)
            if not raw:
                continue
            number = _number(raw, whole=whole)
            if number is None:
                self.add_error(name, _("Enter a whole number.") if whole else _("Enter a number."))
            else:
                q[name] = number

    def _check_end_labels(self, labels: Mapping[str, Mapping[str, str]], lang: str) -> None:
        """A bare 1–5 means nothing to a resident: the two ends need labels at least."""
        points = self.points()
        if not points:
            return  # unclear bounds: their own error says so
        missing = [p for p in (points[0], points[-1]) if not labels.get(p, {}).get(lang)]
        if missing:
            self.add_error(
                "point_labels",
                _(
                    "Label at least the lowest and the highest point (%(low)s and %(high)s), "
                    "so residents know what the numbers mean.",
                    low=points[0],
                    high=points[-1],
                ),
            )

    def _condition(self) -> dict[str, Any] | None:
        if self.kept_condition:
            return self.kept_condition
        condition, problem = build_condition(self.show_question, self.show_op, self.show_value)
        if problem:
            self.add_error(*problem)
        return condition

    # -- errors --------------------------------------------------------------------------

    def add_error(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)

    def add_problems(self, problems: list[DefinitionProblem], position: tuple[int, int]) -> None:
        """Put each engine problem beside its field, or at the top when it is elsewhere."""
        for problem in problems:
            page, question, rest = problem_location(problem)
            message = problem_message(problem)
            if (page, question) != position:
                self.general_errors.append(message)
                continue
            self.add_error(_field_for(rest), message)

    @property
    def has_errors(self) -> bool:
        return bool(self.errors or self.general_errors)

    def points(self) -> list[str]:
        """The points of a rating or scale with the bounds typed so far (none if unclear)."""
        qtype = QUESTION_TYPES.get(self.type)
        if qtype is None or not qtype.accepts("point_labels"):
            return []
        low = _number(self.minimum, whole=True) if self.minimum else qtype.default_min
        high = _number(self.maximum, whole=True) if self.maximum else qtype.default_max
        if low is None or high is None or not 0 < high - low < MAX_POINTS:
            return []
        return [str(n) for n in range(int(low), int(high) + 1)]


def build_condition(
    question: str, op: str, value: str
) -> tuple[dict[str, Any] | None, tuple[str, str] | None]:
    """A one-comparison ``show_if`` from the skip-logic fields, or (field, message)."""
    if not question:
        return None, None
    if op not in CONDITION_OPS:
        return None, ("show_op", _("Choose how to compare the answer."))
    condition: dict[str, Any] = {"question": question, "op": op}
    if op in ("answered", "not_answered"):
        return condition, None
    if not value:
        return None, ("show_value", _("Enter the answer to compare with."))
    if op == "in":
        parts = [v.strip() for v in value.split(",")]
        condition["value"] = [_typed(v) for v in parts if v]
    elif op in ("gt", "gte", "lt", "lte"):
        number = _number(value, whole=False)
        if number is None:
            return None, ("show_value", _("Enter a number."))
        condition["value"] = number
    elif op in COUNT_OPS:
        count = _number(value, whole=True)
        if not isinstance(count, int) or count < 0:
            message = _("Enter how many answers are chosen: a whole number, 0 or more.")
            return None, ("show_value", message)
        emptiness = EMPTINESS_COUNTS.get((op, count))  # "at least 1": answered
        if emptiness is not None:
            return {"question": question, "op": emptiness}, None
        condition["value"] = count
    else:
        condition["value"] = _typed(value)
    return condition, None


def condition_fields(condition: Any) -> tuple[str, str, str] | None:
    """The skip-logic fields of a one-comparison condition; ``None`` if it is compound."""
    if not isinstance(condition, dict) or not set(condition) <= {"question", "op", "value"}:
        return None
    if condition.get("op", "equals") not in CONDITION_OPS:
        return None  # one the builder cannot write (a pattern, from an XLSForm): kept
    value = condition.get("value", "")
    values = value if isinstance(value, list) else [value]
    return (
        condition.get("question", ""),
        condition.get("op", "equals"),
        ", ".join(_text(v) for v in values),
    )


def _field_for(rest: str) -> str:
    """The form field an engine path (relative to its question) belongs to."""
    head = rest.split(".")[0]
    for kind, prefix in (("options", "option"), ("rows", "row")):
        if head.startswith(f"{kind}["):
            index = head[len(kind) + 1 : -1]
            sub = rest.split(".")[1] if "." in rest else "label"
            if sub == "specify_label":
                return "specify_label"  # one field for the question's specify box
            return f"{prefix}-{index}-{sub}"
        if head == kind:
            return kind
    if head == "point_labels":
        return "point_labels"
    if head in ("show_if", ""):
        return "show_value" if head else "label"
    return head


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _number(raw: str, *, whole: bool) -> int | float | None:
    try:
        number = float(raw.replace(",", "."))
    except ValueError:
        return None
    if number.is_integer():
        return int(number)
    return None if whole else number


def _typed(raw: str) -> Any:
    """Condition values: numbers stay numbers, anything else is an option value."""
    number = _number(raw, whole=False)
    return raw if number is None else number


def _localized(existing: Mapping[str, str] | None, lang: str, text: str) -> dict[str, str]:
    merged = dict(existing or {})
    if text:
        merged[lang] = text
    else:
        merged.pop(lang, None)
    return merged


def _specify_label(options: list[Mapping[str, Any]]) -> dict[str, str]:
    """The label of the specify box among ``options`` (those of a stored question)."""
    return next((dict(o.get("specify_label", {})) for o in options if o.get("specify")), {})


def _row_from(option: Mapping[str, Any], lang: str) -> ChoiceRow:
    return ChoiceRow(
        label=option.get("label", {}).get(lang, ""),
        value=option.get("value", ""),
        specify=bool(option.get("specify")),
        exclusive=bool(option.get("exclusive")),
    )


def _rows_from_form(form: MultiDict[str, str], prefix: str) -> list[ChoiceRow]:
    rows = []
    index = 0
    while f"{prefix}-{index}-label" in form or f"{prefix}-{index}-value" in form:
        rows.append(
            ChoiceRow(
                label=form.get(f"{prefix}-{index}-label", "").strip(),
                value=form.get(f"{prefix}-{index}-value", "").strip(),
                specify=form.get(f"{prefix}-{index}-specify") == "y",
                exclusive=form.get(f"{prefix}-{index}-exclusive") == "y",
            )
        )
        index += 1
    return rows


def _choices(
    rows: list[ChoiceRow], existing: list[Mapping[str, Any]], lang: str
) -> list[dict[str, Any]]:
    """Option dicts from the rows typed; other languages' labels follow their value."""
    by_value = {o.get("value"): o for o in existing}
    taken = {row.value for row in rows if row.value}
    result = []
    for row in rows:
        if row.is_blank:
            continue
        value = row.value
        if not value:
            value = unique_name(code_from_text(row.label, fallback="option"), taken)
            taken.add(value)
        option: dict[str, Any] = {
            "value": value,
            "label": _localized(by_value.get(value, {}).get("label"), lang, row.label),
        }
        if row.exclusive:
            option["exclusive"] = True
        if row.specify:
            option["specify"] = True
        if by_value.get(value, {}).get("attributes"):
            option["attributes"] = by_value[value]["attributes"]  # a choice filter's values
        result.append(option)
    return result


def default_fits(q: Mapping[str, Any]) -> bool:
    """Whether a question's (imported) default is still an answer it takes."""
    question, problems = parse_question(q)
    if question is None or problems:
        return False
    qtype = QUESTION_TYPES[question.type]
    return qtype.takes_default and not qtype.clean(question, question.default).errors


def _point_labels(
    typed: Mapping[str, str], existing: Mapping[str, Mapping[str, str]], lang: str
) -> dict[str, dict[str, str]]:
    labels = {}
    for point, text in typed.items():
        merged = _localized(existing.get(point), lang, text)
        if merged:
            labels[point] = merged
    return labels
