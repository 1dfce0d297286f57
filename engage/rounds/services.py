"""Co-design rounds: creating and editing them and their prototypes, opening, closing.

A round is stored as a :class:`CodesignRound` plus the survey of kind ``codesign`` that
residents answer (see ``engage.models.codesign`` for why). Every change to the round or
its prototypes regenerates the survey's draft definition (``surveys.codesign``); opening
publishes it like any survey (in place, or as a new version once residents have answered
and an edit would orphan their answers). Pages staff add to the round's survey in the
survey builder are the round's own questions and survive the regeneration.

Services flush, never commit: the request commits once.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from engage.audit.services import record
from engage.builder.publishing import publish_survey
from engage.models import (
    AuditAction,
    Campaign,
    CodesignRound,
    IllegalTransition,
    Prototype,
    PrototypeImage,
    Survey,
    SurveyStatus,
)
from engage.rounds.images import CleanImage
from surveys import SurveyDefinition
from surveys.codesign import PrototypeContent, codesign_definition
from surveys.errors import DefinitionError
from surveys.schema import PageImage


@dataclass(frozen=True)
class RoundFields:
    """What staff write about a round; texts per language (blank ones dropped)."""

    title: Mapping[str, str]
    description: Mapping[str, str]
    opens_on: date | None
    closes_on: date | None
    has_ranking: bool
    # The campaign's design sprint whose prototypes the round tests (or none).
    sprint_id: int | None = None


@dataclass(frozen=True)
class PrototypeFields:
    title: Mapping[str, str]
    description: Mapping[str, str]
    previous_id: int | None
    image: CleanImage | None = None
    remove_image: bool = False


def _texts(texts: Mapping[str, str], languages: list[str]) -> dict[str, str]:
    return {lang: texts[lang].strip() for lang in languages if texts.get(lang, "").strip()}


def list_rounds(session: Session, campaign: Campaign) -> list[CodesignRound]:
    return list(
        session.scalars(
            sa.select(CodesignRound)
            .where(CodesignRound.campaign_id == campaign.id)
            .order_by(CodesignRound.created_at, CodesignRound.id)
        )
    )


def get_round_of_survey(session: Session, survey: Survey) -> CodesignRound | None:
    return session.scalar(sa.select(CodesignRound).where(CodesignRound.survey_id == survey.id))


def earlier_prototypes(session: Session, found: CodesignRound) -> list[Prototype]:
    """Prototypes of the campaign's other, earlier rounds: what a new one can improve on."""
    return list(
        session.scalars(
            sa.select(Prototype)
            .join(CodesignRound, Prototype.round_id == CodesignRound.id)
            .where(
                CodesignRound.campaign_id == found.campaign_id,
                CodesignRound.id != found.id,
                CodesignRound.created_at <= found.created_at,
            )
            .order_by(CodesignRound.id, Prototype.position, Prototype.id)
        )
    )


def image_url(image: PrototypeImage) -> str:
    # The digest in the address lets the picture be cached for good: a new picture is a
    # new address.
    return f"/rounds/images/{image.id}?v={image.digest[:12]}"


def _content(prototype: Prototype) -> PrototypeContent:
    image = None
    if prototype.image is not None:
        alt = {
            lang: prototype.description.get(lang) or text for lang, text in prototype.title.items()
        }
        image = PageImage(
            image_url(prototype.image), prototype.image.width, prototype.image.height, alt
        )
    return PrototypeContent(prototype.key, prototype.title, prototype.description, image)


def regenerate_definition(found: CodesignRound) -> None:
    """Write the round's survey draft from the round, its prototypes and own pages."""
    campaign = found.campaign
    survey = found.survey
    survey.draft_definition = codesign_definition(
        slug=survey.slug,
        source_language=campaign.default_language,
        languages=list(campaign.languages),
        title=found.title,
        description=found.description,
        prototypes=[_content(p) for p in found.prototypes],
        with_ranking=found.has_ranking,
        own_pages=list(survey.draft_definition.get("pages", [])),
        thank_you=survey.draft_definition.get("thank_you"),
    )


def _apply(found: CodesignRound, fields: RoundFields) -> None:
    languages = list(found.campaign.languages)
    found.title = _texts(fields.title, languages)
    found.description = _texts(fields.description, languages)
    found.opens_on = fields.opens_on
    found.closes_on = fields.closes_on
    found.has_ranking = fields.has_ranking
    found.sprint_id = fields.sprint_id


def create_round(session: Session, campaign: Campaign, fields: RoundFields) -> CodesignRound:
    """A draft round with its (still empty) survey of kind ``codesign``."""
    survey = Survey(
        campaign=campaign,
        slug=f"round-{secrets.token_hex(4)}",
        kind="codesign",
        status=SurveyStatus.DRAFT,
        draft_definition={},
    )
    found = CodesignRound(campaign=campaign, survey=survey)
    _apply(found, fields)
    session.add(found)
    regenerate_definition(found)
    session.flush()
    return found


def _republish_if_open(session: Session, found: CodesignRound) -> None:
    """An open round shows residents the edit at once (a fixed typo, a new picture):
    published in place, or as a new version if residents' answers would be orphaned."""
    if found.status != SurveyStatus.PUBLISHED:
        return
    try:
        SurveyDefinition.from_dict(found.survey.draft_definition)
    except DefinitionError:
        return  # the round's own questions are being edited: published when complete
    publish_survey(session, found.survey)


