"""Demo co-design rounds: bus-stop ideas from the sprint, shown back to residents.

Round 1 (closed) showed two prototypes and heard residents in English, Spanish and Arabic;
round 2 (open, at ``/s/demo-round-2``) shows the shelter again as version 2, improved on
what round 1 asked for (light), so the results page has a round-over-round change to show.
Pictures are drawn here (no file shipped), then go through the same cleaning as uploads.
"""

from __future__ import annotations

import io
import random
from datetime import UTC, datetime, timedelta

from PIL import Image, ImageDraw
from sqlalchemy.orm import Session

from engage.backlog.sprints import list_sprints
from engage.models import Campaign, CodesignRound
from engage.responses.services import submit_response
from engage.rounds.images import clean_image
from engage.rounds.services import (
    PrototypeFields,
    RoundFields,
    close_round,
    create_round,
    open_round,
    save_prototype,
)
from surveys.codesign import better_code, reaction_code

ROUND_1_START = datetime(2025, 8, 4, 9, 0, tzinfo=UTC)
ROUND_2_START = datetime(2025, 10, 6, 9, 0, tzinfo=UTC)
SEED = 2026
LANGUAGES = {"en": 0.45, "es": 0.30, "ar": 0.25}

SHELTER = {
    "en": "A shelter with a bench",
    "es": "Un refugio con banco",
    "ar": "مظلة مع مقعد",
    "fr": "Un abri avec un banc",
}
SHELTER_TEXT = {
    "en": "A roof, a wind screen and a bench at the busiest stops.",
    "es": "Un techo, una mampara contra el viento y un banco en las paradas más concurridas.",
    "ar": "سقف وحاجز من الرياح ومقعد في أكثر المحطات ازدحامًا.",
    "fr": "Un toit, un pare-vent et un banc aux arrêts les plus fréquentés.",
}
LIT_SHELTER = {
    "en": "A lit shelter with a bench",
    "es": "Un refugio iluminado con banco",
    "ar": "مظلة مضاءة مع مقعد",
    "fr": "Un abri éclairé avec un banc",
}
LIT_SHELTER_TEXT = {
    "en": "The same shelter, with a light that stays on all night and room for a pushchair.",
    "es": "El mismo refugio, con una luz encendida toda la noche y espacio para un carrito.",
    "ar": "المظلة نفسها، مع إضاءة تبقى طوال الليل ومساحة لعربة الأطفال.",
    "fr": "Le même abri, avec une lumière allumée toute la nuit et de la place pour une poussette.",
}
TIMES = {
    "en": "Live bus times on a screen",
    "es": "Horarios en directo en una pantalla",
    "ar": "مواعيد الحافلات المباشرة على شاشة",
    "fr": "Les horaires en direct sur un écran",
}
TIMES_TEXT = {
    "en": "A screen at the stop shows when the next buses come, in three languages.",
    "es": "Una pantalla en la parada muestra cuándo llegan los próximos autobuses.",
    "ar": "شاشة في المحطة تعرض مواعيد وصول الحافلات التالية بثلاث لغات.",
    "fr": "Un écran à l’arrêt indique quand arrivent les prochains bus, en trois langues.",
}
COMMENTS = {
    "en": [
        "Put a light in it, the stop is dark at night.",
        "A bench would help my mother wait for the bus.",
        "Make it big enough for a pushchair.",
        "It needs a roof that really keeps the rain off.",
        "The screen should also read the times out loud.",
    ],
    "es": [
        "Pongan luz, la parada está oscura de noche.",
        "Un banco ayudaría a mi madre a esperar el autobús.",
        "Que quepa un carrito de bebé.",
        "La pantalla también debería estar en español.",
    ],
    "ar": [
        "ضعوا إضاءة، فالمحطة مظلمة في الليل.",
        "مقعد سيساعد والدتي على انتظار الحافلة.",
        "يجب أن تكون الشاشة باللغة العربية أيضًا.",
    ],
}
# Reaction weights, most positive first (``surveys.codesign.REACTIONS``).
SHELTER_V1 = (0.2, 0.25, 0.2, 0.2, 0.15)
SHELTER_V2 = (0.45, 0.3, 0.1, 0.1, 0.05)
TIMES_V1 = (0.35, 0.3, 0.15, 0.1, 0.1)
REACTIONS = ("works", "mostly_works", "not_sure", "mostly_not", "does_not_work")


