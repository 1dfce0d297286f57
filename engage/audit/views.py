"""The audit log viewer for administrators: newest first, filtered with a GET form."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue

from engage.audit.forms import AuditFilterForm
from engage.audit.queries import AuditFilter, list_events
from engage.permissions import Permission, requires
from engage.web.messages import audit_action_label, audit_detail_text
from engage.web.pagination import paginate

bp = Blueprint("audit", __name__)


@bp.get("/audit")
@requires(Permission.MANAGE_USERS)
def audit_log() -> ResponseReturnValue:
    """Bad filter input (a date that is not one, an unknown action) is shown on the form,
    with every entry listed below it, and answered 400."""
    form = AuditFilterForm(formdata=request.args)
    valid = form.validate()
    pagination = paginate(list_events(form.filters() if valid else AuditFilter()))
    return render_template(
        "audit/log.html",
        form=form,
        pagination=pagination,
        page_args=form.query_args() if valid else {},
        action_label=audit_action_label,
        detail_text=audit_detail_text,
        has_errors=not valid,
    ), (200 if valid else 400)
