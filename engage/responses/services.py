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
from sqlalchemy.dialects import postgresql
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


class SurveyChanged(Exception):
    """A survey this process remembered (:class:`KnownSurvey`) is no longer as it was:
    nothing was stored; look it up again."""


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


@dataclass(frozen=True)
class VersionRef:
    """A survey version as storing a response needs it, without the ORM object."""

    id: int
    survey_id: int
    campaign_id: int


@dataclass(frozen=True)
class KnownSurvey:
    """An open, public survey this process has looked up: later submissions to its
    address skip the lookup, and the INSERT itself checks, in the same statement, that
    every fact kept here still holds (see :data:`_STORE_GUARDED`); when one does not,
    nothing is stored and :class:`SurveyChanged` is raised. PostgreSQL only."""

    slug: str
    version: VersionRef
    row_version: str  # of the version's row, see :func:`_row_version`
    definition: SurveyDefinition


_KNOWN: dict[str, KnownSurvey] = {}


def known_survey(session: Session, slug: str) -> KnownSurvey | None:
    """The survey at ``slug`` as this process last found it open, if it did."""
    known = _KNOWN.get(slug)
    if known is None or session.get_bind().dialect.name != "postgresql":
        return None
    return known


def forget_survey(slug: str) -> None:
    _KNOWN.pop(slug, None)


def _remember(
    slug: str, survey: Survey, version: SurveyVersion, row_version: str, definition: Any
) -> None:
    if not survey.is_open_for_answers or survey.invite_only:
        forget_survey(slug)
        return
    if len(_KNOWN) >= _PARSED_KEPT:
        _KNOWN.pop(next(iter(_KNOWN)), None)
    ref = VersionRef(version.id, survey.id, survey.campaign_id)
    _KNOWN[slug] = KnownSurvey(slug, ref, row_version, definition)


def _row_version() -> sa.ColumnElement[str]:
    """PostgreSQL: which stored version of its ``survey_versions`` row a query read.

    Every UPDATE of a row writes a new tuple, at a new ``ctid``, stamped with the
    writing transaction's ``xmin``; the pair names one tuple (a later tuple may reuse
    a freed ``ctid``, but never with the same ``xmin``). Unlike an MD5 of the definition
    (tens of kilobytes read and hashed on every submission) it costs nothing to read. A
    row moved by ``VACUUM FULL`` gets a new one: the process then reads the document
    once more.
    """
    row = sa.literal_column
    return sa.func.concat(
        sa.cast(row(f"{SurveyVersion.__tablename__}.ctid"), sa.Text),
        "/",
        sa.cast(row(f"{SurveyVersion.__tablename__}.xmin"), sa.Text),
    )


@functools.cache
def _intake_query(row_version: bool) -> sa.Select[Any]:
    """Built once: building a statement costs more than running it (SQLAlchemy caches
    the compiled SQL, not the construction). With ``row_version`` (PostgreSQL) the
    query returns which stored version of the row it read instead of the definition
    itself: the document (tens of kilobytes) crosses the connection only when this
    process has not read that row version before."""
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
            _row_version() if row_version else document,
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
    postgresql = session.get_bind().dialect.name == "postgresql"
    found = session.execute(_intake_query(postgresql), {"slug": slug}).first()
    if found is None:
        return None
    survey, version, text_or_row_version, has_themes = found
    if postgresql:
        definition = _by_row_version(session, version.id, text_or_row_version)
        _remember(slug, survey, version, text_or_row_version, definition)
    else:
        definition = _parsed(version.id, text_or_row_version, _parse_text)
    return IntakeSurvey(survey, version, definition, bool(has_themes))


def _parse_text(text: str) -> SurveyDefinition:
    return SurveyDefinition.from_dict(json.loads(text))


_BY_ROW_VERSION: dict[tuple[int, str], SurveyDefinition] = {}


