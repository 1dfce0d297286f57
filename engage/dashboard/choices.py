"""The dashboard form's choices, from the campaign's surveys and their questions."""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import get_locale
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from engage.dashboard.compare import comparable
from engage.dashboard.forms import DashboardForm
from engage.dashboard.labels import dimension_label
from engage.dashboard.waves import set_wave_choices
from engage.dashboard.weighting import weighting_dimensions
from engage.models import Campaign, Survey
from engage.responses.services import definition_of
from surveys.i18n import text_for
from surveys.results import dimension_questions

# The survey choice for the whole campaign: participation and who has been heard, over
# every survey; the results of closed questions stay per survey.
ALL_SURVEYS = "all"


def _published(campaign: Campaign) -> list[Survey]:
    return [s for s in campaign.surveys if s.current_version is not None]


def dashboard_form(campaign: Campaign, args: Mapping[str, str]) -> DashboardForm:
    form = DashboardForm(formdata=args)  # type: ignore[arg-type]
    surveys = _published(campaign)
    form.survey.choices = [SelectChoice(str(s.id), s.slug) for s in surveys]
    if surveys:
        form.survey.choices.append(SelectChoice(ALL_SURVEYS, _("All surveys of the campaign")))
    if not form.survey.data and surveys:
        form.survey.data = str(surveys[0].id)
    survey = next((s for s in surveys if str(s.id) == form.survey.data), None)
    set_wave_choices(form, survey)
    lang = str(get_locale())
    form.question.choices = [SelectChoice("", "—")]
    form.dimension.choices = [SelectChoice("", "—")]
    if survey is not None:
        definition = definition_of(survey.current_version)
        form.question.choices += [
            SelectChoice(q.code, text_for(q.label, lang)[0] or q.code)
            for q in definition.questions()
            if comparable(q)
        ]
        dimensions = dimension_questions(definition)
        form.dimension.choices += [
            SelectChoice(d, dimension_label(d, q, lang)) for d, q in dimensions.items()
        ]
        if "language" not in dimensions:
            form.dimension.choices.append(
                SelectChoice("language", dimension_label("language", None, lang))
            )
    form.dimension2.choices = list(form.dimension.choices)
    _weighting_choices(form, campaign, survey, lang)
    return form


def _weighting_choices(
    form: DashboardForm, campaign: Campaign, survey: Survey | None, lang: str
) -> None:
    asked = dimension_questions(definition_of(survey.current_version)) if survey else {}
    dimensions = weighting_dimensions(campaign, survey)
    form.weight.choices = [
        SelectChoice(d, dimension_label(d, asked.get(d), lang)) for d in dimensions
    ]
    if not form.weighted.data:
        form.weight.data = dimensions


def chosen_survey(campaign: Campaign, form: DashboardForm) -> Survey | None:
    return next((s for s in _published(campaign) if str(s.id) == form.survey.data), None)
