"""The quote explorer: residents' words searched and narrowed down, masked, paged, with
small groups kept from view; on SQLite and PostgreSQL (full-text search there)."""

from __future__ import annotations

import re
from html import unescape

import pytest
import sqlalchemy as sa

from analysis import sentiment_scores
from engage.models import FeedbackItem, ThemeAssignment
from engage.responses.services import submit_response
from engage.themes import services as analysis
from engage.themes.engine import EngineSettings
from tests.factories import PASSWORD, make_member, make_survey, make_user
from tests.support.feedback import ENGLISH, SPANISH, bilingual_survey, theme_of


def _url(of, **args) -> str:
    query = "&".join(f"{k}={v}" for k, v in args.items())
    return f"/staff/campaigns/{of.campaign_id}/quotes?{query}"


def _quotes(page: str) -> list[str]:
    return [unescape(q) for q in re.findall(r"<blockquote[^>]*><p>(.*?)</p></blockquote>", page)]


@pytest.fixture
def survey(session):
    survey = bilingual_survey(session, rounds=1)
    submit_response(
        session,
        version=survey.current_version,
        answers={"obstacle": "Call me on 07700 900123 about the bus shelter", "area": "south"},
        language="en",
    )
    for text in ("The 12 bus skips our stop", "Buses are full by 8", "Bus drivers are kind"):
        submit_response(
            session,
            version=survey.current_version,
            answers={"obstacle": text, "area": "north"},
            language="en",
        )
    survey.campaign.suppression_threshold = 3
    session.commit()
    return survey


FIXTURE_TEXTS = [
    "Call me on [PHONE] about the bus shelter",
    "The 12 bus skips our stop",
    "Buses are full by 8",
    "Bus drivers are kind",
]


def test_words_are_found_in_any_language_and_every_word_must_appear(session, staff, survey):
    page = staff.get(_url(survey, q="bus")).text
    quotes = _quotes(page)
    assert "The bus is always late in the morning" in quotes
    assert "Buses never come on time and I miss work" in quotes  # a word's start matches
    assert not any("rent" in q.lower() for q in quotes)
    assert "piece of feedback matches" in page or "pieces of feedback match" in page
    both = _quotes(staff.get(_url(survey, q="bus+late")).text)
    assert both and all("bus" in q.lower() and "late" in q.lower() for q in both)
    spanish = _quotes(staff.get(_url(survey, q="alquiler", language="es")).text)
    assert spanish and set(spanish) <= set(SPANISH["rent"])


def test_contact_details_are_masked_and_filters_narrow_the_list(session, staff, survey):
    quotes = _quotes(staff.get(_url(survey, q="shelter")).text)
    assert quotes == ["Call me on [PHONE] about the bus shelter"]
    english = _quotes(staff.get(_url(survey, language="en")).text)
    assert english and not set(english) & {t for ts in SPANISH.values() for t in ts}
    north = _quotes(staff.get(_url(survey, area="north")).text)
    assert sorted(north) == sorted(
        ["The 12 bus skips our stop", "Buses are full by 8", "Bus drivers are kind"]
    )
    assert _quotes(staff.get(_url(survey, channel="paper")).text) == []


def test_a_small_group_of_residents_is_kept_from_view(session, staff, survey):
    page = staff.get(_url(survey, group="area:north")).text
    assert len(_quotes(page)) == 3  # three residents: at the campaign's threshold
    page = staff.get(_url(survey, group="area:south")).text
    assert _quotes(page) == []
    assert "Fewer than 3 residents of this group match" in unescape(page)
    # A search that narrows a shown group below the threshold is hidden too.
    page = staff.get(_url(survey, group="area:north", q="kind")).text
    assert _quotes(page) == [] and "Fewer than 3 residents" in unescape(page)


def test_a_theme_narrows_to_its_answers_and_each_quote_names_its_theme(session, staff, survey):
    run = analysis.create_run(
        session, campaign=survey.campaign, created_by=None, engine=EngineSettings("tfidf")
    )
    session.commit()
    analysis.run_analysis(session, run.id)
    rent = theme_of(session, run, ENGLISH["rent"][0])
    themes = [rent.id, *(t.id for t in run.themes if t.parent_key == rent.key)]
    placed = session.scalars(
        sa.select(FeedbackItem.redacted_text)
        .join(ThemeAssignment, ThemeAssignment.feedback_item_id == FeedbackItem.id)
        .where(ThemeAssignment.run_id == run.id, ThemeAssignment.theme_id.in_(themes))
    ).all()
    page = staff.get(_url(survey, theme=rent.id)).text
    quotes = _quotes(page)
    assert ENGLISH["rent"][0] in quotes
    assert sorted(quotes) == sorted(placed)  # the theme's answers and its sub-themes', only
    assert len(quotes) < len(_quotes(staff.get(_url(survey)).text))
    assert f'href="/staff/campaigns/{survey.campaign_id}/themes#theme-' in page


def test_many_answers_are_paged(session, staff):
    survey = make_survey(session)
    for number in range(60):
        submit_response(
            session,
            version=survey.current_version,
            answers={"obstacle": f"Answer number {number} about the library"},
            language="en",
        )
    session.commit()
    first = staff.get(_url(survey, q="library")).text
    assert len(_quotes(first)) == 50 and "60 pieces of feedback match." in first
    second = staff.get(_url(survey, q="library", page=2)).text
    assert len(_quotes(second)) == 10
    assert "Answer number 0 about the library" in _quotes(second)  # newest first


