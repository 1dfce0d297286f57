"""The campaign dashboard and the community baseline it compares with."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from engage.dashboard.baseline import BaselineRefused, baseline_csv, read_baseline
from engage.dashboard.breakdowns import FORM_FIELDS, breakdowns_csv, record_breakdown_export
from engage.dashboard.choices import dashboard_form
from engage.dashboard.forms import BaselineForm
from engage.dashboard.labels import LABELS
from engage.dashboard.page import build_breakdowns, build_page
from engage.extensions import db
from engage.permissions import Permission, requires
from engage.web.forms import ActionForm
from engage.web.guards import get_campaign_or_404
from engage.web.messages import baseline_problem_message

bp = Blueprint("dashboard", __name__)


@bp.get("/campaigns/<int:campaign_id>/dashboard")
@requires(Permission.REVIEW_FEEDBACK)
def dashboard(campaign_id: int) -> ResponseReturnValue:
    campaign = get_campaign_or_404(
        campaign_id, for_user=current_user, permission=Permission.REVIEW_FEEDBACK
    )
    form = dashboard_form(campaign, request.args)
    valid = form.validate()
    lang = str(get_locale())
    page = build_page(
        db.session,
        campaign,
        form,
        default_threshold=current_app.config["SUPPRESSION_THRESHOLD"],
        lang=lang,
    )
    return render_template(
        "dashboard/dashboard.html",
        campaign=campaign,
        form=form,
        lang=lang,
        action_form=ActionForm(),
        **page.context(),
        **LABELS,
    ), (200 if valid else 400)


@bp.post("/campaigns/<int:campaign_id>/dashboard/breakdowns.csv")
@requires(Permission.REVIEW_FEEDBACK)
def breakdowns(campaign_id: int) -> ResponseReturnValue:
    """The breakdowns on the dashboard as shown (small groups hidden), as a CSV file."""
    campaign = get_campaign_or_404(
        campaign_id, for_user=current_user, permission=Permission.REVIEW_FEEDBACK
    )
    form = dashboard_form(campaign, request.form)
    if not ActionForm().validate_on_submit() or not form.validate():
        flash(_("The breakdowns could not be downloaded. Please try again."), "error")
        kept = {name: form[name].data for name in FORM_FIELDS if form[name].data}
        return redirect(url_for("dashboard.dashboard", campaign_id=campaign.id, **kept), 303)
    lang = str(get_locale())
    page = build_breakdowns(
        db.session, campaign, form, default_threshold=current_app.config["SUPPRESSION_THRESHOLD"]
    )
    record_breakdown_export(db.session, campaign, form, actor=current_user)
    filename = f"{campaign.slug}-breakdowns.csv"
    return Response(
        breakdowns_csv(page, lang),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.route("/campaigns/<int:campaign_id>/baseline", methods=["GET", "POST"])
@requires(Permission.MANAGE_CAMPAIGNS)
def baseline(campaign_id: int) -> ResponseReturnValue:
    campaign = get_campaign_or_404(campaign_id, for_user=current_user)
    form = BaselineForm()
    problems: list[str] = []
    if form.validate_on_submit():
        upload = form.file.data
        text = upload.read().decode("utf-8-sig", "replace") if upload else form.text.data or ""
        try:
            campaign.baseline = read_baseline(text)
        except BaselineRefused as refused:
            problems = [baseline_problem_message(p) for p in refused.problems]
            form.text.data = text
        else:
            flash(_("The community's make-up is saved."), "success")
            return redirect(url_for("dashboard.dashboard", campaign_id=campaign.id), 303)
    elif request.method == "GET":
        form.text.data = baseline_csv(campaign.baseline or {})
    return render_template(
        "dashboard/baseline.html", campaign=campaign, form=form, problems=problems
    ), (400 if problems or form.errors else 200)
