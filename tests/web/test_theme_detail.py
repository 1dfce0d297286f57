"""A board theme in detail: size over time and across waves, groups with small cells
hidden, outcome ratings of its residents next to everyone, sentiment, the quote link."""

from __future__ import annotations

import html
from datetime import timedelta

import sqlalchemy as sa

from engage.campaigns.waves import start_wave
from engage.models import AnalysisRun, BoardPlacement, BoardTheme, FeedbackItem, Response, Theme
from engage.orm import utcnow
from engage.responses.services import submit_response
from tests.factories import PASSWORD, make_campaign, make_member, make_survey, small_definition
from tests.support.feedback import ENGLISH


def _definition():
    definition = small_definition("detail")
    definition["pages"][0]["questions"].append(
        {
            "code": "bus_satisfaction",
            "type": "scale",
            "minimum": 0,
            "maximum": 10,
            "label": {"en": "How satisfied are you with the bus?", "es": "¿Qué tan satisfecho?"},
            "analysis_role": "outcome_satisfaction",
            "outcome": "bus",
        }
    )
    return definition


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _answer(session, survey, text, area, importance, satisfaction):
    return submit_response(
        session,
        version=survey.current_version,
        answers={
            "obstacle": text,
            "area": area,
            "bus_importance": importance,
            "bus_satisfaction": satisfaction,
        },
        language="en",
    )


def _theme(session, survey, run, key, label, texts, sentiment=None):
    theme = Theme(run=run, key=key, parent_key=None, language="en", label=label, size=len(texts))
    theme.sentiment = sentiment
    session.add(theme)
    session.flush()
    board = BoardTheme(
        campaign_id=survey.campaign_id, language="en", label=label, theme_id=theme.id
    )
    session.add(board)
    session.flush()
    items = session.scalars(sa.select(FeedbackItem.id).where(FeedbackItem.text.in_(texts)))
    session.add_all(BoardPlacement(feedback_item_id=i, board_theme_id=board.id) for i in items)
    session.commit()
    return board


def _setup(session):
    survey = make_survey(session, definition=_definition())
    survey.campaign.suppression_threshold = 5
    bus = [f"{t} ({n})" for n in range(3) for t in ENGLISH["bus"]]  # 15 residents
    rent = [f"{t} ({n})" for n in range(3) for t in ENGLISH["rent"]]
    for number, text in enumerate(bus):
        _answer(session, survey, text, "north" if number < 8 else "south", 9, 2)
    for number, text in enumerate(rent):
        _answer(session, survey, text, "north" if number < 13 else "south", 4, 8)
    # Two weeks earlier: three more bus answers, in the campaign's first week.
    session.commit()
    earlier = session.scalars(sa.select(Response).order_by(Response.id).limit(3)).all()
    for response in earlier:
        response.submitted_at = utcnow() - timedelta(days=14)
    session.commit()
    run = AnalysisRun(campaign_id=survey.campaign_id, status="done", finished_at=utcnow())
    session.add(run)
    session.flush()
    sentiment = {"method": "vader", "n_scored": 15, "mean": -0.3, "positive": 0.2,
                 "neutral": 0.2, "negative": 0.6}  # fmt: skip
    bus_theme = _theme(session, survey, run, 0, "Late buses", bus, sentiment)
    rent_theme = _theme(session, survey, run, 1, "High rent", rent)
    return survey, bus_theme, rent_theme


def _page(survey, theme) -> str:
    return f"/staff/campaigns/{survey.campaign_id}/board/{theme.id}"