def _by_row_version(session: Session, version_id: int, row_version: str) -> SurveyDefinition:
    """The definition of that version of the row, read and parsed once per process.

    Read in a second query: should the row change in between, the key names an older
    row version that no query returns again, so nothing stale is ever found by it."""
    key = (version_id, row_version)
    kept = _BY_ROW_VERSION.get(key)
    if kept is None:
        text = session.scalar(
            sa.select(sa.cast(SurveyVersion.definition, sa.Text)).where(
                SurveyVersion.id == version_id
            )
        )
        kept = _parsed(version_id, text, _parse_text)
        if len(_BY_ROW_VERSION) >= _PARSED_KEPT:
            _BY_ROW_VERSION.pop(next(iter(_BY_ROW_VERSION)), None)
        _BY_ROW_VERSION[key] = kept
    return kept


def get_response_by_key(session: Session, key: str) -> Response | None:
    return session.scalar(sa.select(Response).where(Response.idempotency_key == key))


def submission_fingerprint(
    version: SurveyVersion | VersionRef, answers: dict[str, Any], language: str, channel: str
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
    session: Session, key: str, version: SurveyVersion | VersionRef, fingerprint: str
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


def _area(snapshot: dict[str, Any]) -> str | None:
    value = snapshot.get("area")
    return value if isinstance(value, str) else None


def submit_response(
    session: Session,
    *,
    version: SurveyVersion | VersionRef,
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
    known: KnownSurvey | None = None,
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
    if definition is None:
        assert isinstance(version, SurveyVersion)
        definition = definition_of(version)
    result = validate_answers(definition, answers)
    if not result.ok:
        # Refusing costs one query more; a retry of an accepted submission is not refused.
        if key and (retry := _retry_of(session, key, version, fingerprint)):
            return retry
        raise InvalidAnswers(result.errors)
    clean = result.answers
    snapshot = demographic_snapshot(definition, clean)
    session.flush()  # what the caller changed goes first (usually nothing: no statement)
    values = {
        "survey_version_id": version.id,
        "language": language,
        "channel": Channel(channel),
        "source_tag": source_tag,
        "area": _area(snapshot),
        "idempotency_key": key,
        "idempotency_fingerprint": fingerprint if key else None,
        "started_at": started_at,
        "entered_by_id": entered_by.id if entered_by else None,
        "submitted_at": submitted_at or utcnow(),
    }
    campaign_id = (
        version.campaign_id if isinstance(version, VersionRef) else version.survey.campaign_id
    )
    rows = _Rows(
        response=values,
        answers=[{"question_code": code, "value": value} for code, value in clean.items()],
        feedback=_feedback_rows(definition, campaign_id, values, clean, snapshot),
    )
    try:
        # Only an invitation needs a savepoint: a used one must not stay marked as used
        # by a submission that turns out to be a retry.
        with session.begin_nested() if invite is not None else contextlib.nullcontext():
            if invite is not None:
                consume_invite(session, invite.id)
            response_id, checked_themes = _store(session, rows, known)
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
        themes = has_themes if checked_themes is None else checked_themes
        request_placement(session, campaign_id, has_themes=themes)
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
    snapshot: dict[str, Any],
) -> list[dict[str, Any]]:
    """One feedback item per non-blank open-text answer, with its text masked;
    ``snapshot`` is the respondent's :func:`demographic_snapshot`."""
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


def _store(session: Session, rows: _Rows, known: KnownSurvey | None) -> tuple[int, bool | None]:
    """INSERT the submission: its response id, and whether the campaign has themes when
    the statement found out (with ``known``); :class:`_KeyTaken` if its key is stored.

    ``ON CONFLICT DO NOTHING`` lets the unique constraint tell a retry from a first
    submission, instead of a SELECT before every INSERT and a savepoint around it. On
    PostgreSQL the three INSERTs are one statement (one round trip to the database).
    """
    if known is not None:
        parameters = {**_postgresql_parameters(rows), **_guard_parameters(known)}
        still_open, has_themes, response_id = session.execute(_STORE_GUARDED, parameters).one()
        if not still_open:
            raise SurveyChanged(known.slug)
        if response_id is None:
            raise _KeyTaken
        return response_id, bool(has_themes)
    if session.get_bind().dialect.name == "postgresql":
        response_id = session.execute(_STORE_POSTGRESQL, _postgresql_parameters(rows)).scalar()
        if response_id is None:
            raise _KeyTaken
        return response_id, None
    response_id = session.execute(_INSERT_RESPONSE, rows.response).scalar()
    if response_id is None:
        raise _KeyTaken
    if rows.answers:
        session.execute(_INSERT_ANSWERS, [{**a, "response_id": response_id} for a in rows.answers])
    if rows.feedback:
        session.execute(
            _INSERT_FEEDBACK, [{**f, "response_id": response_id} for f in rows.feedback]
        )
    return response_id, None


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
_STORE_ANSWERS_AND_ITEMS_SQL = (
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
)
_STORE_PARAMETERS = (
    *_columns_typed(_RESPONSES, _RESPONSE_COLUMNS),
    sa.bindparam("answers", type_=sa.Text),
    sa.bindparam("items", type_=sa.Text),
    sa.bindparam("campaign_id", type_=sa.Integer),
    sa.bindparam("demographics", type_=sa.Text),
    sa.bindparam("created_at", type_=FeedbackItem.__table__.c.created_at.type),
)
_STORE_POSTGRESQL = (
    sa.text(f"WITH r AS ({_INSERT_RESPONSE_SQL}), {_STORE_ANSWERS_AND_ITEMS_SQL}SELECT id FROM r")
    .bindparams(*_STORE_PARAMETERS)
    .columns(id=sa.Integer)
    .execution_options(engage_writes=True)
)


def _guard_sql() -> str:
    """SQL of one row: whether the :class:`KnownSurvey` in the parameters still holds
    (the address, campaign, newest version and the same stored row; published, campaign
    open, not invite-only), and whether its campaign has themes (a finished run)."""
    here = sa.literal_column  # the statement's own parameters, written as ``:name``
    other = aliased(SurveyVersion)
    newest = (
        sa.select(sa.func.max(other.number))
        .where(other.survey_id == Survey.id)
        .correlate(Survey)
        .scalar_subquery()
    )
    still_open = sa.exists().where(
        Survey.id == here(":survey_id"),
        Survey.slug == here(":slug"),
        Survey.campaign_id == here(":campaign_id"),
        Survey.is_open_for_answers,
        ~Survey.invite_only,
        SurveyVersion.id == here(":survey_version_id"),
        SurveyVersion.survey_id == Survey.id,
        SurveyVersion.number == newest,
        _row_version() == here(":row_version"),
    )
    guard = sa.select(
        still_open.label("still_open"),
        has_finished_run(here(":campaign_id")).label("has_themes"),
    )
    dialect = postgresql.dialect()
    return str(guard.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))


