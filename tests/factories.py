"""``make_<model>(session, **overrides)``: test data with sensible defaults."""

from __future__ import annotations

import itertools
from typing import Any

from sqlalchemy.orm import Session

from engage.models import Campaign, User, Workgroup

PASSWORD = "correct horse battery"
_sequence = itertools.count(1)


def make_user(session: Session, **overrides: Any) -> User:
    n = next(_sequence)
    password = overrides.pop("password", PASSWORD)
    values = {"email": f"user{n}@example.org", "name": f"User {n}", "role": "staff"}
    values.update(overrides)
    user = User(**values)
    user.set_password(password)
    session.add(user)
    session.commit()
    return user


def make_campaign(session: Session, **overrides: Any) -> Campaign:
    n = next(_sequence)
    values: dict[str, Any] = {
        "slug": f"campaign-{n}",
        "title": f"Campaign {n}",
        "languages": ["en", "es"],
        "status": "open",
    }
    values.update(overrides)
    campaign = Campaign(**values)
    session.add(campaign)
    session.commit()
    return campaign


def make_workgroup(session: Session, **overrides: Any) -> Workgroup:
    """A workgroup; pass ``members=[user, …]`` and ``campaigns=[campaign, …]``."""
    n = next(_sequence)
    values: dict[str, Any] = {"name": f"Workgroup {n}", "description": ""}
    values.update(overrides)
    workgroup = Workgroup(**values)
    session.add(workgroup)
    session.commit()
    return workgroup


def make_member(session: Session, *campaigns: Campaign, **overrides: Any) -> User:
    """A workgroup member, in a new workgroup that ``campaigns`` are assigned to."""
    member = make_user(session, **{"role": "member", **overrides})
    make_workgroup(session, members=[member], campaigns=list(campaigns))
    return member


def small_definition(slug: str = "small") -> dict[str, Any]:
    """A two-page survey: an open question (job obstacle), an area, a rating."""
    return {
        "slug": slug,
        "source_language": "en",
        "languages": ["en", "es"],
        "title": {"en": "Small survey", "es": "Encuesta pequeña"},
        "pages": [
            {
                "key": "feedback",
                "questions": [
                    {
                        "code": "obstacle",
                        "type": "long_text",
                        "required": True,
                        "label": {"en": "What got in the way?", "es": "¿Qué se lo impidió?"},
                        "analysis_role": "job_obstacle",
                    },
                    {
                        "code": "bus_importance",
                        "type": "scale",
                        "minimum": 0,
                        "maximum": 10,
                        "label": {"en": "How important is the bus?", "es": "¿Qué tan importante?"},
                        "analysis_role": "outcome_importance",
                        "outcome": "bus",
                    },
                ],
            },
            {
                "key": "about",
                "questions": [
                    {
                        "code": "area",
                        "type": "single_choice",
                        "label": {"en": "Where do you live?", "es": "¿Dónde vive?"},
                        "options": [
                            {"value": "north", "label": {"en": "North", "es": "Norte"}},
                            {"value": "south", "label": {"en": "South", "es": "Sur"}},
                            {
                                "value": "prefer_not_to_say",
                                "label": {"en": "Prefer not to say", "es": "Prefiero no decirlo"},
                            },
                        ],
                        "analysis_role": "demographic",
                        "dimension": "area",
                    }
                ],
            },
        ],
    }


def make_survey(session: Session, *, campaign: Campaign | None = None, **overrides: Any):
    from engage.builder.publishing import create_survey, publish_survey

    campaign = campaign or make_campaign(session)
    definition = overrides.pop("definition", None) or small_definition(
        overrides.pop("slug", f"survey-{next(_sequence)}")
    )
    survey = create_survey(session, campaign=campaign, definition=definition)
    if overrides.pop("published", True):
        publish_survey(session, survey)
    session.commit()
    return survey


def _t(en: str, es: str) -> dict[str, str]:
    return {"en": en, "es": es}