@pytest.mark.parametrize(
    "args",
    [
        {"q": "x" * 201},
        {"q": "%00bus"},
        {"q": "%27%3B+drop+table"},
        {"q": "bus%26%7C%21%3A*"},
        {"theme": "99999999999"},
        {"group": "nonsense"},
        {"survey": "abc", "wave": "9"},
        {"page": "99999999999999"},
        {"sentiment": "furious"},
        {"sentiment": "positive", "language": "xx", "q": "bus"},
    ],
)
def test_bad_searches_get_an_answer_never_an_error(session, staff, survey, args):
    response = staff.get(_url(survey, **args))
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert 'class="error-summary"' in response.text


def _analyse(session, survey):
    run = analysis.create_run(
        session, campaign=survey.campaign, created_by=None, engine=EngineSettings("tfidf")
    )
    session.commit()
    analysis.run_analysis(session, run.id)
    return run


def test_sentiment_narrows_english_answers_once_analysed(session, staff, survey):
    before = staff.get(_url(survey, sentiment="positive", language="en")).text
    assert _quotes(before) == []  # not analysed yet: no answer has a sentiment
    assert "only available for answers in English" in unescape(before)
    english = sum(len(texts) for texts in ENGLISH.values()) + 4  # and the fixture's four
    assert f"{english} answers that match the other filters have no sentiment" in unescape(before)
    _analyse(session, survey)
    texts = [*(t for ts in ENGLISH.values() for t in ts), *FIXTURE_TEXTS]
    expected = {"negative": [], "neutral": [], "positive": []}
    for text, score in zip(texts, sentiment_scores(texts, "en"), strict=True):
        kind = "positive" if score >= 0.05 else "negative" if score <= -0.05 else "neutral"
        expected[kind].append(text)
    assert "Bus drivers are kind" in expected["positive"] and expected["negative"]
    for kind, wanted in expected.items():
        assert sorted(_quotes(staff.get(_url(survey, sentiment=kind)).text)) == sorted(wanted)
    north = _quotes(staff.get(_url(survey, sentiment="neutral", area="north")).text)
    assert north == [t for t in expected["neutral"] if t in FIXTURE_TEXTS[1:]] != []
    both = _quotes(staff.get(_url(survey, sentiment="negative", q="bus")).text)
    assert sorted(both) == sorted(t for t in expected["negative"] if "bus" in t.lower())
    page = unescape(staff.get(_url(survey, sentiment="negative")).text)
    spanish = sum(len(texts) for texts in SPANISH.values())
    assert f"{spanish} answers that match the other filters have no sentiment" in page
    scored = session.scalars(
        sa.select(FeedbackItem.sentiment).where(FeedbackItem.campaign_id == survey.campaign_id)
    ).all()
    assert len([s for s in scored if s is not None]) == english


def test_sentiment_says_spanish_answers_have_none(session, staff, survey):
    _analyse(session, survey)
    page = unescape(staff.get(_url(survey, sentiment="negative", language="es")).text)
    assert _quotes(page) == []
    assert "Sentiment is only available for answers in English" in page
    spanish = sum(len(texts) for texts in SPANISH.values())
    assert f"{spanish} answers that match the other filters have no sentiment" in page
    assert "0 pieces of feedback match." in page
    assert "Sentiment is only available" not in staff.get(_url(survey, language="es")).text


def test_a_small_groups_count_without_sentiment_is_kept_from_view(session, staff, survey):
    shown = unescape(staff.get(_url(survey, sentiment="neutral", group="area:north")).text)
    assert "3 answers that match the other filters have no sentiment" in shown
    small = unescape(staff.get(_url(survey, sentiment="neutral", group="area:south")).text)
    assert "Sentiment is only available for answers in English" in small
    assert "no sentiment and" not in small and "Fewer than 3 residents" in small


def test_feedback_placed_after_the_run_is_scored_too(session, staff, survey):
    run = _analyse(session, survey)
    submit_response(
        session,
        version=survey.current_version,
        answers={"obstacle": "The new bus shelter is wonderful, thank you"},
        language="en",
    )
    session.commit()
    analysis.place_new_feedback(session, run)
    session.commit()
    positive = _quotes(staff.get(_url(survey, sentiment="positive")).text)
    assert "The new bus shelter is wonderful, thank you" in positive


def test_only_the_campaigns_workgroups_and_staff_read_its_feedback(session, pages, survey):
    other = make_survey(session)
    make_member(session, other.campaign, email="elsewhere@example.org")
    pages.login("elsewhere@example.org", PASSWORD)
    assert pages.get(_url(survey)).status_code == 404
    pages.submit("/auth/logout", {}, form_page="/staff/")
    make_member(session, survey.campaign, email="here@example.org")
    pages.login("here@example.org", PASSWORD)
    page = pages.get(_url(survey, q="bus")).text
    assert "The bus is always late in the morning" in _quotes(page)
    assert "/staff/responses/" not in page  # members read the words, not the responses
    make_user(session, role="interviewer", email="int@example.org")
    pages.submit("/auth/logout", {}, form_page="/staff/")
    pages.login("int@example.org", PASSWORD)
    assert pages.get(_url(survey)).status_code == 403