def _typed_values() -> str:
    """The response's parameters cast to their columns' types: an INSERT … SELECT, unlike
    VALUES, does not give parameters the types of the columns they go into."""
    dialect = postgresql.dialect()
    return ", ".join(
        f"CAST(:{name} AS {_RESPONSES.c[name].type.compile(dialect=dialect)})"
        for name in _RESPONSE_COLUMNS
    )


# PostgreSQL, for a :class:`KnownSurvey`: the same INSERTs, made only when the guard
# holds; the one row says whether it held, whether there are themes, and the new id.
_STORE_GUARDED = (
    sa.text(
        f"WITH g AS ({_guard_sql()}), "
        f"r AS (INSERT INTO responses ({', '.join(_RESPONSE_COLUMNS)}) "
        f"SELECT {_typed_values()} FROM g WHERE g.still_open "
        "ON CONFLICT (idempotency_key) DO NOTHING RETURNING id), "
        f"{_STORE_ANSWERS_AND_ITEMS_SQL}"
        "SELECT g.still_open, g.has_themes, (SELECT id FROM r) FROM g"
    )
    .bindparams(
        *_STORE_PARAMETERS,
        sa.bindparam("survey_id", type_=sa.Integer),
        sa.bindparam("slug", type_=sa.String),
        sa.bindparam("row_version", type_=sa.String),
    )
    .columns(still_open=sa.Boolean, has_themes=sa.Boolean, id=sa.Integer)
    .execution_options(engage_writes=True)
)


def _guard_parameters(known: KnownSurvey) -> dict[str, Any]:
    return {
        "survey_id": known.version.survey_id,
        "slug": known.slug,
        "campaign_id": known.version.campaign_id,
        "row_version": known.row_version,
    }


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
