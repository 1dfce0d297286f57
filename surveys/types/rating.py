"""Rating: a few points (1–5 by default), each may carry a label (``point_labels``).

Stored as ``int``. In XLSForm: ``select_one`` over the points with ``likert`` appearance
and ``engage_type``; a ``range`` row is read too.
"""

from __future__ import annotations

import re
from typing import Any

from surveys.errors import DefinitionProblem
from surveys.schema import Question
from surveys.types._numeric import NumericType
from surveys.types.base import N_, OrphaningChanges, register
from surveys.types.xlsform_io import (
    Cells,
    XLSFormReading,
    XLSFormRow,
    XLSFormWriting,
    list_argument,
)

_RANGE_PARAMETER = re.compile(r"([^\s,;=]+)\s*=\s*([^\s,;]*)")
_RANGE_KEYS = ("start", "end", "step")


@register
class Rating(NumericType):
    name = "rating"
    label = N_("Rating with labelled points")
    description = N_("Choose a point on a short scale whose points have labels.")
    position = 80
    default_min = 1
    default_max = 5
    storage = "rating"
    editor_fields = ("minimum", "maximum", "point_labels")
    xlsform_types = ("select_one", "range")
    xlsform_engage_type = True

    def check(self, q: Question, path: str) -> list[DefinitionProblem]:
        problems = super().check(q, path)
        lo, hi = self.bounds(q)
        if problems:
            return problems
        if not all(isinstance(v, int) for v in (lo, hi)) or hi - lo > 20:
            problems.append(DefinitionProblem(f"{path}.maximum", "invalid_scale"))
            return problems
        for point in q.point_labels:
            if not re.fullmatch(r"-?\d+", point) or not lo <= int(point) <= hi:
                problems.append(
                    DefinitionProblem(f"{path}.point_labels", "invalid_point", {"point": point})
                )
        return problems

    def points(self, q: Question) -> list[int]:
        lo, hi = self.bounds(q)
        return list(range(int(lo), int(hi) + 1))

    def answer_values(self, q: Question) -> list[str]:
        return [str(point) for point in self.points(q)]

    def first_field_id(self, q: Question) -> str:
        return f"{q.code}-0"  # the first point's radio button

    def orphaning_changes(self, old: Question, new: Question) -> OrphaningChanges:
        changes = super().orphaning_changes(old, new)
        if self.bounds(old) == self.bounds(new):
            return changes
        return OrphaningChanges(
            changes.removed_options, changes.removed_rows, changes.removed_specify, True
        )

    # -- XLSForm -----------------------------------------------------------------------

    def read_xlsform(self, row: XLSFormRow, sheet: XLSFormReading) -> dict[str, Any] | None:
        if row.base == "range":
            return self._read_range(row, sheet)
        list_name = list_argument(row, sheet)
        options = None if list_name is None else sheet.choices(row.number, list_name)
        if options is None:
            return None
        values = [o["value"] for o in options]
        if not all(re.fullmatch(r"-?\d+", v) for v in values) or [int(v) for v in values] != list(
            range(int(values[0]), int(values[0]) + len(values))
        ):
            sheet.problem(row.number, "scale_list_not_consecutive_numbers", list=list_name)
            return None
        fields: dict[str, Any] = {"type": self.name}
        defaults = (str(self.default_min), str(self.default_max))
        if (values[0], values[-1]) != defaults:  # keep definitions minimal on a round trip
            fields["minimum"], fields["maximum"] = int(values[0]), int(values[-1])
        labels = {
            o["value"]: {lang: t for lang, t in o["label"].items() if t != o["value"]}
            for o in options
        }
        fields["point_labels"] = {point: text for point, text in labels.items() if text}
        return fields

    def _read_range(self, row: XLSFormRow, sheet: XLSFormReading) -> dict[str, Any] | None:
        if row.args:
            sheet.problem(row.number, "unsupported_type", type=row.type)
            return None
        # pyxform reads the names in any case (``Start=3 End=14``) and refuses other names
        written = _RANGE_PARAMETER.findall(row.cell("parameters"))
        params = {key.lower(): value for key, value in written}
        unknown = [key for key, _value in written if key.lower() not in _RANGE_KEYS]
        if unknown:
            sheet.problem(row.number, "range_parameter_unknown", name=unknown[0])
            return None
        try:
            start = float(params.get("start", 1))
            end = float(params.get("end", 10))
            step = float(params.get("step", 1))
        except ValueError:
            sheet.problem(row.number, "invalid_range_parameters")
            return None
        if step != 1:
            shown = int(step) if step.is_integer() else step
            sheet.problem(row.number, "range_step_unsupported", step=shown)
            return None
        if not start.is_integer() or not end.is_integer():
            sheet.problem(row.number, "range_bounds_not_whole", start=f"{start:g}", end=f"{end:g}")
            return None
        return {"type": self.name, "minimum": int(start), "maximum": int(end)}

    def xlsform_constraints(self, q: Question) -> list[str]:
        """Bounds set in the definition (even at the type's defaults), so that a round trip
        keeps them; the choice list alone carries the points."""
        return [
            f". {op} {value}"
            for op, value in ((">=", q.minimum), ("<=", q.maximum))
            if value is not None
        ]

    def xlsform_cells(self, q: Question, sheet: XLSFormWriting) -> Cells:
        points = []
        for point in self.points(q):
            label = q.point_labels.get(str(point), {})
            text = {lang: label.get(lang) or str(point) for lang in sheet.languages}
            points.append((str(point), text, {}))
        sheet.add_list(q.code, points)
        return {"type": f"select_one {q.code}", "appearance": "likert", "engage_type": self.name}
