"""Analysis runs: start one (over all the feedback, or part of it), follow its progress,
and read the history of runs and each run's themes. Registered by ``engage.themes.views``."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from engage.extensions import db
from engage.permissions import Permission, requires
from engage.themes import run_page
from engage.themes import services as analysis
from engage.themes.engine import EngineSettings
from engage.themes.forms import RunForm
from engage.themes.runs import get_run
from engage.web.guards import get_campaign_or_404

REVIEW = Permission.REVIEW_FEEDBACK


@requires(REVIEW)
def runs(campaign_id: int) -> ResponseReturnValue:
    campaign = get_campaign_or_404(campaign_id, for_user=current_user, permission=REVIEW)
    context = run_page.runs_context(db.session, campaign, RunForm(formdata=None), str(get_locale()))
    return render_template("themes/runs.html", **context)


@requires(REVIEW)
def start_run(campaign_id: int) -> ResponseReturnValue:
    """Members of the campaign's workgroups (and staff) start a run; a filtered one is an
    exploration, followed from the history of runs."""
    campaign = get_campaign_or_404(campaign_id, for_user=current_user, permission=REVIEW)
    form = run_page.prepare_form(db.session, campaign, RunForm(), str(get_locale()))
    error = None
    if form.validate_on_submit():
        engine = EngineSettings(
            current_app.config["ANALYSIS_BACKEND"], current_app.config["ANALYSIS_MODEL"]
        )
        try:
            run = run_page.start(db.session, campaign, form, current_user, engine)
        except analysis.AnalysisError as refused:
            error = run_page.refusal(form, refused.code)
        else:
            flash(_("The analysis has started."), "success")
            where = "themes.runs" if run.is_filtered else "themes.themes"
            return redirect(url_for(where, campaign_id=campaign.id))
    elif "csrf_token" in form.errors:
        abort(400)
    context = run_page.runs_context(db.session, campaign, form, str(get_locale()), error)
    return render_template("themes/runs.html", **context), 400


@requires(REVIEW)
def run_detail(campaign_id: int, run_id: int) -> ResponseReturnValue:
    campaign = get_campaign_or_404(campaign_id, for_user=current_user, permission=REVIEW)
    run = get_run(db.session, campaign, run_id)
    if run is None:
        abort(404)
    context = run_page.run_context(db.session, campaign, run, str(get_locale()))
    return render_template("themes/run.html", **context)
