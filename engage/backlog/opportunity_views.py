"""Backlog pages: the list, the impact/effort view, one opportunity, its status, the
decision log and the exports."""

from __future__ import annotations

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from engage.backlog import evidence, exports, pages, services
from engage.backlog.forms import STATUS_CHOICES, OpportunityForm, StatusForm
from engage.backlog.guards import REVIEW, get_backlog_campaign_or_404, get_opportunity_or_404
from engage.extensions import db
from engage.models import Campaign, IllegalTransition, Opportunity
from engage.permissions import requires
from engage.templating import language_name
from engage.web.messages import backlog_error_message
from engage.web.pagination import paginate


def threshold_of(campaign: Campaign) -> int:
    return campaign.threshold(current_app.config["SUPPRESSION_THRESHOLD"])


def _theme_ids() -> list[int]:
    return [int(v) for v in request.args.getlist("theme") if v.isdigit() and 0 < int(v) < 2**31]


def _with_choices(form: OpportunityForm, campaign: Campaign, found: Opportunity | None):  # type: ignore[no-untyped-def]
    """Fill the form's lists: the board's themes, their quotes, outcomes, people."""
    current = (
        [e.theme.id for e in evidence.evidence_themes(db.session, found) if e.theme]
        if found
        else []
    )
    choices = evidence.list_theme_choices(db.session, campaign, keep=current)
    form.themes.choices = [
        SelectChoice(
            c.theme.id, f"{c.theme.display_name} · {language_name(c.theme.language)} ({c.size})"
        )
        for c in choices
    ]
    submitted = form.is_submitted() or bool(request.args.get("show"))
    chosen_ids = (form.themes.data or []) if submitted else (current if found else _theme_ids())
    chosen = [c.theme for c in choices if c.theme.id in chosen_ids]
    kept = [q.feedback_item_id for q in found.quotes] if found else []
    quotes = evidence.quote_candidates(db.session, campaign, chosen)
    quotes += evidence.quotes_of_campaign(
        db.session, campaign, [i for i in kept if i not in {q.item_id for q in quotes}]
    )
    form.quotes.choices = [SelectChoice(q.item_id, q.text) for q in quotes]
    labels = evidence.outcome_labels(db.session, campaign, str(get_locale()))
    form.outcome.choices = [SelectChoice("", _("No rated outcome"))] + [
        SelectChoice(o, f"{labels.get(o) or o} ({o})")
        for o in evidence.list_outcomes(db.session, campaign)
    ]
    form.owner.choices = [SelectChoice("", _("Nobody yet"))] + [
        SelectChoice(str(u.id), u.name) for u in services.list_people(db.session, campaign)
    ]
    if not submitted:
        form.themes.data = chosen_ids
        form.quotes.data = kept
        if found is not None:
            form.effort.data = str(found.effort or "")
            form.owner.data = str(found.owner_id or "")
            form.outcome.data = found.outcome or ""
    return form


def _form(**kwargs: object) -> OpportunityForm:
    """The form; "show the quotes" sends it by GET, to choose quotes of the chosen themes."""
    if request.method == "GET" and request.args.get("show"):
        return OpportunityForm(request.args, **kwargs)
    return OpportunityForm(**kwargs)


def _fields(form: OpportunityForm) -> services.OpportunityFields:
    return services.OpportunityFields(
        title=form.title.data or "",
        job_statement=form.job_statement.data or "",
        outcome=form.outcome.data or None,
        effort=form.effort_value,
        owner_id=form.owner_value,
        theme_ids=form.themes.data or [],
        quote_ids=form.quotes.data or [],
    )


@requires(REVIEW)
def backlog(campaign_id: int) -> ResponseReturnValue:
    campaign = get_backlog_campaign_or_404(campaign_id, for_user=current_user)
    sort = request.args.get("sort", "score")
    page = pages.backlog_page(db.session, campaign, threshold_of(campaign), sort)
    return render_template("backlog/backlog.html", **page)


@requires(REVIEW)
def impact_effort(campaign_id: int) -> ResponseReturnValue:
    campaign = get_backlog_campaign_or_404(campaign_id, for_user=current_user)
    rows = services.backlog_rows(db.session, campaign, threshold=threshold_of(campaign))
    cells = services.impact_effort(rows)
    return render_template("backlog/impact_effort.html", campaign=campaign, cells=cells)