def test_theme_detail_figures_with_small_groups_hidden(session, pages):
    survey, bus, rent = _setup(session)
    make_member(session, survey.campaign, email="m@example.org")
    pages.login("m@example.org", PASSWORD)
    board = _text(pages.get(f"/staff/campaigns/{survey.campaign_id}/themes"))
    assert f'href="{_page(survey, bus)}"' in board  # each card links to its detail
    page = _text(pages.get(_page(survey, bus)))
    assert "15 answers" in page and "from 15 residents" in page
    # Size over time: an SVG chart and its table, by week (two weeks here).
    assert 'role="img"' in page and "Answers per week" in page
    assert page.count('<th scope="row">') >= 2
    # Groups: North 8 and South 7 of the theme's 15 (both at or above 5), next to everyone.
    assert "North" in page and "South" in page
    assert ">8<" in page and ">7<" in page
    assert "53%" in page and "47%" in page  # 8/15, 7/15
    # The bus is important to those who raised it, and they are not satisfied.
    assert "How important is the bus?" in page
    assert "<td>9 <span" in page and "<td>2 <span" in page  # this theme's 15 residents
    assert "<td>6.5 <span" in page and "<td>5 <span" in page  # everyone's 30
    assert "Sentiment: 20% positive, 20% neutral, 60% negative." in page
    assert f"/staff/campaigns/{survey.campaign_id}/quotes?theme={bus.theme_id}" in page
    # The rent theme: South has 2 residents, hidden, and North with it (it would tell).
    page = _text(pages.get(_page(survey, rent)))
    assert page.count("hidden for privacy") >= 2
    assert ">13<" not in page and ">2<" not in page.split("Who raised it")[1].split("How they")[0]


def test_ratings_of_fewer_residents_than_the_threshold_are_not_shown(session, pages):
    survey, bus, _rent = _setup(session)
    survey.campaign.suppression_threshold = 20
    session.commit()
    make_member(session, survey.campaign, email="m@example.org")
    pages.login("m@example.org", PASSWORD)
    page = _text(pages.get(_page(survey, bus)))
    assert "not enough answers" in page
    assert "from fewer than 20 residents" in page
    assert page.count("hidden for privacy") >= 2


def test_theme_detail_across_waves(session, pages):
    survey, bus, _rent = _setup(session)
    start_wave(session, survey, label="Spring")
    session.commit()
    _answer(session, survey, "The bus is late again this spring", "north", 8, 3)
    later = session.scalar(sa.select(FeedbackItem).where(FeedbackItem.text.like("%spring")))
    session.add(BoardPlacement(feedback_item_id=later.id, board_theme_id=bus.id))
    session.commit()
    make_member(session, survey.campaign, email="m@example.org")
    pages.login("m@example.org", PASSWORD)
    page = _text(pages.get(_page(survey, bus)))
    assert "Across waves" in page and "Wave 2 · Spring" in page
    waves = page.split("<caption>Across waves</caption>")[1].split("</table>")[0]
    assert ">15<" in waves and ">1<" in waves and "100%" in waves  # wave 2: 1 of 1


def test_theme_detail_addresses_that_name_nothing_are_404(session, pages):
    survey, bus, _rent = _setup(session)
    other = make_survey(session, campaign=make_campaign(session), slug="other")
    make_member(session, survey.campaign, email="m@example.org")
    pages.login("m@example.org", PASSWORD)
    base = f"/staff/campaigns/{survey.campaign_id}/board"
    for theme_id in (2**31, 2**40, 999999):
        assert pages.get(f"{base}/{theme_id}").status_code == 404
    assert pages.get(f"/staff/campaigns/{other.campaign_id}/board/{bus.id}").status_code == 404
    # Another campaign's workgroup does not even learn that the theme exists.
    pages.submit("/auth/logout", {}, form_page="/staff/")
    make_member(session, other.campaign, email="o@example.org")
    pages.login("o@example.org", PASSWORD)
    assert pages.get(_page(survey, bus)).status_code == 404


def test_a_merged_theme_and_the_arabic_page_are_shown_not_500(session, pages):
    survey, bus, rent = _setup(session)
    make_member(session, survey.campaign, email="m@example.org")
    pages.login("m@example.org", PASSWORD)
    response = pages.submit(
        f"/staff/campaigns/{survey.campaign_id}/board/{rent.id}/merge",
        {"into_id": bus.id},
        form_page=f"/staff/campaigns/{survey.campaign_id}/themes",
    )
    assert response.status_code == 302
    page = pages.get(_page(survey, rent))
    assert page.status_code == 200 and "0 answers" in _text(page)
    page = pages.get(f"{_page(survey, bus)}?lang=ar")
    assert page.status_code == 200 and 'dir="rtl"' in page.get_data(as_text=True)
    assert "30" in _text(page)