def update_round(session: Session, found: CodesignRound, fields: RoundFields) -> None:
    _apply(found, fields)
    regenerate_definition(found)
    _republish_if_open(session, found)
    session.flush()


def save_prototype(
    session: Session, found: CodesignRound, prototype: Prototype | None, fields: PrototypeFields
) -> Prototype:
    """Add a prototype to the round, or change one; the definition follows."""
    languages = list(found.campaign.languages)
    if prototype is None:
        prototype = Prototype(position=len(found.prototypes))
        found.prototypes.append(prototype)
    prototype.title = _texts(fields.title, languages)
    prototype.description = _texts(fields.description, languages)
    previous = None
    if fields.previous_id is not None:
        previous = next(
            (p for p in earlier_prototypes(session, found) if p.id == fields.previous_id), None
        )
    prototype.previous = previous
    prototype.version_number = previous.version_number + 1 if previous is not None else 1
    replaced = prototype.image if (fields.image is not None or fields.remove_image) else None
    if fields.image is not None:
        prototype.image = PrototypeImage(
            data=fields.image.data,
            media_type=fields.image.media_type,
            width=fields.image.width,
            height=fields.image.height,
            digest=fields.image.digest,
        )
    elif fields.remove_image:
        prototype.image = None
    if replaced is not None:
        session.delete(replaced)  # pictures are not shared: nothing else shows it
    session.flush()  # the new prototype's id names its questions
    regenerate_definition(found)
    _republish_if_open(session, found)
    session.flush()
    return prototype


def remove_prototype(session: Session, found: CodesignRound, prototype: Prototype) -> None:
    """Take a prototype out of the round. Answers already given to it stay stored (a
    new version of the round is published if residents had answered it).

    Raises:
        IllegalTransition: ``round_needs_a_prototype`` (the last one of an open round).
    """
    if found.status == SurveyStatus.PUBLISHED and len(found.prototypes) == 1:
        raise IllegalTransition("round_needs_a_prototype", state=found.status)
    image = prototype.image
    found.prototypes.remove(prototype)
    if image is not None:
        session.delete(image)
    for position, kept in enumerate(found.prototypes):
        kept.position = position
    session.flush()
    regenerate_definition(found)
    _republish_if_open(session, found)
    session.flush()


def open_round(session: Session, found: CodesignRound, today: date, *, actor: Any = None) -> None:
    """Publish the generated definition and let residents answer (in the audit log).

    Raises:
        IllegalTransition: ``round_already_open``, ``round_has_no_prototypes``,
            ``round_past_closing`` or ``round_definition_invalid``.
    """
    found.check_can_open(today)
    regenerate_definition(found)
    try:
        SurveyDefinition.from_dict(found.survey.draft_definition)
    except DefinitionError:
        raise IllegalTransition("round_definition_invalid", state=found.status) from None
    version = publish_survey(session, found.survey)
    found.mark_open(today)
    record(
        session,
        AuditAction.PUBLISHED,
        actor=actor,
        subject=found.survey,
        detail={"codesign_round": found.id, "version": version.number},
    )
    session.flush()


def close_round(session: Session, found: CodesignRound) -> None:
    """Stop taking reactions. Raises :class:`IllegalTransition` ``round_not_open``."""
    found.close()
    session.flush()


def close_due_rounds(session: Session, today: date) -> list[CodesignRound]:
    """Close every open round whose closing date is before ``today`` (run daily:
    ``engage close-rounds``); the rounds closed."""
    due = session.scalars(
        sa.select(CodesignRound)
        .join(Survey, CodesignRound.survey_id == Survey.id)
        .where(Survey.status == SurveyStatus.PUBLISHED, CodesignRound.closes_on < today)
        .order_by(CodesignRound.id)
    ).all()
    for found in due:
        found.close()
    session.flush()
    return list(due)


def get_visible_image(
    session: Session, image_id: int, *, staff_can_see: Callable[[int], bool]
) -> tuple[PrototypeImage, bool] | None:
    """A prototype picture residents may see (its round's page is public: ``True``), or
    one of a campaign ``staff_can_see`` (by campaign id: a signed-in user's preview)."""
    rows = session.execute(
        sa.select(PrototypeImage, Survey)
        .join(Prototype, Prototype.image_id == PrototypeImage.id)
        .join(CodesignRound, Prototype.round_id == CodesignRound.id)
        .join(Survey, CodesignRound.survey_id == Survey.id)
        .where(PrototypeImage.id == image_id)
    ).all()
    for image, survey in rows:
        if survey.is_public:
            return image, True
    for image, survey in rows:
        if staff_can_see(survey.campaign_id):
            return image, False
    return None


def rounds_of_sprint(session: Session, sprint_id: int) -> list[CodesignRound]:
    """The co-design rounds that test a sprint's prototypes, oldest first."""
    return list(
        session.scalars(
            sa.select(CodesignRound)
            .where(CodesignRound.sprint_id == sprint_id)
            .order_by(CodesignRound.id)
        )
    )
