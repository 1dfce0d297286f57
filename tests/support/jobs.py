"""Jobs used by the job-queue tests."""

from __future__ import annotations

from sqlalchemy.orm import Session

from engage.models import Workgroup


def add_workgroup(session: Session, name: str) -> int:
    workgroup = Workgroup(name=name)
    session.add(workgroup)
    session.flush()
    return workgroup.id


def fail(session: Session, name: str) -> None:
    session.add(Workgroup(name=name))
    session.flush()
    raise RuntimeError("job failed on purpose")