@requires(REVIEW)
def opportunity_new(campaign_id: int) -> ResponseReturnValue:
    campaign = get_backlog_campaign_or_404(campaign_id, for_user=current_user, edit=True)
    form = _with_choices(_form(), campaign, None)
    if request.method == "POST" and form.validate_on_submit():
        try:
            found = services.create_opportunity(
                db.session, campaign, _fields(form), by=current_user
            )
        except services.BacklogError as error:
            form.form_errors.append(backlog_error_message(error.code))
        else:
            flash(_("The opportunity is in the backlog."), "success")
            return redirect(url_for("backlog.opportunity_detail", opportunity_id=found.id), 303)
    status = 400 if form.errors or form.form_errors else 200
    return render_template(
        "backlog/opportunity_form.html", campaign=campaign, form=form, opportunity=None
    ), status


@requires(REVIEW)
def opportunity_edit(opportunity_id: int) -> ResponseReturnValue:
    found = get_opportunity_or_404(opportunity_id, for_user=current_user, edit=True)
    form = _with_choices(_form(obj=found), found.campaign, found)
    if request.method == "POST" and form.validate_on_submit():
        try:
            services.update_opportunity(db.session, found, _fields(form), by=current_user)
        except services.BacklogError as error:
            form.form_errors.append(backlog_error_message(error.code))
        else:
            flash(_("The opportunity is saved."), "success")
            return redirect(url_for("backlog.opportunity_detail", opportunity_id=found.id), 303)
    status = 400 if form.errors or form.form_errors else 200
    return render_template(
        "backlog/opportunity_form.html", campaign=found.campaign, form=form, opportunity=found
    ), status


def _detail(found: Opportunity, form: StatusForm, status: int = 200) -> ResponseReturnValue:
    form.status.choices = [c for c in STATUS_CHOICES if found.can_move_to(c.value)]
    page = pages.opportunity_page(
        db.session, found, threshold_of(found.campaign), str(get_locale())
    )
    return render_template("backlog/opportunity.html", form=form, **page), status


@requires(REVIEW)
def opportunity_detail(opportunity_id: int) -> ResponseReturnValue:
    found = get_opportunity_or_404(opportunity_id, for_user=current_user)
    return _detail(found, StatusForm(formdata=None))


@requires(REVIEW)
def opportunity_status(opportunity_id: int) -> ResponseReturnValue:
    found = get_opportunity_or_404(opportunity_id, for_user=current_user, edit=True)
    form = StatusForm()
    if not form.validate_on_submit():
        return _detail(found, form, 400)
    try:
        services.change_status(
            db.session, found, form.status.data, by=current_user,
            reason=form.reason.data or "", revisit_on=form.revisit_on.data,
        )  # fmt: skip
    except (services.BacklogError, IllegalTransition) as error:
        form.form_errors.append(backlog_error_message(error.code))
        return _detail(found, form, 400)
    flash(_("The decision is in the log."), "success")
    return redirect(url_for("backlog.opportunity_detail", opportunity_id=found.id), 303)


@requires(REVIEW)
def decision_log(campaign_id: int) -> ResponseReturnValue:
    campaign = get_backlog_campaign_or_404(campaign_id, for_user=current_user)
    query = request.args.get("q", "")[:200].replace("\x00", "")
    kind = request.args.get("kind", "")
    pagination = paginate(services.select_decisions(campaign, query=query, kind=kind))
    return render_template(
        "backlog/decisions.html", campaign=campaign, pagination=pagination, query=query, kind=kind
    )


def download(table: exports.Table, fmt: str) -> ResponseReturnValue:
    if fmt not in exports.FORMATS:
        abort(404)
    return Response(
        exports.render(table, fmt),
        mimetype=exports.FORMATS[fmt],
        headers={"Content-Disposition": f'attachment; filename="{table.name}.{fmt}"'},
    )


@requires(REVIEW)
def backlog_export(campaign_id: int, fmt: str) -> ResponseReturnValue:
    campaign = get_backlog_campaign_or_404(campaign_id, for_user=current_user)
    return download(
        exports.backlog_table(db.session, campaign, threshold=threshold_of(campaign)), fmt
    )


@requires(REVIEW)
def decisions_export(campaign_id: int, fmt: str) -> ResponseReturnValue:
    campaign = get_backlog_campaign_or_404(campaign_id, for_user=current_user)
    query = request.args.get("q", "")[:200].replace("\x00", "")
    return download(exports.decisions_table(db.session, campaign, query=query), fmt)
