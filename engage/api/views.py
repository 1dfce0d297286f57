"""The JSON API: published survey definitions, and response intake.

``POST /api/v1/surveys/<slug>/responses`` validates exactly as the web form does; an
``Idempotency-Key`` header makes retries safe. For an invite-only (panel) survey the
invitation token goes in the body's ``"invite"`` field or an ``Invite-Token`` header;
without a valid, unused one the answer is 403 with ``error.code`` ``invite_required``,
``invite_invalid`` or ``invite_used``. A retry with the same ``Idempotency-Key``
returns the stored response, not a 403.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from engage.builder.publishing import get_survey_by_slug
from engage.extensions import csrf, db, limiter
from engage.invitations.services import InviteError, get_invite_by_token
from engage.models import Channel, SurveyStatus
from engage.permissions import public
from engage.responses.services import InvalidAnswers, definition_of, submit_response
from engage.web.messages import answer_error_message, invitation_problem_message
from surveys import SurveyDefinition, offered_languages

bp = Blueprint("api", __name__)
csrf.exempt(bp)  # JSON clients authenticate nothing and send no cookies


def _problem(status: int, title: str, **extra: Any) -> tuple[Response, int]:
    return jsonify({"error": {"status": status, "title": title, **extra}}), status


def _published(slug: str):  # type: ignore[no-untyped-def]
    survey = get_survey_by_slug(db.session, slug)
    if survey is None or not survey.is_public:
        return None
    return survey


def definition_as_json(definition: SurveyDefinition, number: int) -> dict[str, Any]:
    """The published definition in the API's shape (see DESIGN.md).

    ``languages`` lists only the languages offered to residents: the source language and
    the complete translations (texts of a partial translation stay in the text objects).
    """
    data = definition.to_dict()
    data["languages"] = list(offered_languages(definition))
    for page in data["pages"]:
        for question in page["questions"]:
            question["text"] = question.pop("label")
            question.setdefault("options", None)
    data["version"] = number
    return data


@bp.get("/surveys/<slug>")
@public
def get_survey(slug: str) -> ResponseReturnValue:
    survey = _published(slug)
    if survey is None:
        return _problem(404, _("No published survey has that address."))
    version = survey.current_version
    body = definition_as_json(definition_of(version), version.number)
    body["status"] = survey.status if survey.campaign.is_open else SurveyStatus.CLOSED
    return jsonify(body)


def _invite_problem(code: str) -> tuple[Response, int]:
    return _problem(403, invitation_problem_message(code), code=f"invite_{code}")


def _intake_limit() -> str:
    return current_app.config["RATELIMIT_SURVEY"]


@bp.post("/surveys/<slug>/responses")
@limiter.limit(_intake_limit)
@public
def post_response(slug: str) -> ResponseReturnValue:
    survey = _published(slug)
    if survey is None:
        return _problem(404, _("No published survey has that address."))
    if not survey.is_open_for_answers:
        return _problem(409, _("This survey is closed"))
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict) or not isinstance(payload.get("answers"), dict):
        return _problem(
            400, _('Send a JSON object with an "answers" object, like {"answers": {}}.')
        )
    version = survey.current_version
    definition = definition_of(version)
    language = payload.get("language") or definition.source_language
    if language not in definition.languages:
        return _problem(422, _("This survey is not offered in that language."), field="language")
    channel = payload.get("channel", Channel.WEB)
    if channel not in tuple(Channel):
        return _problem(422, _("Unknown channel."), field="channel")
    key = (request.headers.get("Idempotency-Key") or "").strip()[:80] or None
    token = payload.get("invite") or request.headers.get("Invite-Token")
    invite = None
    if token:
        invite = get_invite_by_token(db.session, survey, token if isinstance(token, str) else "")
        if invite is None:
            return _invite_problem("invalid")
    try:
        submission = submit_response(
            db.session,
            version=version,
            answers=payload["answers"],
            language=language,
            channel=channel,
            idempotency_key=key,
            source_tag=(str(payload["source"])[:80] if payload.get("source") else None),
            definition=definition,
            invite=invite,
            invite_required=survey.invite_only,
        )
    except InviteError as error:
        return _invite_problem(error.code)
    except InvalidAnswers as error:
        return _problem(
            422,
            _("Some answers could not be accepted."),
            errors=[{**e.to_dict(), "message": answer_error_message(e)} for e in error.errors],
        )
    status = 201 if submission.created else 200
    return jsonify({"id": submission.response.id, "created": submission.created}), status
