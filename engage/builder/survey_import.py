"""Importing a survey file (XLSForm or Engage JSON) with a preview before anything is made.

:func:`read_survey_file` reads the upload and returns what would be imported and the
report of what was left out or changed. Nothing is stored: the definition travels to the
confirmation as a signed, timed token (:func:`sign_import`), bound to the campaign and
the user, and :func:`open_import` refuses one that was changed, has expired or is for
someone else (``import_expired`` / ``import_invalid``). The same reading serves the
``engage import survey`` command.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.orm import Session

from engage.models import Survey
from surveys import DefinitionError, ImportFailed, SurveyDefinition, load_definition
from surveys.errors import DefinitionProblem, ImportProblem
from surveys.limits import ImportLimits
from surveys.xlsform import import_xlsform

MAX_SURVEY_FILE = 5 * 1024 * 1024
MAX_MEDIA_FILES = 20  # CSV files of choices uploaded beside one form
IMPORT_MAX_AGE = 2 * 60 * 60  # seconds a preview may be confirmed in
_SALT = "engage.survey-import"


class ImportTokenRefused(ValueError):
    """The confirmation's token cannot be used; ``code`` says why."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass
class SurveyFilePreview:
    """What importing a file would make: ``definition`` (None when refused), the report of
    rows left out, changed or not kept, and the problems that refuse the file."""

    definition: SurveyDefinition | None
    report: tuple[ImportProblem, ...] = ()
    problems: tuple[ImportProblem, ...] = ()
    definition_problems: tuple[DefinitionProblem, ...] = ()
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def refused(self) -> bool:
        return self.definition is None


def _looks_like_json(filename: str, data: bytes) -> bool:
    name = filename.lower()
    if name.endswith(".json"):
        return True
    if name.endswith((".xlsx", ".xlsm", ".xls", ".csv", ".md")) or data[:2] == b"PK":
        return False
    return data.lstrip()[:1] in (b"{", b"[")


def read_survey_file(
    filename: str,
    data: bytes,
    limits: ImportLimits,
    media: Mapping[str, bytes] | None = None,
    areas: Sequence[str] = (),
) -> SurveyFilePreview:
    """The survey in an uploaded file: an XLSForm (.xlsx, .xls, CSV or Markdown form) or
    an Engage JSON export. ``media`` holds the files uploaded beside an XLSForm, by name
    (the CSV files its ``select_one_from_file`` rows read their choices from); ``areas``
    are the campaign's, offered by a location (``geopoint``) question."""
    if not data.strip():
        return SurveyFilePreview(None, problems=(ImportProblem("", 0, "empty_file"),))
    if len(data) > MAX_SURVEY_FILE:
        return SurveyFilePreview(None, problems=(ImportProblem("", 0, "file_too_large"),))
    try:
        if _looks_like_json(filename, data):
            return _preview(load_definition(data), ())
        result = import_xlsform(data, limits, media, areas)
    except ImportFailed as failed:
        return SurveyFilePreview(None, problems=failed.problems)
    except DefinitionError as error:
        return SurveyFilePreview(None, definition_problems=error.problems)
    return _preview(result.definition, result.report)


def _preview(definition: SurveyDefinition, report: tuple[ImportProblem, ...]) -> SurveyFilePreview:
    counts = {outcome: 0 for outcome in ("left_out", "adapted", "ignored")}
    for problem in report:
        counts[problem.outcome] = counts.get(problem.outcome, 0) + 1
    counts["questions"] = len(list(definition.questions()))
    counts["pages"] = len(definition.pages)
    return SurveyFilePreview(definition, report, counts=counts)


def address_problems(session: Session, slug: str) -> list[DefinitionProblem]:
    """Why a new survey cannot take the address ``slug`` (it is taken)."""
    taken = session.scalar(sa.select(Survey.id).where(Survey.slug == slug))
    if taken is None:
        return []
    return [DefinitionProblem("$.slug", "slug_taken", {"slug": slug})]


def sign_import(
    secret: str,
    *,
    campaign_id: int,
    user_id: int,
    definition: SurveyDefinition,
    slug: str,
    report: tuple[ImportProblem, ...],
) -> str:
    """The previewed import, as a token the confirmation form sends back."""
    payload = {
        "campaign": campaign_id,
        "user": user_id,
        "slug": slug,
        "definition": definition.to_dict(),
        "report": [p.to_dict() for p in report],
    }
    return URLSafeTimedSerializer(secret, salt=_SALT).dumps(payload)


def open_import(
    secret: str, token: str, *, campaign_id: int, user_id: int, max_age: int | None = None
) -> tuple[SurveyDefinition, str, tuple[ImportProblem, ...]]:
    """``(definition, address, report)`` of a previewed import.

    Raises :class:`ImportTokenRefused`: ``import_expired`` after ``max_age`` seconds,
    ``import_invalid`` for a token that was changed or is for another campaign or user.
    """
    max_age = IMPORT_MAX_AGE if max_age is None else max_age
    try:
        payload: Any = URLSafeTimedSerializer(secret, salt=_SALT).loads(token, max_age=max_age)
    except SignatureExpired:
        raise ImportTokenRefused("import_expired") from None
    except (BadSignature, ValueError, TypeError):
        raise ImportTokenRefused("import_invalid") from None
    if (
        not isinstance(payload, dict)
        or payload.get("campaign") != campaign_id
        or payload.get("user") != user_id
    ):
        raise ImportTokenRefused("import_invalid")
    try:
        definition = SurveyDefinition.from_dict(payload["definition"])
        report = tuple(ImportProblem.from_dict(p) for p in payload.get("report", []))
    except (DefinitionError, KeyError, TypeError, ValueError, AttributeError):
        raise ImportTokenRefused("import_invalid") from None
    return definition, str(payload.get("slug") or definition.slug), report
