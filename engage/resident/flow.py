"""The resident survey's moving parts that views share: finding the survey, its
language, the draft cookie, and the page to show next."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, current_app, g, request
from werkzeug.wrappers import Response as WerkzeugResponse

from engage.builder.publishing import get_survey_by_slug
from engage.extensions import db
from engage.i18n import describe_language, use_page_language
from engage.models import ResponseDraft, Survey, SurveyVersion
from engage.resident import drafts
from engage.responses.services import definition_of
from surveys import SurveyDefinition, next_page_index, offered_languages, visible_pages

LANGUAGE_COOKIE = "lang"


@dataclass
class SurveyContext:
    survey: Survey
    version: SurveyVersion
    definition: SurveyDefinition
    language: str

    @property
    def is_open(self) -> bool:
        return self.survey.is_open_for_answers


def load_survey(slug: str) -> SurveyContext:
    """The published survey ``slug`` in the resident's language, or 404."""
    survey = get_survey_by_slug(db.session, slug)
    if survey is None or not survey.is_public:
        abort(404)
    version = survey.current_version
    definition = definition_of(version)
    language = negotiate_language(definition)
    use_page_language(language)
    g.page_language = describe_language(language)
    g.switch_languages = [describe_language(code) for code in offered_languages(definition)]
    return SurveyContext(survey, version, definition, language)


def negotiate_language(definition: SurveyDefinition) -> str:
    """``?lang=``, then the remembered choice, then the browser's, then the survey's own.

    Only the source language and completely translated languages are offered, so a
    resident never silently reads a mix of languages.
    """
    offered = list(offered_languages(definition))
    for candidate in (request.args.get("lang"), request.cookies.get(LANGUAGE_COOKIE)):
        if candidate in offered:
            return candidate
    return request.accept_languages.best_match(offered) or definition.source_language


def draft_cookie_name(survey: Survey) -> str:
    return f"draft_{survey.id}"


def current_draft(ctx: SurveyContext) -> ResponseDraft | None:
    return drafts.get_draft_by_token(
        db.session, ctx.survey, request.cookies.get(draft_cookie_name(ctx.survey))
    )


def set_draft_cookie(response: WerkzeugResponse, ctx: SurveyContext, token: str) -> None:
    response.set_cookie(
        draft_cookie_name(ctx.survey),
        token,
        # A phone may be shared: its saved answers are offered for a day; after that,
        # only the resume code (valid for ``DRAFT_LIFETIME``) brings them back.
        max_age=int(drafts.DRAFT_COOKIE_LIFETIME.total_seconds()),
        path=f"/s/{ctx.survey.slug}",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
    )


def page_index_for_key(definition: SurveyDefinition, key: str) -> int:
    for index, page in enumerate(definition.pages):
        if page.key == key:
            return index
    abort(404)


def resume_page_key(ctx: SurveyContext, draft: ResponseDraft) -> str | None:
    """The page to continue on: the one saved, if still shown, else the first shown."""
    shown = visible_pages(ctx.definition, draft.answers)
    keys = [ctx.definition.pages[i].key for i in shown]
    if draft.page_key in keys:
        return draft.page_key
    first = next_page_index(ctx.definition, None, draft.answers)
    return ctx.definition.pages[first].key if first is not None else None
