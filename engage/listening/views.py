"""Listening sessions on the staff pages: the list, one session, its notes."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from engage.dashboard.baseline import BaselineRefused, baseline_csv, read_baseline
from engage.dashboard.labels import LABELS
from engage.extensions import db
from engage.listening import services as listening
from engage.listening.forms import NotesForm, SessionForm, with_choices
from engage.models import Campaign, ListeningSession
from engage.permissions import Permission, requires
from engage.web.forms import ActionForm
from engage.web.guards import get_campaign_or_404, get_listening_session_or_404
from engage.web.messages import baseline_problem_message

bp = Blueprint("listening", __name__)
_ENTER = Permission.ENTER_RESPONSES


@bp.get("/campaigns/<int:campaign_id>/sessions")
@requires(_ENTER)
def session_list(campaign_id: int) -> ResponseReturnValue:
    campaign = get_campaign_or_404(campaign_id, for_user=current_user, permission=_ENTER)
    threshold = _threshold(campaign)
    questions = listening.dimension_questions_of(campaign)
    rows = [
        (found, notes, listening.head_counts(found, threshold, questions))
        for found, notes in listening.sessions_of(db.session, campaign)
    ]
    return render_template(
        "listening/session_list.html",
        campaign=campaign,
        rows=rows,
        threshold=threshold,
        lang=str(get_locale()),
        **LABELS | {"dimension_label": listening.head_count_label},
    )


def _threshold(campaign: Campaign) -> int:
    return campaign.threshold(current_app.config["SUPPRESSION_THRESHOLD"])


@bp.route("/campaigns/<int:campaign_id>/sessions/new", methods=["GET", "POST"])
@requires(_ENTER)
def session_new(campaign_id: int) -> ResponseReturnValue:
    campaign = get_campaign_or_404(campaign_id, for_user=current_user, permission=_ENTER)
    return _edit(campaign, None)


@bp.route("/sessions/<int:session_id>", methods=["GET", "POST"])
@requires(_ENTER)
def session_edit(session_id: int) -> ResponseReturnValue:
    found = get_listening_session_or_404(session_id, for_user=current_user)
    return _edit(found.campaign, found)


def _edit(campaign: Campaign, found: ListeningSession | None) -> ResponseReturnValue:
    first = {} if found is not None else {"languages": [campaign.default_language]}
    form = with_choices(SessionForm(obj=found, **first), campaign, found.languages if found else ())
    if found is not None and not form.is_submitted():
        form.demographics.data = baseline_csv(found.demographics or {}, "count")
    if form.validate_on_submit():
        try:
            counts = read_baseline(form.demographics.data or "", "count")
        except BaselineRefused as refused:
            form.demographics.errors.extend(baseline_problem_message(p) for p in refused.problems)
        else:
            fields = {name: form[name].data or "" for name in ("place", "facilitator")}
            saved = listening.save_session(
                db.session,
                found,
                campaign,
                held_on=form.held_on.data,
                area=form.area.data or None,
                attendance=form.attendance.data or 0,
                demographics=counts,
                languages=list(form.languages.data),
                **fields,
            )
            flash(_("The session is saved."), "success")
            return redirect(url_for("listening.session_edit", session_id=saved.id), 303)
    return _page(campaign, found, form, 400 if form.errors else 200)


def _page(campaign, found, form, status, notes_form=None) -> ResponseReturnValue:  # type: ignore[no-untyped-def]
    notes = listening.notes_of(db.session, found) if found is not None else []
    kept = found.languages if found is not None else []
    notes_form = notes_form or with_choices(
        NotesForm(language=kept[0] if kept else None), campaign, kept
    )
    threshold = _threshold(campaign)
    counts = (
        listening.head_counts(found, threshold, listening.dimension_questions_of(campaign))
        if found is not None
        else []
    )
    return render_template(
        "listening/session_edit.html",
        campaign=campaign,
        listening_session=found,
        form=form,
        notes=notes,
        notes_form=notes_form,
        action_form=ActionForm(),
        head_counts=counts,
        threshold=threshold,
        lang=str(get_locale()),
        **LABELS | {"dimension_label": listening.head_count_label},
    ), status


@bp.post("/sessions/<int:session_id>/notes")
@requires(_ENTER)
def session_notes(session_id: int) -> ResponseReturnValue:
    found = get_listening_session_or_404(session_id, for_user=current_user)
    notes_form = with_choices(NotesForm(), found.campaign, found.languages)
    if not notes_form.validate_on_submit():
        form = with_choices(SessionForm(obj=found, formdata=None), found.campaign, found.languages)
        return _page(found.campaign, found, form, 400, notes_form)
    added = listening.add_notes(db.session, found, notes_form.text.data, notes_form.language.data)
    flash(ngettext("%(num)d note added.", "%(num)d notes added.", added), "success")
    return redirect(url_for("listening.session_edit", session_id=found.id, _anchor="notes"), 303)


@bp.post("/sessions/<int:session_id>/notes/<int:item_id>/delete")
@requires(_ENTER)
def session_note_delete(session_id: int, item_id: int) -> ResponseReturnValue:
    found = get_listening_session_or_404(session_id, for_user=current_user)
    if ActionForm().validate_on_submit() and listening.remove_note(db.session, found, item_id):
        flash(_("The note is removed."), "success")
    return redirect(url_for("listening.session_edit", session_id=found.id, _anchor="notes"), 303)
