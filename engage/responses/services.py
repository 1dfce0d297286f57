"""Storing responses, once each, and the feedback items the text analysis works on.

Every channel (the web form, the JSON API, interviewers, imports) stores through
:func:`submit_response`, so they share one validation and one idempotency rule.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased, contains_eager, load_only, scoped_session

from analysis import mask_pii
from engage.invitations.services import InviteError, consume_invite
from engage.models import (
    Answer,
    Campaign,
    Channel,
    FeedbackItem,
    Response,
    Survey,
    SurveyInvite,
    SurveyVersion,
    User,
)
from engage.orm import utcnow
from engage.themes.services import has_finished_run, request_placement
from surveys import AnswerError, SurveyDefinition, is_storable, validate_answers
from surveys.schema import OPEN_TEXT_ROLES


class InvalidAnswers(Exception):
    """The answers do not satisfy the survey; ``errors`` says which and why."""

    def __init__(self, errors: tuple[AnswerError, ...]) -> None:
        super().__init__(", ".join(f"{e.question}: {e.code}" for e in errors))
        self.errors = errors


class IdempotencyKeyReused(Exception):
    """The key came before with another survey or other answers; nothing is revealed."""


@dataclass(frozen=True)
class Submission:
    """A stored response: ``created`` is False when the idempotency key had been seen
    (nothing was stored, ``response_id`` is the first response's)."""

    response_id: int
    created: bool
    session: Session = field(repr=False, compare=False)

    @property
    def response(self) -> Response:
        """The stored response (loaded when first asked for)."""
        response = self.session.get(Response, self.response_id)
        assert response is not None
        return response


SOURCE_TAG_MAX_LENGTH = 80


def clean_source_tag(raw: object) -> str | None:
    """A link's source tag as it is kept: text, without what no database stores (NUL,
    lone surrogates), at most 80 characters. A tag is never a reason to refuse a resident."""
    if raw is None or raw == "":
        return None
    text = "".join(ch for ch in str(raw) if ch != "\x00" and not 0xD800 <= ord(ch) <= 0xDFFF)
    return text.strip()[:SOURCE_TAG_MAX_LENGTH] or None


# Parsed definitions by version id, with the document they were parsed from (a dict, or
# the stored JSON text): reused while the stored document is the same.
_PARSED: dict[tuple[int, type], tuple[Any, SurveyDefinition]] = {}
_PARSED_KEPT = 256


def _parsed(
    version_id: int | None, document: Any, parse: Callable[[Any], SurveyDefinition]
) -> SurveyDefinition:
    """``parse(document)``, kept per version id while the document stays equal."""
    if version_id is None:
        return parse(document)
    key = (version_id, type(document))
    kept = _PARSED.get(key)
    if kept is not None and kept[0] == document:
        return kept[1]
    # Kept (and parsed) as a copy of its own: a later in-place change of the caller's
    # dict cannot reach it.
    document = copy.deepcopy(document)
    parsed = parse(document)
    if len(_PARSED) >= _PARSED_KEPT:
        _PARSED.pop(next(iter(_PARSED)), None)
    _PARSED[key] = (document, parsed)
    return parsed


def definition_of(version: SurveyVersion) -> SurveyDefinition:
    """The version's definition, parsed and checked once per process while it is unchanged.

    Parsing checks the whole document (about 2 ms for the demo survey), and every
    submission and page needs it. A published version changes only when staff publish an
    edit in place, so the parse is kept per version id and reused for as long as the
    stored document equals the one parsed (comparing two dicts costs microseconds).
    """
    return _parsed(version.id, version.definition, SurveyDefinition.from_dict)


@dataclass(frozen=True)
class IntakeSurvey:
    """A survey as the JSON intake needs it: with its campaign and current version."""

    survey: Survey
    version: SurveyVersion
    definition: SurveyDefinition
    has_themes: bool  # the campaign has a finished analysis run to place feedback in


@functools.cache
def _intake_query(digest: bool) -> sa.Select[Any]:
    """Built once: building a statement costs more than running it (SQLAlchemy caches
    the compiled SQL, not the construction). With ``digest`` (PostgreSQL) the query
    returns the MD5 of the definition instead of the definition itself: the document
    (tens of kilobytes) crosses the connection only when this process has not seen it."""
    document = sa.cast(SurveyVersion.definition, sa.Text)
    other = aliased(SurveyVersion)
    newest = (
        sa.select(sa.func.max(other.number))
        .where(other.survey_id == Survey.id)
        .correlate(Survey)
        .scalar_subquery()
    )
    return (
        sa.select(
            Survey,
            SurveyVersion,
            sa.func.md5(document) if digest else document,
            has_finished_run(Survey.campaign_id),
        )
        .join(Survey.campaign)
        .join(
            SurveyVersion,
            sa.and_(SurveyVersion.survey_id == Survey.id, SurveyVersion.number == newest),
        )
        .options(
            load_only(Survey.campaign_id, Survey.slug, Survey.status, Survey.invite_only),
            contains_eager(Survey.campaign).load_only(Campaign.status),
            load_only(SurveyVersion.survey_id, SurveyVersion.number),
        )
        .where(Survey.slug == sa.bindparam("slug"))
    )


def intake_without_transaction(session: Session) -> None:
    """Run this request's statements without BEGIN and COMMIT (PostgreSQL autocommit).

    For the JSON intake, whose one write is one statement that is atomic on its own (the
    response with its answers and feedback items, or nothing: see :func:`_store`); its
    reads need no snapshot. It saves two round trips to the database per submission.
    Left as it is on SQLite, when the session is bound to a connection rather than an
    engine, and when the request already began a transaction (a signed-in user was
    loaded). Not for writes that must go together, such as a
    submission that uses up an invitation.
    """
    bind = session.get_bind()
    if isinstance(session, scoped_session):
        session = session()
    if (
        session.in_transaction()
        or not isinstance(bind, sa.Engine)  # tests join an outer transaction
        or bind.dialect.name != "postgresql"
    ):
        return
    session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})


