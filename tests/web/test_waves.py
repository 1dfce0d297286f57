"""Waves: the same survey asked again. A response's wave comes from when it was sent;
staff start a wave (asked first, audited); the responses list filters by wave and the
dashboard narrows to one and compares it with the wave before, small counts hidden."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from engage.campaigns.waves import Wave, count_by_wave, start_wave, wave_of, waves_of
from engage.dashboard.waves import wave_change
from engage.models import (
    AuditEvent,
    IllegalTransition,
    Response,
    ResponseDraft,
    Survey,
    SurveyWave,
)
from engage.responses.services import submit_response
from engage.web.messages import audit_detail_text
from tests.factories import full_definition, make_campaign, make_survey

WAVE_2 = datetime(2026, 6, 1, tzinfo=UTC)
BASE = {"agree": True, "obstacle": "Buses", "area": "north"}


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def _send(session, version, when, *, lives_here, topics, importance, years=None):
    answers = {**BASE, "lives_here": lives_here, "topics": topics, "bus_importance": importance}
    if lives_here == "yes":
        answers["years"] = years
    return submit_response(
        session, version=version, answers=answers, language="en", submitted_at=when
    ).response


@pytest.fixture
def waves(session):
    """Wave 1: 20 people, 12 live here; buses 16, rent 4 (a small count).
    Wave 2 (from 1 June): 30 people, 24 live here; buses 20, rent 10; one set aside."""
    campaign = make_campaign(session)
    survey = make_survey(session, campaign=campaign, definition=full_definition("waves"))
    version = survey.versions[0]
    start = datetime(2026, 3, 2, 9, tzinfo=UTC)
    for n in range(20):
        _send(
            session,
            version,
            start + timedelta(days=n),
            lives_here="yes" if n < 12 else "no",
            topics=["bus"] if n < 16 else ["rent"],
            importance=5,
            years=10,
        )
    survey.start_wave(at=WAVE_2)
    for n in range(30):
        # The first is sent at the very moment wave 2 starts: it belongs to wave 2.
        _send(
            session,
            version,
            WAVE_2 + timedelta(hours=n),
            lives_here="yes" if n < 24 else "no",
            topics=["bus"] if n < 20 else ["rent"],
            importance=8,
            years=12,
        )
    spam = _send(session, version, WAVE_2 + timedelta(days=3), lives_here="no", topics=[],
                 importance=0)  # fmt: skip
    spam.exclude("spam", "", by=None)
    session.commit()
    return SimpleNamespace(campaign_id=campaign.id, survey_id=survey.id)


# -- the wave of a response ---------------------------------------------------------------


def test_a_response_belongs_to_the_last_wave_started_before_it(session, waves):
    survey = session.get(Survey, waves.survey_id)
    found = waves_of(survey)
    assert [(w.number, w.starts_at, w.ends_at) for w in found] == [
        (1, None, WAVE_2),
        (2, WAVE_2, None),
    ]
    assert wave_of(found, WAVE_2 - timedelta(microseconds=1)).number == 1
    assert wave_of(found, WAVE_2).number == 2
    # A paper form typed in later with its real, earlier date falls in wave 1.
    assert wave_of(found, datetime(2020, 1, 1, tzinfo=UTC)).number == 1
    assert not found[0].contains(WAVE_2) and found[1].contains(WAVE_2)
    assert count_by_wave(session, survey) == {1: 20, 2: 30}  # the one set aside: nowhere


def test_three_waves_split_time_in_order():
    third = WAVE_2 + timedelta(days=90)
    found = [Wave(1, "", None, WAVE_2), Wave(2, "", WAVE_2, third), Wave(3, "Autumn", third)]
    assert [wave_of(found, m).number for m in (WAVE_2, third - timedelta(seconds=1), third)] == [
        2,
        2,
        3,
    ]


def test_a_wave_needs_a_published_survey_and_starts_after_the_last(session):
    draft = make_survey(session, published=False)
    with pytest.raises(IllegalTransition) as refused:
        draft.start_wave(at=WAVE_2)
    assert refused.value.code == "survey_never_published"
    survey = make_survey(session)
    survey.start_wave(at=WAVE_2, label="  Summer  ")
    assert survey.wave_count == 2 and survey.waves[0].label == "Summer"
    with pytest.raises(IllegalTransition) as refused:
        survey.start_wave(at=WAVE_2)
    assert refused.value.code == "wave_not_after_previous"
    survey.close()
    survey.start_wave(at=WAVE_2 + timedelta(days=1))
    assert survey.status == "published" and survey.wave_count == 3  # a new wave opens it


def test_two_requests_starting_the_same_wave_store_one(session):
    survey = make_survey(session)
    assert survey.wave_count == 1  # what this request saw
    values = {"survey_id": survey.id, "number": 2, "starts_at": WAVE_2, "created_at": WAVE_2}
    session.execute(sa.insert(SurveyWave).values(**values))  # another request, just now
    with pytest.raises(IllegalTransition) as refused:
        start_wave(session, survey, label="again")
    assert refused.value.code == "wave_already_started"
    assert survey.wave_count == 2 and survey.waves[0].label == ""
    assert session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == 0


# -- wave over wave ------------------------------------------------------------------------


def test_wave_over_wave_shares_points_and_means(session, waves):
    survey = session.get(Survey, waves.survey_id)
    change = wave_change(session, survey.campaign, survey, None, 5)
    assert (change.previous.number, change.current.number) == (1, 2)
    assert change.respondents == (20, 30)
    by_code = {q.question.code: q for q in change.questions}
    lives = {o.key: o for o in by_code["lives_here"].options}
    assert (lives["yes"].before.share, lives["yes"].after.share) == (0.6, 0.8)
    assert lives["yes"].points == pytest.approx(20.0)
    assert lives["no"].points == pytest.approx(-20.0)
    topics = {o.key: o for o in by_code["topics"].options}
    # Rent (4) is below 5 in wave 1, so it is hidden, and buses with it (else 20 − 16);
    # their shares and changes are hidden too. Wave 2's counts are all shown.
    assert topics["rent"].before == topics["bus"].before
    assert topics["rent"].before.count is None and topics["rent"].before.share is None
    assert topics["rent"].points is None and topics["bus"].points is None
    assert topics["rent"].after.count == 10 and topics["bus"].after.count == 20
    assert by_code["topics"].hidden == 2
    assert by_code["bus_importance"].means == (5.0, 8.0)
    assert by_code["bus_importance"].mean_change == pytest.approx(3.0)
    assert by_code["years"].means == (10.0, 12.0)
    assert "agree" not in by_code  # consent: not compared


def test_a_mean_of_fewer_people_than_the_threshold_is_hidden(session, waves):
    survey = session.get(Survey, waves.survey_id)
    change = wave_change(session, survey.campaign, survey, None, 13)
    years = next(q for q in change.questions if q.question.code == "years")
    assert years.means == (None, 12.0)  # 12 people in wave 1 answered it


def test_one_wave_has_nothing_to_compare(session):
    survey = make_survey(session)
    assert wave_change(session, survey.campaign, survey, None, 5) is None


# -- pages -------------------------------------------------------------------------------


def test_staff_start_a_wave_after_confirming_and_it_is_audited(staff, session):
    survey = make_survey(session)
    base = f"/staff/surveys/{survey.id}"
    assert f'href="{base}/waves/new"' in staff.get(base).get_data(as_text=True)
    confirm = _text(staff.get(f"{base}/waves/new"))
    assert "Start wave 2?" in confirm and "Wave 1" in confirm
    assert session.get(Survey, survey.id).wave_count == 1  # asking changed nothing
    response = staff.submit(
        f"{base}/waves/new", {"number": "2", "label": "Spring 2027"}, form_page=f"{base}/waves/new"
    )
    assert response.status_code == 302
    assert "Wave 2 has started" in _text(staff.get(base))
    # A second click on the same page starts nothing more.
    staff.submit(f"{base}/waves/new", {"number": "2"}, form_page=f"{base}/settings")
    assert "Wave 2 has already started." in _text(staff.get(base))
    session.expire_all()
    survey = session.get(Survey, survey.id)
    assert survey.wave_count == 2 and survey.waves[0].label == "Spring 2027"
    event = session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "wave_started"))
    assert event.subject_id == survey.id and event.detail == {"wave": 2, "label": "Spring 2027"}
    assert audit_detail_text("wave_started", event.detail) == "Wave 2 · Spring 2027"


def test_a_too_long_wave_name_is_refused_and_kept(staff, session):
    survey = make_survey(session)
    url = f"/staff/surveys/{survey.id}/waves/new"
    response = staff.submit(url, {"number": "2", "label": "x" * 81})
    assert response.status_code == 400
    assert "x" * 81 in response.get_data(as_text=True)
    assert session.get(Survey, survey.id).wave_count == 1


def test_a_wave_cannot_start_on_a_draft(staff, session):
    draft = make_survey(session, published=False)
    url = f"/staff/surveys/{draft.id}/waves/new"
    assert "Publish the survey before starting a new wave." in _text(staff.get(url))
    staff.submit(url, {"number": "2"}, form_page=f"/staff/surveys/{draft.id}/settings")
    assert "Publish the survey before starting a new wave." in _text(
        staff.get(f"/staff/surveys/{draft.id}")
    )
    assert session.get(Survey, draft.id).wave_count == 1


def test_the_responses_list_filters_by_wave(staff, session, waves):
    url = f"/staff/campaigns/{waves.campaign_id}/responses"
    assert 'name="wave"' not in staff.get(url).get_data(as_text=True)  # no survey chosen
    page = staff.get(f"{url}?survey={waves.survey_id}").get_data(as_text=True)
    assert 'name="wave"' in page and "Wave 2" in page
    assert "20 responses match." in _text(staff.get(f"{url}?survey={waves.survey_id}&wave=1"))
    assert "30 responses match." in _text(staff.get(f"{url}?survey={waves.survey_id}&wave=2"))
    # A wave the survey does not have is ignored, not an error.
    response = staff.get(f"{url}?survey={waves.survey_id}&wave=7")
    assert response.status_code == 200 and "50 responses match." in _text(response)


def test_answers_started_and_not_sent_are_listed_by_the_wave_they_began_in(staff, session, waves):
    version = session.get(Survey, waves.survey_id).versions[0]
    for n, started in enumerate((WAVE_2 - timedelta(days=1), WAVE_2, WAVE_2 + timedelta(days=1))):
        draft = ResponseDraft(
            survey_version_id=version.id,
            token_hash=f"{n}" * 64,
            resume_code_hash=f"r{n}".ljust(64, "x"),
            language="en",
            idempotency_key=f"draft-{n}",
            started_at=started,
            expires_at=WAVE_2 + timedelta(days=30),
        )
        session.add(draft)
    session.commit()
    url = f"/staff/campaigns/{waves.campaign_id}/responses?status=partial&survey={waves.survey_id}"
    assert "1 survey started and not sent." in _text(staff.get(f"{url}&wave=1"))
    assert "2 surveys started and not sent." in _text(staff.get(f"{url}&wave=2"))


def test_the_response_page_names_its_wave(staff, session, waves):
    first = session.scalar(sa.select(Response.id).where(Response.submitted_at == WAVE_2))
    assert "Wave Wave 2 " in _text(staff.get(f"/staff/responses/{first}"))
    single = make_survey(session, campaign=session.get(Survey, waves.survey_id).campaign)
    other = submit_response(
        session, version=single.versions[0], answers={"obstacle": "Rent"}, language="en"
    ).response
    session.commit()
    assert "Wave" not in _text(staff.get(f"/staff/responses/{other.id}"))


def test_the_dashboard_narrows_to_a_wave_and_compares_it(staff, waves):
    url = f"/staff/campaigns/{waves.campaign_id}/dashboard?survey={waves.survey_id}"
    page = _text(staff.get(url))
    assert "50 responses counted." in page
    assert "Wave over wave" in page and "Wave 2 compared with Wave 1." in page
    assert f"responses?survey={waves.survey_id}&amp;wave=2" in staff.get(url).get_data(as_text=True)
    assert re.search(r"Responses in each wave Wave 1 Wave 2 Change 20 30 \+10 ", page)
    assert re.search(r"Yes 60% 80% \+20\.0 ", page)
    assert re.search(r"Rent — 33% — ", page)  # hidden in wave 1: no change shown
    assert re.search(r"bus_importance 5 8 \+3\.0 ", page)
    second = _text(staff.get(f"{url}&wave=2"))
    assert "30 responses counted." in second and "Wave 2 compared with Wave 1." in second
    first = _text(staff.get(f"{url}&wave=1"))
    assert "20 responses counted." in first and "Wave over wave" not in first
    assert staff.get(f"{url}&wave=9").status_code == 200  # not a wave: all waves


def test_a_survey_with_one_wave_offers_no_wave_choice(staff, session):
    survey = make_survey(session)
    page = staff.get(f"/staff/campaigns/{survey.campaign_id}/dashboard").get_data(as_text=True)
    assert 'name="wave"' not in page and "Wave over wave" not in page


# -- the demo ----------------------------------------------------------------------------


def test_the_demo_has_two_waves_every_channel_and_a_story(session):
    from engage.dashboard.services import build_dashboard
    from engage.dashboard.targeting import TargetCounter
    from engage.demo_data.loader import load_demo
    from engage.exports.services import survey_by_slug
    from engage.models import FeedbackItem, ListeningSession, TrackedLink

    load_demo(session)
    session.commit()
    survey = survey_by_slug(session, "demo")
    first, second = waves_of(survey)
    assert all(n >= 100 for n in count_by_wave(session, survey).values())

    def arabic_share(wave: Wave) -> float:
        languages = session.scalars(
            sa.select(Response.language).where(*wave.conditions(Response.submitted_at))
        ).all()
        return languages.count("ar") / len(languages)

    # Arabic speakers (15% of the community) were under-heard, then reached.
    assert arabic_share(first) < 0.1 < 0.2 < arabic_share(second)
    change = wave_change(session, survey.campaign, survey, None, 5)
    bus = next(q for q in change.questions if q.question.code == "satisfaction_reliable_bus")
    assert bus.mean_change > 1
    channels = set(session.scalars(sa.select(Response.channel).distinct()))
    assert {"web", "interviewer", "paper"} <= channels
    interviews = session.scalars(sa.select(Response).where(Response.channel == "interviewer"))
    assert all(r.entered_by_id and r.place for r in interviews)
    notes = session.scalars(
        sa.select(FeedbackItem.language).where(FeedbackItem.channel == "session")
    ).all()
    assert {"en", "es", "ar"} <= set(notes)
    campaign = survey.campaign
    # Outreach: a good share of web answers came through the tracked links, each named.
    links = {link.tag: link.label for link in session.scalars(sa.select(TrackedLink))}
    assert set(links.values()) == {"Library flyer", "School newsletter", "Clinic poster"}
    board = build_dashboard(session, campaign, survey=None, threshold=5)
    by_source = {row.key: row.count for row in board.by_source.rows}
    assert set(by_source) == {"", *links}
    web = session.scalar(sa.select(sa.func.count()).where(Response.channel == "web"))
    assert 0.3 < sum(n for tag, n in by_source.items() if tag) / web < 0.7
    # Race/ethnicity against the community's make-up: Asian residents under-heard
    # throughout, Middle Eastern and North African residents until wave 2.
    race = next(b for b in board.representativeness if b.dimension == "race_ethnicity")
    assert [row.key for row in race.under_heard] == ["asian"]
    spring = build_dashboard(session, campaign, survey=survey, threshold=5, wave=first)
    race = next(b for b in spring.representativeness if b.dimension == "race_ethnicity")
    assert {"mena", "asian"} <= {row.key for row in race.under_heard}
    targets = TargetCounter(campaign, 5)
    build_dashboard(session, campaign, survey=None, threshold=5, observers=[targets.add])
    asian = next(t for t in targets.targets(board.representativeness) if t.group == "asian")
    assert asian.ways.get("source")
    # The campaign's dates hold every answer and every session.
    first_answer, last_answer = session.execute(
        sa.select(sa.func.min(Response.submitted_at), sa.func.max(Response.submitted_at))
    ).one()
    held = session.scalars(sa.select(ListeningSession.held_on)).all()
    assert campaign.opens_on <= min(first_answer.date(), *held)
    assert campaign.closes_on is None or max(last_answer.date(), *held) <= campaign.closes_on
    assert campaign.is_open


def test_each_compared_question_has_a_chart_of_both_waves_hidden_shares_not_drawn(staff, waves):
    url = f"/staff/campaigns/{waves.campaign_id}/dashboard?survey={waves.survey_id}"
    page = staff.get(url).get_data(as_text=True)
    section = page[page.index('id="waves-title"') :]
    svgs = re.findall(r"<svg .*?</svg>", section, flags=re.S)
    lives = next(s for s in svgs if 'id="chart-wave-lives_here-title"' in s)
    assert 'role="img"' in lives and 'direction="ltr"' in lives
    assert "Yes: Wave 1: 60% / Wave 2: 80%" in lives  # the figures in words
    assert lives.count("chart-bar--reference") == 3  # the legend's and one per option
    topics = next(s for s in svgs if 'id="chart-wave-topics-title"' in s)
    rent = re.search(r'<g class="chart-item">\s*<text class="chart-label"[^>]*>Rent.*?</g>',
                     topics, re.S).group(0)  # fmt: skip
    # Wave 1's rent (4 people) is hidden: no bar, said to be hidden, never 0%.
    assert "chart-bar--reference" not in rent and "chart-bar--value" in rent
    assert "Wave 1: hidden for privacy" in rent and "Wave 2: 33%" in rent
    assert "0%" not in rent.replace("Wave 2: 33%", "")
    # Each chart stands beside its table.
    assert section.count('class="chart-pair') == len(svgs) >= 2
    arabic = staff.get(f"{url}&lang=ar").get_data(as_text=True)
    waves_ar = re.findall(r"<svg .*?</svg>", arabic[arabic.index('id="waves-title"') :], re.S)
    assert waves_ar and all('direction="rtl"' in s for s in waves_ar)