def full_definition(slug: str = "full") -> dict[str, Any]:
    """Every question type, skip logic on a question and on a page, en + es."""
    yes_no = [{"value": "a", "label": _t("A", "A")}, {"value": "b", "label": _t("B", "B")}]
    return {
        "slug": slug,
        "source_language": "en",
        "languages": ["en", "es"],
        "title": _t("Full survey", "Encuesta completa"),
        "description": _t("About the neighbourhood.", "Sobre el barrio."),
        "pages": [
            {
                "key": "start",
                "title": _t("First things", "Primero"),
                "questions": [
                    {"code": "intro", "type": "info", "label": _t("Welcome.", "Bienvenida.")},
                    {
                        "code": "agree",
                        "type": "consent",
                        "required": True,
                        "label": _t("I agree to take part", "Acepto participar"),
                    },
                    {
                        "code": "lives_here",
                        "type": "yes_no",
                        "required": True,
                        "label": _t("Do you live here?", "¿Vive aquí?"),
                    },
                    {
                        "code": "name_it",
                        "type": "short_text",
                        "max_length": 20,
                        "label": _t("One word for the area", "Una palabra para el barrio"),
                    },
                ],
            },
            {
                "key": "residents",
                "show_if": {"question": "lives_here", "op": "equals", "value": "yes"},
                "title": _t("Living here", "Vivir aquí"),
                "questions": [
                    {
                        "code": "years",
                        "type": "number",
                        "minimum": 0,
                        "maximum": 100,
                        "required": True,
                        "label": _t("Years lived here", "Años aquí"),
                    },
                    {
                        "code": "moved_on",
                        "type": "date",
                        "label": _t("When did you move?", "¿Cuándo se mudó?"),
                    },
                ],
            },
            {
                "key": "opinions",
                "questions": [
                    {
                        "code": "obstacle",
                        "type": "long_text",
                        "required": True,
                        "analysis_role": "job_obstacle",
                        "label": _t("What gets in the way?", "¿Qué se lo impide?"),
                    },
                    {
                        "code": "topics",
                        "type": "multiple_choice",
                        "label": _t("Topics", "Temas"),
                        "options": [
                            {"value": "bus", "label": _t("Buses", "Autobuses")},
                            {"value": "rent", "label": _t("Rent", "Alquiler")},
                            {"value": "other", "label": _t("Other", "Otro"), "specify": True},
                        ],
                    },
                    {
                        "code": "top_two",
                        "type": "pick_up_to",
                        "max_choices": 2,
                        "label": _t("Pick up to two", "Elija hasta dos"),
                        "options": [
                            {"value": "x", "label": _t("X", "X")},
                            {"value": "y", "label": _t("Y", "Y")},
                            {"value": "z", "label": _t("Z", "Z")},
                        ],
                    },
                    {
                        "code": "bus_importance",
                        "type": "scale",
                        "required": True,
                        "analysis_role": "outcome_importance",
                        "outcome": "bus",
                        "label": _t("How important are buses?", "¿Qué importancia?"),
                        "point_labels": {"0": _t("Not at all", "Nada"), "10": _t("Very", "Mucha")},
                    },
                    {
                        "code": "stars",
                        "type": "rating",
                        "label": _t("Rate the park", "Valore el parque"),
                    },
                    {
                        "code": "grid",
                        "type": "matrix",
                        "label": _t("How safe is it?", "¿Qué tan seguro?"),
                        "rows": [
                            {"value": "day", "label": _t("By day", "De día")},
                            {"value": "night", "label": _t("At night", "De noche")},
                        ],
                        "options": yes_no,
                    },
                ],
            },
            {
                "key": "about",
                "questions": [
                    {
                        "code": "area",
                        "type": "dropdown",
                        "analysis_role": "demographic",
                        "dimension": "area",
                        "label": _t("Area", "Zona"),
                        "options": [
                            {"value": "north", "label": _t("North", "Norte")},
                            {"value": "south", "label": _t("South", "Sur")},
                            {
                                "value": "prefer_not_to_say",
                                "label": _t("Prefer not to say", "Prefiero no decirlo"),
                            },
                        ],
                    },
                    {
                        "code": "home_lang",
                        "type": "single_choice",
                        "label": _t("Language at home", "Idioma en casa"),
                        "options": [
                            {"value": "en", "label": _t("English", "Inglés")},
                            {"value": "es", "label": _t("Spanish", "Español")},
                        ],
                    },
                ],
            },
        ],
    }