def get_survey_for_intake(session: Session, slug: str) -> IntakeSurvey | None:
    """The survey at ``slug``, its campaign's state and its newest version, in one query.

    ``None`` when no survey has that address or it has never been published. Only the
    columns the intake reads are loaded; the definition comes as its stored JSON text,
    decoded and parsed only when this process has not parsed that text before.
    """
    if not is_storable(slug):  # no survey's address has a NUL in it
        return None
    digest = session.get_bind().dialect.name == "postgresql"
    found = session.execute(_intake_query(digest), {"slug": slug}).first()
    if found is None:
        return None
    survey, version, text_or_md5, has_themes = found
    if digest:
        definition = _by_digest(session, version.id, text_or_md5)
    else:
        definition = _parsed(version.id, text_or_md5, _parse_text)
    return IntakeSurvey(survey, version, definition, bool(has_themes))


def _parse_text(text: str) -> SurveyDefinition:
    return SurveyDefinition.from_dict(json.loads(text))


_BY_DIGEST: dict[tuple[int, str], SurveyDefinition] = {}


def _by_digest(session: Session, version_id: int, md5: str) -> SurveyDefinition:
    """The definition whose stored text has this MD5, read and parsed once per process."""
    key = (version_id, md5)
    kept = _BY_DIGEST.get(key)
    if kept is None:
        text = session.scalar(
            sa.select(sa.cast(SurveyVersion.definition, sa.Text)).where(
                SurveyVersion.id == version_id
            )
        )
        kept = _parsed(version_id, text, _parse_text)
        if len(_BY_DIGEST) >= _PARSED_KEPT:
            _BY_DIGEST.pop(next(iter(_BY_DIGEST)), None)
        _BY_DIGEST[key] = kept
    return kept


def get_response_by_key(session: Session, key: str) -> Response | None:
    return session.scalar(sa.select(Response).where(Response.idempotency_key == key))


