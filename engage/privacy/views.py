"""Staff pages for residents' personal data: find one resident's data and delete it."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from engage.extensions import db
from engage.permissions import Permission, requires
from engage.privacy.forms import DeleteResidentDataForm, ResidentSearchForm, parse_ids
from engage.privacy.services import (
    ReferenceInvalid,
    delete_resident_data,
    load_resident_data,
    search_resident_data,
)

bp = Blueprint("privacy", __name__)


@bp.route("/privacy/resident-data", methods=["GET", "POST"])
@requires(Permission.MANAGE_CAMPAIGNS)
def resident_data() -> ResponseReturnValue:
    form = ResidentSearchForm()
    search = None
    if form.validate_on_submit():
        try:
            search = search_resident_data(
                db.session, contact=form.contact.data, reference=form.reference.data
            )
        except ReferenceInvalid:
            form.reference.errors = [
                _("Enter a response number, like 1234, or a resume code, like K7MX-3PQA.")
            ]
    confirm = DeleteResidentDataForm(formdata=None, obj=search)
    html = render_template(
        "privacy/resident_data.html",
        form=form,
        search=search,
        confirm=confirm,
        has_errors=bool(form.errors),
    )
    return html, 400 if form.errors else 200


@bp.post("/privacy/resident-data/delete")
@requires(Permission.MANAGE_CAMPAIGNS)
def resident_data_delete() -> ResponseReturnValue:
    form = DeleteResidentDataForm()
    data = load_resident_data(
        db.session, parse_ids(form.response_ids.data), parse_ids(form.contact_ids.data)
    )
    if not form.validate_on_submit() or data.is_empty:
        flash(_("There was nothing left to delete: it may have been deleted already."), "error")
        return redirect(url_for("privacy.resident_data"))
    counts = delete_resident_data(
        db.session, data, actor=current_user, found_by=form.found_by.data or ""
    )
    flash(
        _(
            "The resident's data is deleted (responses: %(responses)d, contact details: "
            "%(contacts)d).",
            responses=counts["responses"],
            contacts=counts["contacts"],
        ),
        "success",
    )
    return redirect(url_for("privacy.resident_data"))
