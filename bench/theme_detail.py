"""Time of a theme's detail page at 10,000 and 100,000 feedback items.

The detail page compares one board theme with everyone: answers per week and across
waves, residents by group next to everyone (small groups hidden), and how the theme's
residents rate the campaign's outcomes next to everyone. Its figures must come from SQL
aggregates, not from every feedback item loaded into Python.

Usage: python bench/theme_detail.py [--items 10000 100000] [--database-url URL] [--repeat 3]
Builds a throwaway database (SQLite unless ``--database-url`` names an empty PostgreSQL
database, then analysed with ANALYZE): one published survey with two waves, one response
per feedback item (an obstacle, two outcome ratings and an area; demographics of three
dimensions), spread over 26 weeks, and a board theme holding a fifth of the items. Prints
the best of ``--repeat`` renderings of the page (the view, its queries and its template),
with the theme's answers and residents so that two versions can be checked to agree.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.factories import make_survey, make_user, small_definition  # after the path is set

AREAS = ["north", "south", "prefer_not_to_say"]
AGES = ["18-24", "25-34", "35-49", "50-64", "65+"]
LANGUAGES = ["en", "es", "ar", "vi"]


def _definition():  # type: ignore[no-untyped-def]
    definition = small_definition("bench")
    definition["pages"][0]["questions"].append(
        {
            "code": "bus_satisfaction",
            "type": "scale",
            "minimum": 0,
            "maximum": 10,
            "label": {"en": "How satisfied are you with the bus?", "es": "¿Satisfecho?"},
            "analysis_role": "outcome_satisfaction",
            "outcome": "bus",
        }
    )
    return definition


def _fill(session, survey, count: int, start: int, begin, rng: random.Random) -> list[int]:  # type: ignore[no-untyped-def]
    """``count`` responses with a feedback item each; returns the item ids."""
    import sqlalchemy as sa

    from engage.models import Answer, FeedbackItem, Response

    version_id = survey.versions[0].id
    responses, answers, items = [], [], []
    for n in range(count):
        i = start + n
        moment = begin + timedelta(minutes=rng.randrange(26 * 7 * 24 * 60))
        area, age = rng.choice(AREAS), rng.choice(AGES)
        language = rng.choice(LANGUAGES)
        responses.append(
            {
                "id": i,
                "survey_version_id": version_id,
                "language": language,
                "channel": "web",
                "submitted_at": moment,
            }
        )
        answers += [
            {"response_id": i, "question_code": "obstacle", "value": f"The {i % 97} bus is late"},
            {"response_id": i, "question_code": "bus_importance", "value": rng.randint(0, 10)},
            {"response_id": i, "question_code": "bus_satisfaction", "value": rng.randint(0, 10)},
            {"response_id": i, "question_code": "area", "value": area},
        ]
        items.append(
            {
                "id": i,
                "campaign_id": survey.campaign_id,
                "response_id": i,
                "question_code": "obstacle",
                "analysis_role": "job_obstacle",
                "channel": "web",
                "language": language,
                "text": f"The {i % 97} bus is late",
                "redacted_text": f"The {i % 97} bus is late",
                "demographics": {"area": area, "age": age, "language": [language]},
                "created_at": moment,
            }
        )
    session.execute(sa.insert(Response), responses)
    session.execute(sa.insert(Answer), answers)
    session.execute(sa.insert(FeedbackItem), items)
    return [item["id"] for item in items]


def _build(session, count: int):  # type: ignore[no-untyped-def]
    import sqlalchemy as sa

    from engage.campaigns.waves import start_wave
    from engage.models import BoardPlacement, BoardTheme
    from engage.orm import utcnow

    rng = random.Random(0)
    survey = make_survey(session, slug="bench", definition=_definition())
    survey.campaign.suppression_threshold = 5
    begin = utcnow() - timedelta(weeks=27)
    ids = []
    for start in range(1, count + 1, 20_000):
        ids += _fill(session, survey, min(20_000, count + 1 - start), start, begin, rng)
    session.commit()
    start_wave(session, survey, label="Autumn")
    # The second wave: the last tenth of the answers arrive after it started.
    later = utcnow() + timedelta(minutes=1)
    session.execute(
        sa.text("UPDATE responses SET submitted_at = :at WHERE id > :n"),
        {"at": later, "n": count - count // 10},
    )
    theme = BoardTheme(campaign_id=survey.campaign_id, language="en", label="Late buses")
    rest = BoardTheme(campaign_id=survey.campaign_id, language="en", label="Everything else")
    session.add_all([theme, rest])
    session.flush()
    session.execute(
        sa.insert(BoardPlacement),
        [
            {
                "feedback_item_id": i,
                "board_theme_id": theme.id if i % 5 == 0 else rest.id,
                "pinned": False,
                "placed_later": False,
            }
            for i in ids
        ],
    )
    admin = make_user(session, email=f"admin{count}@example.org", role="admin")
    session.commit()
    return survey.campaign_id, theme.id, admin.id


def _time_page(app, campaign_id: int, theme_id: int, user_id: int, repeat: int):  # type: ignore[no-untyped-def]
    from flask_login import login_user

    from engage.extensions import db
    from engage.models import User
    from engage.themes.detail_views import theme_detail

    best, page = float("inf"), ""
    for _ in range(repeat):
        with app.test_request_context(f"/staff/campaigns/{campaign_id}/board/{theme_id}"):
            login_user(db.session.get(User, user_id))
            began = time.perf_counter()
            page = theme_detail(campaign_id, theme_id)
            best = min(best, time.perf_counter() - began)
            db.session.rollback()
    return best, page


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    import re

    import sqlalchemy as sa
    from flask_migrate import upgrade

    from engage import create_app
    from engage.extensions import db

    print(f"{'items':>8} {'database':>10} {'page s':>8}  theme answers / residents")
    for count in args.items:
        with tempfile.TemporaryDirectory() as folder:
            url = args.database_url or f"sqlite:///{folder}/bench.sqlite"
            app = create_app({"ENGAGE_ENV": "testing", "SECRET_KEY": "bench", "DATABASE_URL": url})
            with app.app_context():
                if args.database_url:
                    db.drop_all()
                    with db.engine.begin() as connection:
                        connection.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
                upgrade()
                campaign_id, theme_id, user_id = _build(db.session, count)
                if db.engine.dialect.name == "postgresql":
                    # Statistics, as autovacuum gathers them on a live database.
                    db.session.execute(sa.text("ANALYZE"))
                    db.session.commit()
                seconds, page = _time_page(app, campaign_id, theme_id, user_id, args.repeat)
                figures = re.search(r"(\d[\d,]*) answers?[^<]*?from ([\d,]+) residents", page)
                found = f"{figures[1]} / {figures[2]}" if figures else "?"
                print(f"{count:>8} {db.engine.dialect.name:>10} {seconds:>8.2f}  {found}")
                db.session.remove()
                if args.database_url:
                    db.drop_all()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
