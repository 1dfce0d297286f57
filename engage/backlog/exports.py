"""The backlog, a sprint and the decision log as CSV, JSON and Markdown.

Every text cell is formula-safe (``surveys.export.formula_safe``): a title that starts
with ``=`` opens in a spreadsheet as text, never as a formula; in Markdown, pipes and
line breaks cannot break the table.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from engage.backlog.evidence import evidence_themes
from engage.backlog.services import BacklogRow, backlog_rows, list_decisions
from engage.models import Campaign, Decision, Sprint
from surveys.export import formula_safe

FORMATS = {"csv": "text/csv", "json": "application/json", "md": "text/markdown"}


@dataclass(frozen=True)
class Table:
    name: str
    columns: list[str]
    rows: list[dict[str, Any]]


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float):
        return round(value, 2)
    return value


def backlog_table(session: Session, campaign: Campaign, *, threshold: int) -> Table:
    rows: Sequence[BacklogRow] = backlog_rows(session, campaign, threshold=threshold, statuses=None)
    columns = [
        "id", "title", "status", "job_statement", "evidence", "themes", "outcome", "score",
        "importance", "satisfaction", "n_importance", "n_satisfaction", "residents",
        "languages", "effort", "owner", "votes", "not_now_reason", "revisit_on",
    ]  # fmt: skip
    out = []
    for row in rows:
        o, s = row.opportunity, row.score
        out.append(
            {
                "id": o.id,
                "title": o.title,
                "status": str(o.status),
                "job_statement": o.job_statement,
                "evidence": "themes" if o.has_evidence else "no resident evidence yet",
                "themes": "; ".join(
                    f"{t.name} ({t.language})" for t in evidence_themes(session, o)
                ),
                "outcome": o.outcome or "",
                "score": s.score if s else None,
                "importance": s.importance if s else None,
                "satisfaction": s.satisfaction if s else None,
                "n_importance": s.n_importance if s else None,
                "n_satisfaction": s.n_satisfaction if s else None,
                "residents": row.reach.residents
                if row.reach.residents is not None
                else f"<{row.reach.threshold}",
                "languages": "; ".join(
                    f"{code}: {n if n is not None else '<' + str(row.reach.threshold)}"
                    for code, n in row.reach.languages
                ),
                "effort": o.effort,
                "owner": o.owner.name if o.owner else "",
                "votes": row.votes,
                "not_now_reason": o.not_now_reason or "",
                "revisit_on": o.revisit_on,
            }
        )
    return Table(f"backlog-{campaign.slug}", columns, out)


def sprint_table(sprint: Sprint) -> Table:
    columns = ["sprint", "starts_on", "ends_on", "status", "goal", "opportunity", "owner", "state"]
    base = {
        "sprint": sprint.name,
        "starts_on": sprint.starts_on,
        "ends_on": sprint.ends_on,
        "status": str(sprint.status),
        "goal": sprint.goal,
    }
    rows = [
        {
            **base,
            "opportunity": item.opportunity.title,
            "owner": item.owner.name if item.owner else "",
            "state": str(item.state),
        }
        for item in sprint.items
    ]
    review = {
        "delivered": sprint.delivered,
        "evidence": sprint.evidence,
        "residents_said": sprint.residents_said,
        "went_well": sprint.went_well,
        "try_next": sprint.try_next,
        "lessons": sprint.lessons,
    }
    for name, text in review.items():
        if text:
            rows.append({**base, "opportunity": f"[{name}]", "owner": "", "state": text})
    return Table(f"sprint-{sprint.id}", columns, rows)


def decisions_table(session: Session, campaign: Campaign, *, query: str = "") -> Table:
    columns = [
        "decided_at", "decided_by", "kind", "subject", "from_status", "to_status", "reason",
        "revisit_on",
    ]  # fmt: skip
    decisions: list[Decision] = list_decisions(session, campaign, query=query, limit=None)
    rows = [
        {
            "decided_at": d.decided_at,
            "decided_by": d.decided_by_name,
            "kind": str(d.kind),
            "subject": d.subject,
            "from_status": d.from_status or "",
            "to_status": d.to_status or "",
            "reason": d.reason,
            "revisit_on": d.revisit_on,
        }
        for d in decisions
    ]
    return Table(f"decisions-{campaign.slug}", columns, rows)


def _cell(value: Any) -> Any:
    value = _plain(value)
    return "" if value is None else formula_safe(value)


def to_csv(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow([_cell(row.get(c)) for c in table.columns])
    return ("\ufeff" + buffer.getvalue()).encode()


def to_json(table: Table) -> bytes:
    rows = [{c: _plain(row.get(c)) for c in table.columns} for row in table.rows]
    return json.dumps({"name": table.name, "rows": rows}, ensure_ascii=False, indent=2).encode()


def _md(value: Any) -> str:
    text = str(_cell(value))
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", "<br>")


def to_markdown(table: Table) -> bytes:
    lines = [
        f"# {table.name}",
        "",
        "| " + " | ".join(table.columns) + " |",
        "|" + "---|" * len(table.columns),
    ]
    lines += [
        "| " + " | ".join(_md(row.get(c)) for c in table.columns) + " |" for row in table.rows
    ]
    return ("\n".join(lines) + "\n").encode()


def render(table: Table, fmt: str) -> bytes:
    return {"csv": to_csv, "json": to_json, "md": to_markdown}[fmt](table)
