"""What the runs pages show (the history, the form to start a run, one run read-only),
worked out here so that the views only render it."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy.orm import Session
from wtforms.fields.choices import SelectChoice

from engage.models import AnalysisRun, Campaign, User
from engage.responses.forms import CHANNEL_LABELS
from engage.templating import language_name
from engage.themes import services as analysis
from engage.themes.engine import EngineSettings, engine_summary
from engage.themes.forms import RunForm
from engage.themes.runs import (
    MAX_ID,
    FilterError,
    RunFilters,
    filter_choices,
    question_names,
    run_history,
    survey_names,
)
from engage.web import messages


def prepare_form(session: Session, campaign: Campaign, form: RunForm, lang: str) -> RunForm:
    """Offer the campaign's surveys, questions, waves, languages and channels."""
    offered = filter_choices(session, campaign, lang)
    anything = SelectChoice("", _("Any"))
    form.survey.choices = [anything, *(SelectChoice(v, label) for v, label in offered.surveys)]
    form.question.choices = [anything, *(SelectChoice(v, lb) for v, lb in offered.questions)]
    form.wave.choices = [
        SelectChoice("", _("All waves")),
        *(SelectChoice(v, _("Wave %(number)d", number=int(v))) for v, _n in offered.waves),
    ]
    form.language.choices = [
        anything,
        *(SelectChoice(code, language_name(code)) for code in offered.languages),
    ]
    form.channel.choices = [
        anything,
        *(SelectChoice(c, str(CHANNEL_LABELS[c])) for c in offered.channels),
    ]
    return form


def _number(value: str | None, code: str) -> int | None:
    if not value:
        return None
    if not value.isdigit() or not 0 < int(value) <= MAX_ID:
        raise FilterError(code)
    return int(value)


def filters_of(form: RunForm) -> RunFilters:
    """The filters a valid form names (an unknown survey or wave: :class:`FilterError`)."""
    return RunFilters(
        survey_id=_number(form.survey.data, "unknown_survey"),
        question=form.question.data or None,
        wave=_number(form.wave.data, "unknown_wave"),
        language=form.language.data or None,
        channel=form.channel.data or None,
        since=form.since.data,
        until=form.until.data,
    )


def start(
    session: Session, campaign: Campaign, form: RunForm, by: User, engine: EngineSettings
) -> AnalysisRun:
    """Start a run with the form's filters.

    Raises:
        analysis.AnalysisError: the filters name what the campaign does not have, or a
            run is already going.
    """
    try:
        filters = filters_of(form)
    except FilterError as error:
        raise analysis.AnalysisError(error.code) from None
    return analysis.start_run(
        session, campaign=campaign, created_by=by, engine=engine, filters=filters
    )


def runs_context(
    session: Session, campaign: Campaign, form: RunForm, lang: str, error: str | None = None
) -> dict[str, Any]:
    """The history of runs and the form to start one."""
    history = run_history(session, campaign)
    return {
        "campaign": campaign,
        "form": prepare_form(session, campaign, form, lang),
        "history": history,
        "active": next((s.run for s in history if s.run.is_active), None),
        "error": error,
        "survey_names": survey_names(campaign),
        "question_names": question_names(session, campaign, lang),
        "channel_labels": CHANNEL_LABELS,
        "stage_label": stage_label,
        "run_error": lambda run: messages.run_error_message(
            run.error, {"path": run.parameters.get("model") or ""}
        ),
    }


def run_context(session: Session, campaign: Campaign, run: AnalysisRun, lang: str) -> dict:
    """One run, read-only: its settings, progress, themes and sub-themes."""
    top, children = analysis.theme_tree(run, lang) if run.status == "done" else ([], {})
    summary = next(s for s in run_history(session, campaign) if s.run.id == run.id)
    return {
        "campaign": campaign,
        "run": run,
        "summary": summary,
        "top_themes": top,
        "children": children,
        "counts": analysis.count_items_by_theme(session, run),
        "engine": engine_summary(run.meta or {}),
        "survey_names": survey_names(campaign),
        "question_names": question_names(session, campaign, lang),
        "channel_labels": CHANNEL_LABELS,
        "stage_label": stage_label,
        "error_message": messages.run_error_message(
            run.error, {"path": run.parameters.get("model") or ""}
        )
        if run.error
        else None,
    }


def stage_label(stage: str | None) -> str:
    """What a running analysis is doing, in the reader's language."""
    stage = stage or ""
    if stage.startswith("themes:"):
        language = stage.split(":")[1]
        return _("Finding themes in %(language)s", language=language_name(language))
    return {
        "preprocess": _("Preparing the answers"),
        "link": _("Linking themes heard in several languages"),
        "done": _("Storing the themes"),
    }.get(stage, _("Waiting to start"))


# The field each filter error is about (the error is shown beside it).
FIELD_OF = {
    "unknown_survey": "survey",
    "unknown_question": "question",
    "unknown_wave": "wave",
    "wave_needs_survey": "wave",
    "unknown_language": "language",
    "unknown_channel": "channel",
    "dates_reversed": "until",
}


def refusal(form: RunForm, code: str) -> str | None:
    """Why a run was refused: beside the field it is about (returns None), or the
    message to show at the top of the page (a run already going, …)."""
    message = messages.run_error_message(code)
    name = FIELD_OF.get(code)
    if name is None:
        return message
    form[name].errors = [*form[name].errors, message]
    return None
