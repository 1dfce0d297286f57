"""One unit of work per request: the request commits once, after the view.

Views validate and call services; services add and flush, never commit. When the view
answers below 400 the request's session is committed, then the jobs its services asked
for are sent (see :func:`engage.jobs.enqueue_after_commit`); an error response or an
exception rolls everything back. A view that must keep what it stored although it
answers with an error (a resident's page was saved, the final submission was refused)
says so with :func:`keep_changes`.

A request that wrote nothing neither commits nor rolls back. GET, HEAD and OPTIONS never
write: a change made during one is rolled back, and is a bug that fails loudly in
testing and development.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from flask import Flask, Response, current_app, g, has_request_context, request
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy.orm import ORMExecuteState

from engage import jobs
from engage.errors import discard_session, handle_database_unavailable, is_database_unavailable
from engage.extensions import db

log = logging.getLogger(__name__)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class SafeRequestWrote(RuntimeError):
    """A GET (or HEAD, OPTIONS) request changed the database."""


def keep_changes() -> None:
    """Commit this request's changes even though it answers with an error status."""
    g.engage_keep_changes = True


def _note_flush(session: FlaskSession, flush_context: object) -> None:
    if has_request_context():
        g.engage_flushed = True


WRITES = "engage_writes"
"""Execution option of a textual statement (``sa.text``) that writes: mark it with
``.execution_options(engage_writes=True)`` so that the request commits it."""


def _note_statement(state: ORMExecuteState) -> None:
    """A bulk ``update``/``delete``/``insert`` writes without a flush."""
    writes = state.is_update or state.is_delete or state.is_insert
    if has_request_context() and (writes or state.execution_options.get(WRITES)):
        g.engage_flushed = True


def _finish(response: Response) -> Response:
    session = db.session
    # ``g`` belongs to the application context, which may outlive this request.
    keep = g.pop("engage_keep_changes", False)
    wrote = g.pop("engage_flushed", False) or bool(session.new or session.dirty or session.deleted)
    if not wrote:
        jobs.discard_after_commit(session)  # what a job would need was never written
        return response
    if request.method in SAFE_METHODS:
        jobs.discard_after_commit(session)
        discard_session()
        message = f"{request.method} {request.path} changed the database"
        if current_app.testing or current_app.debug:
            raise SafeRequestWrote(message)
        log.error(message)
        return response
    if response.status_code >= 400 and not keep:
        jobs.discard_after_commit(session)
        discard_session()  # even when the database itself is what failed
        return response
    try:
        session.commit()
    except Exception as error:
        if not is_database_unavailable(error):
            raise
        # The database went away between the view and the commit: nothing was stored,
        # and the client may safely try again.
        jobs.discard_after_commit(session)
        return handle_database_unavailable(error)
    jobs.dispatch_after_commit(session)
    g.pop("engage_flushed", None)  # an inline job owns its transaction
    return response


def init_unit_of_work(app: Flask) -> None:
    if not sa.event.contains(FlaskSession, "after_flush", _note_flush):  # once per process
        sa.event.listen(FlaskSession, "after_flush", _note_flush)
        sa.event.listen(FlaskSession, "do_orm_execute", _note_statement)
    app.after_request(_finish)