def submission_fingerprint(
    version: SurveyVersion, answers: dict[str, Any], language: str, channel: str
) -> str:
    """A hash of what a submission says, to tell a retry from a reused key."""
    sent = {
        "survey": version.survey_id,
        "language": language,
        "channel": str(channel),
        "answers": answers,
    }
    canonical = json.dumps(sent, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


def _retry_of(
    session: Session, key: str, version: SurveyVersion, fingerprint: str
) -> Submission | None:
    """The stored response when ``key`` was used before for the same submission;
    :class:`IdempotencyKeyReused` when it was used for another one."""
    existing = get_response_by_key(session, key)
    if existing is None:
        return None
    same_survey = existing.version.survey_id == version.survey_id
    if not same_survey or existing.idempotency_fingerprint not in (None, fingerprint):
        raise IdempotencyKeyReused(key)
    return Submission(existing.id, created=False, session=session)


def demographic_snapshot(definition: SurveyDefinition, answers: dict[str, Any]) -> dict[str, Any]:
    """The respondent's demographic answers by dimension, copied onto feedback items."""
    return {
        q.dimension: answers[q.code]
        for q in definition.questions()
        if q.dimension and q.code in answers
    }


def _area(definition: SurveyDefinition, answers: dict[str, Any]) -> str | None:
    value = demographic_snapshot(definition, answers).get("area")
    return value if isinstance(value, str) else None


def submit_response(
    session: Session,
    *,
    version: SurveyVersion,
    answers: dict[str, Any],
    language: str,
    channel: str = Channel.WEB,
    idempotency_key: str | None = None,
    source_tag: str | None = None,
    started_at: datetime | None = None,
    submitted_at: datetime | None = None,
    entered_by: User | None = None,
    definition: SurveyDefinition | None = None,
    invite: SurveyInvite | None = None,
    invite_required: bool = False,
    has_themes: bool | None = None,
) -> Submission:
    """Validate and store one response with its answers and feedback items.

    A second call with the same ``idempotency_key`` stores nothing and returns the first
    response, also when two arrive at the same moment.

    With ``invite``, the invitation is consumed in the same transaction (raising
    :class:`InviteError` if it was already used for another response); with
    ``invite_required`` and no ``invite``, ``InviteError("required")`` is raised. A
    retry with a known ``idempotency_key`` returns its response before either check.
    ``has_themes`` says whether the campaign has themes to place the feedback in, when
    the caller has already asked (see :class:`IntakeSurvey`).
    """
    key = idempotency_key or None
    fingerprint = submission_fingerprint(version, answers, language, channel)
    panel = invite is not None or invite_required
    # On a panel survey a retry is answered before the invitation is looked at.
    if key and panel and (retry := _retry_of(session, key, version, fingerprint)):
        return retry
    if invite_required and invite is None:
        raise InviteError("required")
    definition = definition or definition_of(version)
    result = validate_answers(definition, answers)
    if not result.ok:
        # Refusing costs one query more; a retry of an accepted submission is not refused.
        if key and (retry := _retry_of(session, key, version, fingerprint)):
            return retry
        raise InvalidAnswers(result.errors)
    clean = result.answers
    session.flush()  # what the caller changed goes first (usually nothing: no statement)
    values = {
        "survey_version_id": version.id,
        "language": language,
        "channel": Channel(channel),
        "source_tag": source_tag,
        "area": _area(definition, clean),
        "idempotency_key": key,
        "idempotency_fingerprint": fingerprint if key else None,
        "started_at": started_at,
        "entered_by_id": entered_by.id if entered_by else None,
        "submitted_at": submitted_at or utcnow(),
    }
    campaign_id = version.survey.campaign_id
    rows = _Rows(
        response=values,
        answers=[{"question_code": code, "value": value} for code, value in clean.items()],
        feedback=_feedback_rows(definition, campaign_id, values, clean),
    )
    try:
        # Only an invitation needs a savepoint: a used one must not stay marked as used
        # by a submission that turns out to be a retry.
        with session.begin_nested() if invite is not None else contextlib.nullcontext():
            if invite is not None:
                consume_invite(session, invite.id)
            response_id = _store(session, rows)
    except (_KeyTaken, InviteError) as error:
        # Another request with the same key came first (and used the invitation): that
        # one is the response. The insert waited for its transaction to end.
        retry = _retry_of(session, key, version, fingerprint) if key else None
        if retry is not None:
            return retry
        if isinstance(error, InviteError):
            raise
        raise IdempotencyKeyReused(key) from None  # stored, yet not visible: never reveal it
    if rows.feedback:
        request_placement(session, campaign_id, has_themes=has_themes)
    return Submission(response_id, created=True, session=session)


class _KeyTaken(Exception):
    """The idempotency key is already stored (a retry, or a reuse)."""


@dataclass(frozen=True)
class _Rows:
    """What one submission stores: the response row, its answers and feedback items."""

    response: dict[str, Any]
    answers: list[dict[str, Any]]
    feedback: list[dict[str, Any]]


def _feedback_rows(
    definition: SurveyDefinition,
    campaign_id: int,
    response: dict[str, Any],
    answers: dict[str, Any],
) -> list[dict[str, Any]]:
    """One feedback item per non-blank open-text answer, with its text masked."""
    snapshot = demographic_snapshot(definition, answers)
    now = utcnow()
    rows = []
    for question in definition.questions():
        text = answers.get(question.code)
        if question.analysis_role not in OPEN_TEXT_ROLES or not isinstance(text, str):
            continue
        if not text.strip():
            continue
        rows.append(
            {
                "campaign_id": campaign_id,
                "question_code": question.code,
                "analysis_role": question.analysis_role,
                "channel": str(response["channel"]),
                "language": response["language"],
                "text": text,
                "redacted_text": mask_pii(text),
                "demographics": snapshot,
                "created_at": now,
            }
        )
    return rows


def _store(session: Session, rows: _Rows) -> int:
    """INSERT the submission; its response id, or :class:`_KeyTaken` if its key is stored.

    ``ON CONFLICT DO NOTHING`` lets the unique constraint tell a retry from a first
    submission, instead of a SELECT before every INSERT and a savepoint around it. On
    PostgreSQL the three INSERTs are one statement (one round trip to the database).
    """
    if session.get_bind().dialect.name == "postgresql":
        response_id = session.execute(_STORE_POSTGRESQL, _postgresql_parameters(rows)).scalar()
        if response_id is None:
            raise _KeyTaken
        return response_id
    response_id = session.execute(_INSERT_RESPONSE, rows.response).scalar()
    if response_id is None:
        raise _KeyTaken
    if rows.answers:
        session.execute(_INSERT_ANSWERS, [{**a, "response_id": response_id} for a in rows.answers])
    if rows.feedback:
        session.execute(
            _INSERT_FEEDBACK, [{**f, "response_id": response_id} for f in rows.feedback]
        )
    return response_id


def _columns_typed(table: sa.Table, names: tuple[str, ...]) -> list[sa.BindParameter[Any]]:
    return [sa.bindparam(name, type_=table.c[name].type) for name in names]


_RESPONSES = Response.__table__
_RESPONSE_COLUMNS = (
    "survey_version_id",
    "language",
    "channel",
    "source_tag",
    "area",
    "idempotency_key",
    "idempotency_fingerprint",
    "started_at",
    "entered_by_id",
    "submitted_at",
)
_INSERT_RESPONSE_SQL = (
    f"INSERT INTO responses ({', '.join(_RESPONSE_COLUMNS)}) "
    f"VALUES ({', '.join(':' + name for name in _RESPONSE_COLUMNS)}) "
    "ON CONFLICT (idempotency_key) DO NOTHING RETURNING id"
)
# Statements written as text are compiled once and cached by SQLAlchemy (a dialect
# ``insert().on_conflict_do_nothing()`` is compiled anew on every call). Textual SQL
# says that it writes (``engage_writes``), so that the request's unit of work commits.
_INSERT_RESPONSE = (
    sa.text(_INSERT_RESPONSE_SQL)
    .bindparams(*_columns_typed(_RESPONSES, _RESPONSE_COLUMNS))
    .columns(id=sa.Integer)
    .execution_options(engage_writes=True)
)
# RETURNING makes SQLAlchemy send the rows as one multi-row INSERT ("insertmanyvalues")
# instead of one message per row through the driver's executemany.
_INSERT_ANSWERS = sa.insert(Answer.__table__).returning(Answer.__table__.c.id)
_INSERT_FEEDBACK = sa.insert(FeedbackItem.__table__).returning(FeedbackItem.__table__.c.id)

# PostgreSQL: the response, its answers and its feedback items in one statement.
# Answers and items come as two JSON documents, so the SQL text never changes and the
# driver sends two strings (one ``json.dumps`` each, not one per row and column).
_STORE_POSTGRESQL = (
    sa.text(
        f"WITH r AS ({_INSERT_RESPONSE_SQL}), "
        "a AS (INSERT INTO answers (response_id, question_code, value) "
        "SELECT r.id, x.key, x.value FROM r, json_each(CAST(:answers AS json)) AS x"
        "), "
        "f AS (INSERT INTO feedback_items (campaign_id, response_id, question_code, "
        "analysis_role, channel, language, text, redacted_text, demographics, created_at) "
        "SELECT :campaign_id, r.id, x.code, x.role, :channel, :language, x.text, x.redacted, "
        "CAST(:demographics AS json), :created_at FROM r, "
        "json_to_recordset(CAST(:items AS json)) "
        "AS x(code text, role text, text text, redacted text)"
        ") "
        "SELECT id FROM r"
    )
    .bindparams(
        *_columns_typed(_RESPONSES, _RESPONSE_COLUMNS),
        sa.bindparam("answers", type_=sa.Text),
        sa.bindparam("items", type_=sa.Text),
        sa.bindparam("campaign_id", type_=sa.Integer),
        sa.bindparam("demographics", type_=sa.Text),
        sa.bindparam("created_at", type_=FeedbackItem.__table__.c.created_at.type),
    )
    .columns(id=sa.Integer)
    .execution_options(engage_writes=True)
)


def _postgresql_parameters(rows: _Rows) -> dict[str, Any]:
    feedback = rows.feedback
    first = feedback[0] if feedback else {}
    items = [
        {
            "code": f["question_code"],
            "role": f["analysis_role"],
            "text": f["text"],
            "redacted": f["redacted_text"],
        }
        for f in feedback
    ]
    return {
        **rows.response,
        # ``json_each`` stores each answer as its text in this document: the JSON
        # column's own encoding (``json.dumps``), as SQLAlchemy would send it.
        "answers": json.dumps({a["question_code"]: a["value"] for a in rows.answers}),
        "items": json.dumps(items),
        "campaign_id": first.get("campaign_id"),
        "demographics": json.dumps(first.get("demographics", {})),
        "created_at": first.get("created_at"),
    }
