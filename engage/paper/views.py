"""The printable survey: every question of the published version, boxes to tick."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_login import current_user

from engage.i18n import use_page_language
from engage.models import Survey
from engage.permissions import Permission, requires
from engage.resident.condition_hints import printed_conditions
from engage.resident.page_model import build_question_views, localized, localized_optional
from engage.responses.services import definition_of
from engage.web.guards import get_survey_or_404
from surveys import DefinitionError, SurveyDefinition
from surveys.i18n import text_direction

bp = Blueprint("paper", __name__)


def printable_draft(survey: Survey) -> SurveyDefinition | None:
    """An unpublished survey prints from its draft, for review, if the draft is whole."""
    try:
        return SurveyDefinition.from_dict(survey.draft_definition)
    except DefinitionError:
        return None


@bp.get("/surveys/<int:survey_id>/paper/<lang>")
@requires(Permission.ENTER_RESPONSES)
def paper_survey(survey_id: int, lang: str) -> ResponseReturnValue:
    survey = get_survey_or_404(
        survey_id, for_user=current_user, permission=Permission.ENTER_RESPONSES
    )
    version = survey.current_version
    definition = definition_of(version) if version is not None else printable_draft(survey)
    if definition is None or lang not in definition.languages:
        abort(404)
    use_page_language(lang)
    pages = [
        (
            localized_optional(page.title, lang, definition),
            build_question_views(definition, page.questions, lang, {}),
        )
        for page in definition.pages
    ]
    return render_template(
        "paper/survey.html",
        survey=survey,
        version=version,
        lang=lang,
        direction=text_direction(lang),
        ui_lang=str(get_locale()),
        title=localized(definition.title, lang, definition),
        description=localized_optional(definition.description, lang, definition),
        pages=pages,
        conditions=printed_conditions(definition, lang),
    )
