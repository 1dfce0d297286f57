"""The community's make-up, typed or pasted as CSV (``dimension,group,share``).

Shares are per dimension and may be fractions, percentages or head counts: each
dimension is normalised when compared. Reading is all-or-nothing with row errors.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

HEADER = ("dimension", "group", "share")
MAX_ROWS = 2000


@dataclass(frozen=True)
class BaselineProblem:
    row: int
    code: str
    params: dict[str, Any] = field(default_factory=dict)


class BaselineRefused(Exception):
    def __init__(self, problems: list[BaselineProblem]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


def baseline_csv(baseline: dict[str, dict[str, float]], value_column: str = "share") -> str:
    """The baseline (or a session's head counts) as the CSV the form shows."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow((*HEADER[:2], value_column))
    for dimension, groups in baseline.items():
        for group, share in groups.items():
            writer.writerow([dimension, group, f"{share:g}"])
    return out.getvalue()


def read_baseline(text: str, value_column: str = "share") -> dict[str, dict[str, float]]:
    """``{dimension: {group: share}}`` from CSV text; :class:`BaselineRefused` if wrong.

    ``value_column`` names the third column (``count`` for a session's attendance).
    """
    rows = list(csv.reader(io.StringIO(text.strip())))
    if not rows:
        return {}
    header = [cell.strip().lower() for cell in rows[0]]
    if header[:3] != [*HEADER[:2], value_column]:
        raise BaselineRefused(
            [BaselineProblem(1, "baseline_header", {"header": f"dimension,group,{value_column}"})]
        )
    if len(rows) > MAX_ROWS + 1:
        raise BaselineRefused([BaselineProblem(0, "baseline_too_many_rows", {"max": MAX_ROWS})])
    baseline: dict[str, dict[str, float]] = {}
    problems: list[BaselineProblem] = []
    for number, row in enumerate(rows[1:], 2):
        cells = [cell.strip() for cell in row] + ["", "", ""]
        dimension, group, share_text = cells[:3]
        if not any(cells[:3]):
            continue
        if not dimension or not group or "\x00" in dimension + group:
            problems.append(BaselineProblem(number, "baseline_missing_name"))
            continue
        try:
            share = float(share_text.rstrip("%").replace(",", "."))
        except ValueError:
            problems.append(
                BaselineProblem(number, "baseline_bad_share", {"value": share_text[:40]})
            )
            continue
        if share < 0 or share != share or share == float("inf"):
            problems.append(
                BaselineProblem(number, "baseline_bad_share", {"value": share_text[:40]})
            )
            continue
        groups = baseline.setdefault(dimension[:80], {})
        if group[:120] in groups:
            problems.append(BaselineProblem(number, "baseline_repeated", {"group": group[:120]}))
            continue
        groups[group[:120]] = share
    for dimension, groups in baseline.items():
        if sum(groups.values()) <= 0:
            problems.append(
                BaselineProblem(0, "baseline_empty_dimension", {"dimension": dimension})
            )
    if problems:
        raise BaselineRefused(problems)
    return baseline
