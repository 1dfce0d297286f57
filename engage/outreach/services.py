"""Tracked links: creating them, counting what each brought, drawing their QR codes.

A link is the survey's public address with ``?source=<tag>``; the resident pages keep
the tag on the response (see ``clean_source_tag``), so nothing else needs to know links.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass

import segno
import sqlalchemy as sa
from sqlalchemy.orm import Session

from engage.models import Response, Survey, SurveyVersion, TrackedLink
from engage.responses.services import SOURCE_TAG_MAX_LENGTH

TAG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


class OutreachError(Exception):
    """A link that cannot be made; ``code`` says why (see ``engage.web.messages``)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class LinkRow:
    link: TrackedLink
    responses: int


def tag_from_label(label: str) -> str:
    """``"École Jules-Ferry flyer"`` → ``"ecole-jules-ferry-flyer"`` (ASCII, short)."""
    ascii_text = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    tag = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return tag[:SOURCE_TAG_MAX_LENGTH].strip("-")


def create_link(session: Session, survey: Survey, label: str, tag: str = "") -> TrackedLink:
    """A new tracked link; ``tag`` defaults to one made from ``label``."""
    tag = (tag or tag_from_label(label) or _numbered_tag(session, survey)).strip().lower()
    if not tag or len(tag) > SOURCE_TAG_MAX_LENGTH or not TAG_PATTERN.match(tag):
        raise OutreachError("tag_invalid")
    taken = session.scalar(
        sa.select(TrackedLink.id).where(TrackedLink.survey_id == survey.id, TrackedLink.tag == tag)
    )
    if taken is not None:
        raise OutreachError("tag_taken")
    link = TrackedLink(survey=survey, tag=tag, label=label.strip())
    session.add(link)
    session.flush()
    return link


def _numbered_tag(session: Session, survey: Survey) -> str:
    """``link-3`` for a label with no Latin letters to make a tag from."""
    count = session.scalar(
        sa.select(sa.func.count(TrackedLink.id)).where(TrackedLink.survey_id == survey.id)
    )
    return f"link-{(count or 0) + 1}"


def delete_link(session: Session, link: TrackedLink) -> None:
    """Forget the link; responses that came through it keep their source tag."""
    session.delete(link)
    session.flush()


def link_rows(session: Session, survey: Survey) -> list[LinkRow]:
    """The survey's links, newest first, each with the responses it brought."""
    counts = dict(
        session.execute(
            sa.select(Response.source_tag, sa.func.count(Response.id))
            .join(SurveyVersion, Response.survey_version_id == SurveyVersion.id)
            .where(SurveyVersion.survey_id == survey.id, ~Response.is_excluded)
            .group_by(Response.source_tag)
        ).all()
    )
    links = session.scalars(
        sa.select(TrackedLink)
        .where(TrackedLink.survey_id == survey.id)
        .order_by(TrackedLink.created_at.desc(), TrackedLink.id.desc())
    )
    return [LinkRow(link, counts.get(link.tag, 0)) for link in links]


def get_link(session: Session, survey: Survey, link_id: int) -> TrackedLink | None:
    link = session.get(TrackedLink, link_id)
    return link if link is not None and link.survey_id == survey.id else None


def _qr(url: str) -> segno.QRCode:
    return segno.make(url, error="m", micro=False)


def qr_svg(url: str, *, scale: int = 4) -> str:
    """The QR code of ``url`` as an SVG document (black on white, quiet zone kept)."""
    out = io.BytesIO()
    _qr(url).save(out, kind="svg", scale=scale, xmldecl=False, svgns=True, title=url)
    return out.getvalue().decode()


def qr_png(url: str, *, scale: int = 10) -> bytes:
    """The QR code of ``url`` as a PNG, large enough to print."""
    out = io.BytesIO()
    _qr(url).save(out, kind="png", scale=scale)
    return out.getvalue()
