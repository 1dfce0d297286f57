"""The report-back page (issue 14): approval, the public page at /r/<campaign-slug>, the
thank-you link and the scorecard; on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import date

import pytest
import sqlalchemy as sa

from engage.models import (
    AuditEvent,
    BoardPlacement,
    BoardTheme,
    FeedbackItem,
    Opportunity,
    OpportunityStatus,
    ReportBackUpdate,
    Sprint,
)
from engage.reportback import services
from tests.factories import (
    PASSWORD,
    make_campaign,
    make_member,
    make_survey,
    make_user,
    small_definition,
)
from tests.web.test_survey_pages import Resident

TODAY = date(2026, 12, 2)


def _theme(session, campaign, name, n, *, hidden=False, prefix="item"):
    theme = BoardTheme(campaign_id=campaign.id, language="en", label=name, hidden=hidden)
    session.add(theme)
    session.flush()
    items = []
    for i in range(n):
        item = FeedbackItem(
            campaign_id=campaign.id, channel="web", language="en",
            text=f"{prefix} {i} call 555-0100", redacted_text=f"{prefix} {i} call [phone]",
        )  # fmt: skip
        session.add(item)
        session.flush()
        session.add(BoardPlacement(feedback_item_id=item.id, board_theme_id=theme.id))
        items.append(item)
    session.flush()
    return theme, items


@pytest.fixture
def story(session):
    """A campaign with published and unpublished content of every kind."""
    campaign = make_campaign(session, slug="buses", title="Buses in Riverside")
    staff = make_user(session, role="staff", email="staff-rb@example.org")
    big, big_items = _theme(session, campaign, "Late buses", 6, prefix="late")
    small, _ = _theme(session, campaign, "Tiny group", 2, prefix="tiny")
    _theme(session, campaign, "Secret theme", 6, prefix="secret")
    hidden, _ = _theme(session, campaign, "Noise theme", 6, hidden=True, prefix="noise")
    doing = Opportunity(campaign_id=campaign.id, title="Real-time bus signs")
    later = Opportunity(campaign_id=campaign.id, title="Night buses")
    unpublished = Opportunity(campaign_id=campaign.id, title="Unpublished idea")
    sprint = Sprint(
        campaign_id=campaign.id, name="Sprint Signs", starts_on=TODAY, ends_on=date(2026, 12, 16)
    )
    session.add_all([doing, later, unpublished, sprint])
    session.flush()
    later.set_aside("The budget is spent this year", date(2027, 3, 1), today=TODAY)
    publish = [
        ("theme", big.id), ("theme", small.id), ("quote", big_items[0].id),
        ("opportunity", doing.id), ("opportunity", later.id), ("sprint", sprint.id),
    ]  # fmt: skip
    for kind, target in publish:
        services.publish(session, campaign, kind, target, by=staff)
    update = services.add_update(
        session, campaign, language="en", happened_on=date(2026, 11, 20),
        body="We met the transit agency.", by=staff,
    )  # fmt: skip
    translation = services.add_update(
        session, campaign, language="es", happened_on=None,
        body="Nos reunimos con la agencia de transporte.", translation_of=update.id, by=staff,
    )  # fmt: skip
    services.add_update(
        session, campaign, language="en", happened_on=TODAY, body="Draft not approved", by=staff
    )
    services.publish(session, campaign, "update", update.id, by=staff)
    services.publish(session, campaign, "update", translation.id, by=staff)
    session.commit()
    return {"campaign": campaign, "staff": staff, "hidden": hidden, "big_items": big_items}


def test_public_page_shows_only_what_was_approved(client, story):
    html = client.get("/r/buses?lang=en").get_data(as_text=True)
    assert "Late buses" in html and "6 comments" in html
    assert "Tiny group" in html and "fewer than 5 comments" in html and "2 comments" not in html
    assert "Secret theme" not in html and "Noise theme" not in html
    assert "late 0 call [phone]" in html and "555-0100" not in html
    assert "late 1 call" not in html and "secret 0" not in html
    assert "Real-time bus signs" in html and "Sprint Signs" in html
    assert "Night buses" in html and "The budget is spent this year" in html
    assert "Unpublished idea" not in html and "Draft not approved" not in html
    assert "We met the transit agency." in html
    assert "<script" not in html and 'property="og:title"' in html
    assert "What changed because of you" not in html  # no co-design round published


def test_public_page_speaks_the_readers_language_and_marks_direction(client, story):
    spanish = client.get("/r/buses?lang=es").get_data(as_text=True)
    assert "Nos reunimos con la agencia de transporte." in spanish
    assert "We met the transit agency." not in spanish
    fresh = client.application.test_client()  # no language cookie: Accept-Language decides
    arabic = fresh.get("/r/buses", headers={"Accept-Language": "ar"}).get_data(as_text=True)
    assert 'dir="rtl"' in arabic
    # The English update is shown in English, marked as such inside the Arabic page.
    assert '<span lang="en" dir="ltr">We met the transit agency.</span>' in arabic


def test_withdrawing_takes_it_off_and_hidden_themes_and_set_aside_quotes_stay_off(
    client, session, story
):
    campaign, staff = story["campaign"], story["staff"]
    with pytest.raises(services.ReportBackError) as refused:
        services.publish(session, campaign, "theme", story["hidden"].id, by=staff)
    assert refused.value.code == "theme_not_publishable"
    services.withdraw(session, campaign, "quote", story["big_items"][0].id, by=staff)
    session.commit()
    assert "late 0 call" not in client.get("/r/buses").get_data(as_text=True)
    other = make_campaign(session)
    with pytest.raises(services.ReportBackError) as refused:
        services.publish(session, other, "quote", story["big_items"][1].id, by=staff)
    assert refused.value.code == "unknown_item"


def test_every_publication_and_withdrawal_is_audited_through_the_page(pages, session, story):
    campaign = story["campaign"]
    user = make_user(session, role="staff")
    assert pages.login(user.email, PASSWORD).status_code == 302
    url = f"/staff/campaigns/{campaign.id}/report-back"
    item = story["big_items"][2]
    for action in ("publish", "withdraw"):
        data = {"kind": "quote", "target": str(item.id), "action": action}
        response = pages.submit(f"{url}/entries", data, form_page=url)
        assert response.status_code == 303
    events = session.scalars(
        sa.select(AuditEvent).where(AuditEvent.actor_id == user.id).order_by(AuditEvent.id)
    ).all()
    assert [e.action for e in events][-2:] == ["report_back_published", "report_back_withdrawn"]
    assert events[-1].detail == {"kind": "quote", "id": item.id}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "poem", "target": "1", "action": "publish"}, "Choose something offered"),
        ({"kind": "quote", "target": "abc", "action": "publish"}, "no longer exists"),
        ({"kind": "theme", "target": "99999999999", "action": "publish"}, "no longer exists"),
        ({"kind": "sprint", "target": "1", "action": "explode"}, "Choose something offered"),
    ],
)
def test_bad_approval_input_gets_a_translated_error(staff, story, data, message):
    url = f"/staff/campaigns/{story['campaign'].id}/report-back"
    response = staff.submit(f"{url}/entries", data, form_page=url)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_withdrawing_what_is_not_published_is_refused(staff, story):
    url = f"/staff/campaigns/{story['campaign'].id}/report-back"
    data = {"kind": "quote", "target": str(story["big_items"][3].id), "action": "withdraw"}
    response = staff.submit(f"{url}/entries", data, form_page=url)
    assert response.status_code == 400
    assert "not on the public page" in response.get_data(as_text=True)


def test_updates_are_written_then_published_and_bad_ones_refused(staff, session, story):
    campaign = story["campaign"]
    url = f"/staff/campaigns/{campaign.id}/report-back"
    good = {"language": "en", "happened_on": "2026-12-01", "body": "Signs ordered."}
    assert staff.submit(f"{url}/updates", good, form_page=url).status_code == 303
    update = session.scalar(
        sa.select(ReportBackUpdate).where(ReportBackUpdate.body == "Signs ordered.")
    )
    assert update is not None and not update.is_published
    for bad, message in [
        ({**good, "body": ""}, "Write the update."),
        ({**good, "happened_on": "yesterday"}, "Not a valid date"),
        ({**good, "happened_on": ""}, "Enter a date like 2026-03-31."),
        ({**good, "language": "xx"}, "Not a valid choice"),
        ({**good, "translation_of": "12345678"}, "no longer exists"),
        ({**good, "translation_of": str(update.id)}, "Translate an original update"),
    ]:
        response = staff.submit(f"{url}/updates", bad, form_page=url)
        assert response.status_code == 400, bad
        assert message in response.get_data(as_text=True), bad


def test_unknown_slug_is_404_and_an_empty_page_says_nothing_is_published(client, session):
    assert client.get("/r/no-such-campaign").status_code == 404
    assert client.get("/r/%00").status_code == 404  # PostgreSQL cannot even compare a NUL
    make_campaign(session, slug="quiet")
    response = client.get("/r/quiet")
    assert response.status_code == 200
    assert "Nothing has been published here yet" in response.get_data(as_text=True)


def _finish_survey(client) -> str:
    resident = Resident(client, "rb")
    resident.start()
    resident.post({"obstacle": "Late buses", "bus_importance": "6"})
    resident.post({"area": "north"})
    assert resident.location == "/s/rb/thanks"
    return resident.page_html


def test_thank_you_page_links_to_the_report_back_page_once_something_is_published(app, session):
    survey = make_survey(session, definition=small_definition("rb"))
    campaign = survey.campaign
    survey.campaign.report_back_url = "https://example.org/elsewhere"
    session.commit()
    html = _finish_survey(app.test_client())
    assert "/r/" not in html and "https://example.org/elsewhere" in html
    staff = make_user(session, role="staff")
    update = services.add_update(
        session, campaign, language="en", happened_on=TODAY, body="Hello", by=staff
    )
    services.publish(session, campaign, "update", update.id, by=staff)
    session.commit()
    html = _finish_survey(app.test_client())
    assert f'<a href="/r/{campaign.slug}">See what we heard and what is being done</a>' in html


def test_scorecard_for_a_workgroup_member_with_csv_export(pages, session, story):
    campaign = story["campaign"]
    member = make_member(session, campaign)
    assert pages.login(member.email, PASSWORD).status_code == 302
    html = pages.get(f"/staff/campaigns/{campaign.id}/scorecard").get_data(as_text=True)
    assert "Scorecard" in html and "Co-design rounds held" in html
    assert "1 of 3" in html  # one opportunity decided (not now) out of three
    response = pages.get(f"/staff/campaigns/{campaign.id}/scorecard.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert text.splitlines()[0] == "Measure,Value,Out of"
    assert "Decided not now,1," in text


def test_scorecard_counts_time_from_listening_to_reporting_back(session, story):
    from engage.scorecard.services import build_scorecard

    card = build_scorecard(session, story["campaign"], threshold=5)
    assert card.first_report_back_at is not None
    assert card.opportunities_decided == (1, 3) and card.not_now == 1
    assert card.themes_reviewed == (0, 3) and card.rounds_held == 0
    assert OpportunityStatus.NOT_NOW  # the "not now" list counts as decided


def test_the_demo_campaign_has_an_approved_report_back_page_with_a_timeline(client, pages, session):
    from engage.demo_data.loader import DEMO_CAMPAIGN_SLUG, load_demo

    load_demo(session)
    session.commit()
    arabic = client.get(f"/r/{DEMO_CAMPAIGN_SLUG}?lang=ar").get_data(as_text=True)
    assert 'dir="rtl"' in arabic and "أُضيئت أعمدة الإنارة الجديدة" in arabic
    english = client.get(f"/r/{DEMO_CAMPAIGN_SLUG}?lang=en").get_data(as_text=True)
    assert "New street lights are on along Station Road." in english
    assert "Buses residents can count on" in english and english.count("rb-quote") == 3
    # Two themes of the demo's board, in the workgroup's words.
    assert "Buses we can count on" in english and "Información y atención en español" in english
    assert "What we decided not to do now, and why" in english
    campaign_id = services.get_campaign_by_slug(session, DEMO_CAMPAIGN_SLUG).id
    assert pages.login("member@example.org", "engage-demo").status_code == 302
    card = pages.get(f"/staff/campaigns/{campaign_id}/scorecard").get_data(as_text=True)
    assert "Wave over wave" in card and "Not reported back yet" not in card
    assert "Largest representativeness gaps" in card and "No gap to show" not in card
    # The demo's two co-design rounds (60 and 36 residents) count on the scorecard.
    rounds = re.search(r"Co-design rounds held</th><td class=\"numeric\">(\d+)<", card)
    residents = re.search(
        r"Residents who took part in co-design rounds</th><td class=\"numeric\">(\d+)<", card
    )
    assert (rounds[1], residents[1]) == ("2", "96")


def test_scorecard_csv_is_formula_safe():
    from engage.scorecard.services import Gap, Scorecard, scorecard_csv

    card = Scorecard(
        residents_heard=12, gaps=[Gap("area", "=HYPERLINK(1)", 0.1, 0.3)],
        themes_reviewed=(1, 2), opportunities_decided=(0, 0), not_now=0,
        sprints_completed=(0, 0), rounds_held=0, round_residents=0, first_response_at=None,
        first_report_back_at=None,
    )  # fmt: skip
    labels = dict.fromkeys(
        ["measure", "value", "out_of", "residents_heard", "themes_reviewed", "not_now",
         "opportunities_decided", "sprints_completed", "rounds_held", "round_residents",
         "days_to_report_back",
         "wave"], "x",
    )  # fmt: skip
    text = scorecard_csv(card, {**labels, "gap": "=gap"})
    assert "\n=" not in text and "'=gap: area = =HYPERLINK(1)" in text and ",-0.2," in text
