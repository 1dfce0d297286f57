"""Feedback in two languages about the same concerns, and an encoder that knows them.

``KeywordEncoder`` stands in for a multilingual sentence encoder (none can be downloaded
here): it maps an answer to its concern by keyword, in English or Spanish, so that the
analysis library's real cross-language linking has something deterministic to link.
"""

from __future__ import annotations

import numpy as np
import sqlalchemy as sa
from sqlalchemy.orm import Session

from engage.models import AnalysisRun, FeedbackItem, Survey, Theme, ThemeAssignment
from engage.responses.services import submit_response
from tests.factories import make_survey, small_definition

ENGLISH = {
    "bus": [
        "The bus is always late in the morning",
        "Buses never come on time and I miss work",
        "The number 12 bus is late every day",
        "Waiting for the bus takes forever, it is never on time",
        "Late buses make me late for my job",
    ],
    "rent": [
        "Rent went up again and we cannot afford it",
        "The rent is too high for families here",
        "Our landlord raised the rent twice this year",
        "I spend half my pay on rent",
        "Rent increases are pushing neighbours out",
    ],
    "park": [
        "The park has no lights at night",
        "Kids need a safer playground in the park",
        "The park swings are broken",
        "Please clean the park, there is litter everywhere",
        "We need more benches and trees in the park",
    ],
}
SPANISH = {
    "bus": [
        "El autobús siempre llega tarde por la mañana",
        "Los autobuses nunca pasan a tiempo y pierdo el trabajo",
        "El autobús 12 llega tarde todos los días",
        "Esperar el autobús tarda una eternidad",
        "Por culpa del autobús llego tarde al trabajo",
    ],
    "rent": [
        "El alquiler subió otra vez y no podemos pagarlo",
        "El alquiler es demasiado alto para las familias",
        "El casero subió el alquiler dos veces este año",
        "Gasto la mitad de mi sueldo en el alquiler",
        "Las subidas del alquiler echan a los vecinos del barrio",
    ],
}
KEYWORDS = {
    "bus": ("bus", "autobús"),
    "rent": ("rent", "landlord", "alquiler", "casero"),
    "park": ("park", "playground", "swings", "parque"),
}


class KeywordEncoder:
    """A deterministic "multilingual" sentence encoder: one dimension per concern."""

    name = "keyword test encoder"

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), len(KEYWORDS) + 1), dtype=np.float32)
        for row, text in enumerate(texts):
            lowered = text.lower()
            hits = [
                i for i, words in enumerate(KEYWORDS.values()) if any(w in lowered for w in words)
            ]
            out[row, hits[0] if hits else len(KEYWORDS)] = 1.0
        return out


def bilingual_survey(session: Session, rounds: int = 3) -> Survey:
    """A survey with every answer above ``rounds`` times (made distinct), in its language."""
    survey = make_survey(session, definition=small_definition("listen"))
    for language, topics in (("en", ENGLISH), ("es", SPANISH)):
        for round_ in range(rounds):
            for texts in topics.values():
                for text in texts:
                    submit_response(
                        session,
                        version=survey.current_version,
                        answers={"obstacle": f"{text} ({round_})" if round_ else text},
                        language=language,
                    )
    session.commit()
    return survey


def theme_of(session: Session, run: AnalysisRun, text: str) -> Theme:
    """The top-level theme of ``run`` that holds the answer ``text``."""
    theme = session.scalar(
        sa.select(Theme)
        .join(ThemeAssignment, ThemeAssignment.theme_id == Theme.id)
        .join(FeedbackItem, FeedbackItem.id == ThemeAssignment.feedback_item_id)
        .where(ThemeAssignment.run_id == run.id, FeedbackItem.text == text)
    )
    if theme.parent_key is not None:
        theme = session.scalar(
            sa.select(Theme).where(Theme.run_id == run.id, Theme.key == theme.parent_key)
        )
    return theme
