"""Starting a survey's next wave: the same survey asked again, compared with the last."""

from __future__ import annotations

from flask import flash, render_template
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from engage.builder.forms import StartWaveForm
from engage.builder.helpers import back_to_builder
from engage.campaigns import waves
from engage.extensions import db
from engage.permissions import Permission, requires
from engage.web.guards import get_survey_or_404


@requires(Permission.MANAGE_CAMPAIGNS)
def survey_wave_new(survey_id: int) -> ResponseReturnValue:
    """Asks first: from now on, new responses count in the new wave."""
    survey = get_survey_or_404(survey_id, for_user=current_user)
    form = StartWaveForm()
    number = survey.wave_count + 1
    if form.validate_on_submit():
        if form.number.data != str(number):  # already started, by a second click
            flash(_("Wave %(number)d has already started.", number=survey.wave_count), "warning")
            return back_to_builder(survey)
        label = form.label.data or ""
        wave = waves.start_wave(db.session, survey, label=label, actor=current_user)
        message = _("Wave %(number)d has started: new responses count in it.", number=wave.number)
        flash(message, "success")
        return back_to_builder(survey)
    form.number.data = str(number)
    return render_template(
        "builder/wave_new.html",
        survey=survey,
        form=form,
        number=number,
        counts=waves.count_by_wave(db.session, survey),
        waves=waves.waves_of(survey),
        first_published_at=waves.first_published_at(survey),
    ), (400 if form.errors else 200)
