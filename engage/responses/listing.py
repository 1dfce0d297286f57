"""The response list's filter form: its choices come from the campaign and its data."""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import gettext as _
from sqlalchemy.orm import Session
from wtforms import Field
from wtforms.fields.choices import SelectChoice

from engage.campaigns.waves import wave_name, waves_of
from engage.models import Campaign, Response, Survey
from engage.responses.forms import CHANNEL_LABELS, ResponseFilterForm
from engage.responses.review import ResponseFilters, distinct_values, interviewers
from engage.templating import language_name


def _any() -> SelectChoice:
    return SelectChoice("", _("Any"))


def filter_form(
    session: Session, campaign: Campaign, args: Mapping[str, str]
) -> ResponseFilterForm:
    """The filters, with the choices this campaign offers, read from ``args``."""
    form = ResponseFilterForm(formdata=args)  # type: ignore[arg-type]
    form.survey.choices = [_any(), *(SelectChoice(str(s.id), s.slug) for s in campaign.surveys)]
    chosen = next((s for s in campaign.surveys if str(s.id) == form.survey.data), None)
    _wave_choices(form, chosen)
    form.channel.choices = [
        _any(),
        *(SelectChoice(value, str(label)) for value, label in CHANNEL_LABELS.items()),
    ]
    languages = dict.fromkeys(
        [*campaign.languages, *distinct_values(session, campaign, Response.language)]
    )
    form.language.choices = [
        _any(),
        *(SelectChoice(code, language_name(code)) for code in languages),
    ]
    sources = distinct_values(session, campaign, Response.source_tag)
    form.source.choices = [_any(), *(SelectChoice(s, s) for s in sources)]
    areas = dict.fromkeys([*campaign.areas, *distinct_values(session, campaign, Response.area)])
    form.area.choices = [_any(), *(SelectChoice(a, a) for a in areas)]
    form.interviewer.choices = [
        _any(),
        *(SelectChoice(str(u.id), u.name or u.email) for u in interviewers(session, campaign)),
    ]
    places = distinct_values(session, campaign, Response.place)
    form.place.choices = [_any(), *(SelectChoice(p, p) for p in places)]
    return form


def _wave_choices(form: ResponseFilterForm, survey: Survey | None) -> None:
    """The chosen survey's waves, when it has several; a wave of another survey (left
    in the address after changing the survey) is dropped, not an error."""
    waves = waves_of(survey) if survey is not None else []
    form.wave_periods = {str(w.number): w for w in waves} if len(waves) > 1 else {}
    form.wave.choices = [
        _any(),
        *(SelectChoice(key, wave_name(w)) for key, w in form.wave_periods.items()),
    ]
    if form.wave.data not in form.wave_periods:
        form.wave.data = ""


def filters_of(form: ResponseFilterForm) -> ResponseFilters:
    """The filters of the fields that are valid (a bad one is ignored and shown)."""

    def valid(field: Field) -> bool:
        return not field.errors

    return ResponseFilters(
        survey_id=int(form.survey.data) if valid(form.survey) and form.survey.data else None,
        channel=form.channel.data if valid(form.channel) else None,
        language=form.language.data if valid(form.language) else None,
        source=form.source.data if valid(form.source) else None,
        area=form.area.data if valid(form.area) else None,
        entered_by_id=(
            int(form.interviewer.data)
            if valid(form.interviewer) and form.interviewer.data
            else None
        ),
        place=form.place.data if valid(form.place) else None,
        submitted_from=form.submitted_from.data if valid(form.submitted_from) else None,
        submitted_to=form.submitted_to.data if valid(form.submitted_to) else None,
        status=form.status.data if valid(form.status) and form.status.data else "included",
        wave=form.wave_periods.get(form.wave.data or ""),
    )
