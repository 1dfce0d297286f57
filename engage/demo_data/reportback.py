"""The demo campaign's approved report-back page: residents' words (masked), what the
workgroup is doing and what it set aside, the results of the closed co-design round, and
a timeline in English, Spanish and Arabic, all published by the demo staff member as the
approval page would (and so audited).

What we heard: two themes of the demo board, named in the workgroup's words (see
:mod:`engage.demo_data.themes`): buses in English, information in Spanish; and a
resident's words in English, Arabic and Spanish from those themes and the Arabic bus
theme, each among the quotes the approval page offers under its theme.
"""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from engage.demo_data.themes import BUS, IN_SPANISH, DemoBoard
from engage.models import (
    BoardPlacement,
    BoardTheme,
    Campaign,
    FeedbackItem,
    Opportunity,
    Sprint,
    SurveyStatus,
    User,
)
from engage.reportback import services
from engage.reportback.pages import QUOTES_PER_THEME
from engage.rounds.services import list_rounds

TIMELINE = [
    (
        60,
        {
            "en": "We finished listening in Riverside and Northgate: thank you to everyone "
            "who answered, on paper, online or with an interviewer.",
            "es": "Terminamos de escuchar en Riverside y Northgate: gracias a todas las "
            "personas que respondieron, en papel, en línea o con un entrevistador.",
            "ar": "انتهينا من الاستماع في ريفرسايد ونورثغيت: شكرًا لكل من أجاب، على الورق "
            "أو عبر الإنترنت أو مع أحد المحاورين.",
        },
    ),
    (
        30,
        {
            "en": "The workgroup chose what to work on first: buses residents can count on, "
            "and street lights on the way to the station.",
            "es": "El grupo de trabajo eligió por dónde empezar: autobuses con los que se "
            "pueda contar y alumbrado en el camino a la estación.",
            "ar": "اختارت مجموعة العمل ما تبدأ به: حافلات يمكن للسكان الاعتماد عليها، "
            "وإنارة الشارع في الطريق إلى المحطة.",
        },
    ),
    (
        3,
        {
            "en": "New street lights are on along Station Road. A second sprint has started "
            "on bus times.",
            "es": "Ya funcionan las nuevas farolas de Station Road. Ha empezado un segundo "
            "sprint sobre los horarios de los autobuses.",
            "ar": "أُضيئت أعمدة الإنارة الجديدة على طول طريق المحطة. وبدأت دورة عمل ثانية "
            "حول مواعيد الحافلات.",
        },
    ),
]


def _quote_of(session: Session, theme: BoardTheme, words: tuple[str, ...]) -> int | None:
    """An answer that mentions ``words``, among those the approval page offers under
    ``theme`` (else the first of them)."""
    offered = session.execute(
        sa.select(FeedbackItem.id, FeedbackItem.text)
        .join(BoardPlacement, BoardPlacement.feedback_item_id == FeedbackItem.id)
        .where(BoardPlacement.board_theme_id == theme.id, FeedbackItem.counted())
        .order_by(BoardPlacement.pinned.desc(), FeedbackItem.id)
        .limit(QUOTES_PER_THEME)
    ).all()
    about = [i for i, text in offered if any(w in text.lower() for w in words)]
    return next(iter(about or [i for i, _text in offered]), None)


def load_demo_report_back(
    session: Session, campaign: Campaign, *, staff: User, shaped: DemoBoard
) -> None:
    today = date.today()
    for theme in (shaped.bus, shaped.in_spanish):
        if theme is not None:
            services.publish(session, campaign, "theme", theme.id, by=staff)
    quoted = [
        (shaped.bus, BUS["en"]),
        (shaped.arabic_bus, BUS["ar"]),
        (shaped.in_spanish, IN_SPANISH),
    ]
    for theme, words in quoted:
        item_id = _quote_of(session, theme, words) if theme is not None else None
        if item_id is not None:
            services.publish(session, campaign, "quote", item_id, by=staff)
    for model in (Opportunity, Sprint):
        for found in session.scalars(
            sa.select(model).where(model.campaign_id == campaign.id).order_by(model.id)
        ):
            kind = "opportunity" if model is Opportunity else "sprint"
            services.publish(session, campaign, kind, found.id, by=staff)
    for found in list_rounds(session, campaign):  # round 1: closed, with its results
        if found.status == SurveyStatus.CLOSED:
            services.publish(session, campaign, "round", found.id, by=staff)
    for days_ago, texts in TIMELINE:
        original = services.add_update(
            session, campaign, language="en", happened_on=today - timedelta(days=days_ago),
            body=texts["en"], by=staff,
        )  # fmt: skip
        services.publish(session, campaign, "update", original.id, by=staff)
        for language in ("es", "ar"):
            if language not in campaign.languages:
                continue
            translation = services.add_update(
                session, campaign, language=language, happened_on=None,
                body=texts[language], translation_of=original.id, by=staff,
            )  # fmt: skip
            services.publish(session, campaign, "update", translation.id, by=staff)