def test_the_sql_figures_match_counting_each_resident_by_hand(session):
    """The aggregates the database computes agree with counting every item in Python:
    several answers of one resident count once, a listening-session note is one voice,
    a resident in two groups of one dimension counts in both, an answer set aside counts
    nowhere."""
    from collections import Counter

    from engage.models import ListeningSession
    from engage.themes.detail import theme_detail

    survey, bus, _rent = _setup(session)
    campaign = survey.campaign
    notes = ListeningSession(campaign=campaign, held_on=utcnow().date(), languages=["en"])
    session.add(notes)
    session.flush()
    for number in range(6):
        session.add(
            FeedbackItem(
                campaign_id=campaign.id,
                listening_session_id=notes.id,
                channel="session",
                language="en",
                text=f"Buses at night ({number})",
                redacted_text="Buses at night",
                demographics={"area": ["north", "south"]} if number % 2 else {"area": "south"},
            )
        )
    # One resident gave a second answer that the workgroup placed in the theme too.
    first = session.scalar(
        sa.select(FeedbackItem)
        .join(BoardPlacement)
        .where(BoardPlacement.board_theme_id == bus.id)
        .order_by(FeedbackItem.id)
    )
    session.add(
        FeedbackItem(
            campaign_id=campaign.id,
            response_id=first.response_id,
            channel="web",
            language="en",
            text="And the stop has no shelter",
            redacted_text="And the stop has no shelter",
            demographics=first.demographics,
            analysis_role="job_obstacle",
        )
    )
    # An answer set aside by staff counts nowhere.
    last = session.scalar(
        sa.select(FeedbackItem)
        .join(BoardPlacement)
        .where(BoardPlacement.board_theme_id == bus.id)
        .order_by(FeedbackItem.id.desc())
    )
    session.get(Response, last.response_id).excluded_reason = "spam"
    session.flush()
    for item in session.scalars(sa.select(FeedbackItem).where(FeedbackItem.id > first.id)):
        if item.response_id in (None, first.response_id) and item.id not in {
            p.feedback_item_id for p in session.scalars(sa.select(BoardPlacement))
        }:
            session.add(BoardPlacement(feedback_item_id=item.id, board_theme_id=bus.id))
    session.commit()

    detail = theme_detail(session, campaign, bus, 5, "en")

    placed = set(
        session.scalars(
            sa.select(BoardPlacement.feedback_item_id).where(
                BoardPlacement.board_theme_id == bus.id
            )
        )
    )
    items = [
        i
        for i in session.scalars(
            sa.select(FeedbackItem).where(FeedbackItem.campaign_id == campaign.id)
        )
        if i.response_id is None or session.get(Response, i.response_id).excluded_reason is None
    ]
    mine = [i for i in items if i.id in placed]

    def voice(item):
        return ("r", item.response_id) if item.response_id else ("n", item.id)

    def groups(chosen):
        seen: dict[str, set] = {}
        for item in chosen:
            values = item.demographics.get("area")
            for value in values if isinstance(values, list) else [values]:
                seen.setdefault(value, set()).add(voice(item))
        return Counter({k: len(v) for k, v in seen.items()})

    assert detail.answers == len(mine) == 15 - 1 + 1 + 6
    assert detail.residents == len({voice(i) for i in mine}) == 14 + 6
    area = next(g for g in detail.groups if g.dimension == "area")
    expected, everyone = groups(mine), groups(items)
    every_voice = len({voice(i) for i in items})
    for row in area.rows:
        if row.count is not None:
            assert row.count == expected[row.key]
            assert row.share == expected[row.key] / detail.residents
        if row.everyone_share is not None:
            assert row.everyone_share == everyone[row.key] / every_voice
    assert sum(n for _week, n in detail.by_week) == detail.answers
    # Ratings: the theme's 14 residents still counted rated importance 9 and satisfaction 2.
    bus_row = next(o for o in detail.outcomes if o.outcome == "bus")
    assert (bus_row.importance.mean, bus_row.importance.n) == (9, 14)
    assert (bus_row.satisfaction.mean, bus_row.satisfaction.n) == (2, 14)
    assert bus_row.importance_everyone.n == 29
