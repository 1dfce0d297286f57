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

from flask import Blueprint, Response, jsonify, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from engage.builder.publishing import get_survey_by_slug
from engage.extensions import csrf, db
from engage.invitations.services import InviteError, get_invite_by_token
from engage.models import Channel, Survey, SurveyInvite, SurveyStatus
from engage.permissions import public
from engage.responses.services import (
    IdempotencyKeyReused,
    IntakeSurvey,
    InvalidAnswers,
    KnownSurvey,
    Submission,
    SurveyChanged,
    clean_source_tag,
    definition_of,
    forget_survey,
    get_survey_for_intake,
    intake_without_transaction,
    known_survey,
    submit_response,
)
from engage.web.messages import answer_error_message, invitation_problem_message
from engage.web.rate_limits import survey_answers
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
        return _problem(404, _("No published survey has that address."), code="survey_not_found")
    version = survey.current_version
    body = definition_as_json(definition_of(version), version.number)
    body["status"] = survey.status if survey.campaign.is_open else SurveyStatus.CLOSED
    return jsonify(body)


class ApiProblem(Exception):
    """A request the API refuses: answered as ``{"error": {...}}`` with ``status``."""

    def __init__(self, status: int, title: str, **extra: Any) -> None:
        super().__init__(title)
        self.status, self.title, self.extra = status, title, extra


@bp.errorhandler(ApiProblem)
def api_problem(problem: ApiProblem) -> ResponseReturnValue:
    return _problem(problem.status, problem.title, **problem.extra)


def _invite_problem(code: str) -> ApiProblem:
    return ApiProblem(403, invitation_problem_message(code), code=f"invite_{code}")


def _open_survey(slug: str) -> IntakeSurvey:
    """The survey residents can answer at ``slug``, with its current version (one query)."""
    found = get_survey_for_intake(db.session, slug)
    if found is None or found.survey.status == SurveyStatus.DRAFT:
        raise ApiProblem(404, _("No published survey has that address."), code="survey_not_found")
    if not found.survey.is_open_for_answers:
        raise ApiProblem(409, _("This survey is closed"), code="survey_closed")
    return found


def _payload() -> dict[str, Any]:
    try:
        payload = request.get_json(silent=True)
    except RecursionError:  # JSON nested deeper than any answer needs
        payload = None
    if not isinstance(payload, dict) or not isinstance(payload.get("answers"), dict):
        raise ApiProblem(
            400,
            _('Send a JSON object with an "answers" object, like {"answers": {}}.'),
            code="invalid_json",
        )
    return payload


def _language(payload: dict[str, Any], definition: SurveyDefinition) -> str:
    language = payload.get("language") or definition.source_language
    if language not in definition.languages:
        raise ApiProblem(
            422,
            _("This survey is not offered in that language."),
            code="unknown_language",
            field="language",
        )
    return language


def _channel(payload: dict[str, Any]) -> str:
    channel = payload.get("channel", Channel.WEB)
    if channel not in tuple(Channel):
        raise ApiProblem(422, _("Unknown channel."), code="unknown_channel", field="channel")
    return channel


def _invite_token(payload: dict[str, Any]) -> Any:
    return payload.get("invite") or request.headers.get("Invite-Token")


def _invite(payload: dict[str, Any], survey: Survey) -> SurveyInvite | None:
    token = _invite_token(payload)
    if not token:
        return None
    invite = get_invite_by_token(db.session, survey, token if isinstance(token, str) else "")
    if invite is None:
        raise _invite_problem("invalid")
    return invite


def _transaction_only_for_invitations(payload: dict[str, Any]) -> None:
    """An invitation is used up with its response, in one transaction; any other
    submission is one statement that commits by itself."""
    if not _invite_token(payload):
        intake_without_transaction(db.session)


def _answers_problem(error: InvalidAnswers) -> ApiProblem:
    errors = [{**e.to_dict(), "message": answer_error_message(e)} for e in error.errors]
    return ApiProblem(
        422, _("Some answers could not be accepted."), code="invalid_answers", errors=errors
    )


def _submit(target: IntakeSurvey | KnownSurvey, payload: dict[str, Any]) -> Submission:
    """Store the payload's answers to ``target``; the API's problems as :class:`ApiProblem`."""
    known = target if isinstance(target, KnownSurvey) else None
    survey = target.survey if isinstance(target, IntakeSurvey) else None
    try:
        return submit_response(
            db.session,
            version=target.version,
            answers=payload["answers"],
            language=_language(payload, target.definition),
            channel=_channel(payload),
            idempotency_key=(request.headers.get("Idempotency-Key") or "").strip()[:80] or None,
            source_tag=clean_source_tag(payload.get("source")),
            definition=target.definition,
            invite=_invite(payload, survey) if survey else None,
            invite_required=bool(survey and survey.invite_only),
            has_themes=target.has_themes if isinstance(target, IntakeSurvey) else None,
            known=known,
        )
    except InviteError as error:
        raise _invite_problem(error.code) from None
    except IdempotencyKeyReused:
        raise ApiProblem(
            409,
            _("This Idempotency-Key was already used to send other answers."),
            code="idempotency_key_reused",
        ) from None
    except InvalidAnswers as error:
        raise _answers_problem(error) from None


def _submit_to_known_survey(slug: str, payload: dict[str, Any]) -> Submission | None:
    """The fast path: a survey this process found open before, checked by the INSERT
    itself. ``None`` when it must be looked up (and anything but success is decided
    by that full check, so a changed survey never answers from what was remembered)."""
    known = None if _invite_token(payload) else known_survey(db.session, slug)
    if known is None:
        return None
    try:
        return _submit(known, payload)
    except SurveyChanged:
        forget_survey(slug)
        return None
    except ApiProblem:  # the full lookup answers it, from the survey as it is now
        return None


@bp.post("/surveys/<slug>/responses")
@survey_answers()
@public
def post_response(slug: str) -> ResponseReturnValue:
    payload = _payload()
    _transaction_only_for_invitations(payload)
    submission = _submit_to_known_survey(slug, payload) or _submit(_open_survey(slug), payload)
    status = 201 if submission.created else 200
    return jsonify({"id": submission.response_id, "created": submission.created}), status