def _drawing(lit: bool) -> bytes:
    """A simple drawing of a bus shelter (and its light, in version 2)."""
    image = Image.new("RGB", (480, 300), (226, 236, 244))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 250, 480, 300), fill=(120, 120, 120))
    draw.rectangle((90, 70, 390, 90), fill=(40, 70, 110))
    draw.rectangle((100, 90, 110, 250), fill=(60, 60, 60))
    draw.rectangle((370, 90, 380, 250), fill=(60, 60, 60))
    draw.rectangle((150, 190, 330, 205), fill=(150, 95, 50))
    if lit:
        draw.ellipse((225, 92, 255, 112), fill=(255, 220, 90))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _answer(session: Session, found: CodesignRound, rng: random.Random, moment: datetime,
            weights: dict[str, tuple[float, ...]]) -> None:  # fmt: skip
    language = rng.choices(list(LANGUAGES), weights=list(LANGUAGES.values()))[0]
    answers: dict[str, object] = {}
    for prototype in found.prototypes:
        answers[reaction_code(prototype.key)] = rng.choices(REACTIONS, weights[prototype.key])[0]
        if rng.random() < 0.45:
            answers[better_code(prototype.key)] = rng.choice(COMMENTS[language])
    submit_response(
        session,
        version=found.survey.current_version,
        answers=answers,
        language=language,
        submitted_at=moment,
    )


def _round(session: Session, campaign: Campaign, slug: str, title: dict[str, str],
           opens: datetime, weeks: int) -> CodesignRound:  # fmt: skip
    fields = RoundFields(title, {}, opens.date(), (opens + timedelta(weeks=weeks)).date(), False)
    found = create_round(session, campaign, fields)
    found.survey.slug = slug
    return found


def load_demo_rounds(session: Session, campaign: Campaign) -> None:
    """Round 1 closed with its results, round 2 open with the shelter's version 2."""
    rng = random.Random(SEED)
    first = _round(
        session,
        campaign,
        "demo-round-1",
        {"en": "Bus stops: first ideas", "es": "Paradas: primeras ideas",
         "ar": "محطات الحافلات: أفكار أولى", "fr": "Arrêts de bus : premières idées"},
        ROUND_1_START,
        4,
    )  # fmt: skip
    shelter = save_prototype(
        session,
        first,
        None,
        PrototypeFields(SHELTER, SHELTER_TEXT, None, image=clean_image(_drawing(False))),
    )
    times = save_prototype(session, first, None, PrototypeFields(TIMES, TIMES_TEXT, None))
    open_round(session, first, ROUND_1_START.date())
    weights = {shelter.key: SHELTER_V1, times.key: TIMES_V1}
    for i in range(60):
        _answer(session, first, rng, ROUND_1_START + timedelta(hours=9 * i), weights)
    close_round(session, first)

    second = _round(
        session,
        campaign,
        "demo-round-2",
        {"en": "Bus stops: the shelter, version 2", "es": "Paradas: el refugio, versión 2",
         "ar": "محطات الحافلات: المظلة، النسخة 2", "fr": "Arrêts de bus : l’abri, version 2"},
        ROUND_2_START,
        520,
    )  # fmt: skip
    lit = save_prototype(
        session,
        second,
        None,
        PrototypeFields(
            LIT_SHELTER, LIT_SHELTER_TEXT, shelter.id, image=clean_image(_drawing(True))
        ),
    )
    open_round(session, second, ROUND_2_START.date())
    for i in range(36):
        _answer(session, second, rng, ROUND_2_START + timedelta(hours=7 * i), {lit.key: SHELTER_V2})
    # Each round tested the prototypes of one of the demo's sprints (when the backlog is there).
    for found, sprint in zip((first, second), list_sprints(session, campaign)[::-1], strict=False):
        found.sprint_id = sprint.id
    session.flush()
