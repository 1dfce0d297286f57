"""The dashboard's breakdowns as a CSV file: who has been heard by group (against the
community's make-up where it is known) and the compare-groups table chosen, hidden
exactly as the page hides them.

The file is written from the page's own figures, so a cell hidden on the page (a small
group, or one more hidden with it so that it cannot be worked out from a total) is
empty in the file too, marked in the ``hidden`` column. Every text cell is
formula-safe (``surveys.export.formula_safe``); figures are written as numbers.
Downloading is recorded in the audit log.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from engage.audit.services import record
from engage.dashboard.forms import DashboardForm
from engage.dashboard.labels import column_label, dimension_label, group_label, option_label
from engage.dashboard.page import DashboardPage
from engage.dashboard.services import Breakdown, CrossTab
from engage.dashboard.sessions import NOT_COUNTED
from engage.models import Campaign
from engage.models.audit import AuditAction
from surveys.export import formula_safe
from surveys.i18n import text_for

COLUMNS = (
    "section",
    "dimension",
    "group",
    "question",
    "answer",
    "people",
    "share",
    "community_share",
    "gap",
    "mean",
    "hidden",
)
FORM_FIELDS = ("survey", "wave", "question", "dimension", "dimension2")
# Written by this module from numbers: never a formula, and a negative gap or mean must
# stay a number in a spreadsheet (an apostrophe would make it text).
NUMBER_COLUMNS = frozenset({"people", "share", "community_share", "gap", "mean"})


def _share(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


def _breakdown_rows(section: str, b: Breakdown, lang: str) -> Iterator[dict[str, Any]]:
    name = dimension_label(b.dimension, b.question, lang)
    for row in b.rows:
        hidden = row.count is None
        yield {
            "section": section,
            "dimension": name,
            "group": group_label(b.dimension, b.question, row.key, lang)
            if row.key != NOT_COUNTED
            else str(_l("Not counted by group")),
            "people": row.count,
            "share": _share(row.share),
            "community_share": _share(row.baseline_share),
            "gap": "" if hidden else _share(row.gap),
            "hidden": "yes" if hidden else "",
        }


def _compare_rows(table: CrossTab, lang: str) -> Iterator[dict[str, Any]]:
    question = table.question
    common = {
        "dimension": " × ".join(
            dimension_label(d, q, lang)
            for d, q in zip(table.dimensions, table.dimension_questions, strict=True)
        ),
        "question": text_for(question.label, lang)[0] or question.code,
    }

    def column(key: Any) -> str:
        return column_label(table.dimensions, table.dimension_questions, key, lang)

    if table.table is not None:
        section = "compare_first_choice" if table.kind == "ranking" else "compare_counts"
        counts = table.table
        for i, row in enumerate(counts.rows):
            parts = row if isinstance(row, tuple) else (row,)
            answer = ": ".join(option_label(question, str(part), lang) for part in parts)
            for j, key in enumerate(counts.columns):
                value = counts.counts[i][j]
                yield {
                    **common,
                    "section": section,
                    "group": column(key),
                    "answer": answer,
                    "people": value,
                    "hidden": "yes" if value is None else "",
                }
    if table.means is not None:
        means = table.means
        section = "compare_mean_rank" if table.kind == "ranking" else "compare_mean"
        for i, row in enumerate(means.rows):
            answer = option_label(question, row, lang) if table.kind == "ranking" else ""
            cells = [*zip(means.columns, means.cells[i], strict=True), (None, means.overall[i])]
            for key, cell in cells:
                yield {
                    **common,
                    "section": section,
                    "group": column(key) if key is not None else "*",
                    "answer": answer,
                    "people": cell.n,
                    "mean": "" if cell.mean is None else f"{cell.mean:.4f}",
                    "hidden": "yes" if cell.hidden else "",
                }


def breakdown_rows(page: DashboardPage, lang: str) -> Iterator[dict[str, Any]]:
    """Every row of the file: who has been heard, the listening sessions' head counts,
    then the compare-groups table."""
    for b in page.board.representativeness:
        yield from _breakdown_rows("representativeness", b, lang)
    for b in page.board.groups:
        yield from _breakdown_rows("respondents_by_group", b, lang)
    for b in page.heads.breakdowns:
        yield from _breakdown_rows("listening_session_head_counts", b, lang)
    if page.table is not None:
        yield from _compare_rows(page.table, lang)


def breakdowns_csv(page: DashboardPage, lang: str) -> bytes:
    """The breakdowns as CSV (UTF-8 with a byte-order mark, for spreadsheets)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in breakdown_rows(page, lang):
        cells = [(c, row.get(c)) for c in COLUMNS]
        writer.writerow(
            ["" if v is None else v if c in NUMBER_COLUMNS else formula_safe(v) for c, v in cells]
        )
    return ("\ufeff" + buffer.getvalue()).encode()


def record_breakdown_export(
    session: Session, campaign: Campaign, form: DashboardForm, *, actor: Any
) -> None:
    """Note in the audit log that ``actor`` downloaded the dashboard's breakdowns."""
    detail: dict[str, Any] = {"format": "csv", "breakdowns": True}
    detail.update({name: form[name].data for name in FORM_FIELDS if form[name].data})
    record(session, AuditAction.EXPORTED, actor=actor, subject=campaign, detail=detail)
