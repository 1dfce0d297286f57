"""Residents' personal data: the retention purge and deleting one resident's data.

Each test checks what is deleted *and* that nothing else is, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from engage.cli import delete_resident_command, purge_command
from engage.extensions import db
from engage.models import (
    AnalysisRun,
    Answer,
    AuditEvent,
    Campaign,
    ContactOptIn,
    FeedbackItem,
    Response,
    ResponseDraft,
    Theme,
    ThemeAssignment,
)
from engage.models.audit import AuditAction
from engage.orm import utcnow
from engage.privacy.services import purge_expired_contacts
from engage.resident.drafts import resume_code_hash
from engage.responses.services import submit_response
from tests.factories import make_campaign, make_survey
from tests.support.client import csrf_token_from

TODAY = date(2026, 12, 1)
RESIDENT_TEXT = "The bus never comes on time, write to me at rosa@example.org"


def table_counts(session) -> dict[str, int]:
    """Rows in every table, to show what a deletion touched and what it did not."""
    return {
        table.name: session.scalar(sa.select(sa.func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


def _answer(session, survey, text, area="north"):
    return submit_response(
        session,
        version=survey.current_version,
        answers={"obstacle": text, "bus_importance": 7, "area": area},
        language="en",
    ).response


def _contact(session, campaign, contact, name=""):
    opt_in = ContactOptIn(campaign_id=campaign.id, name=name, contact=contact, language="en")
    session.add(opt_in)
    session.flush()
    return opt_in


# -- retention ----------------------------------------------------------------------


@pytest.fixture
def campaigns(session):
    expired = make_campaign(session, contacts_retained_until=TODAY - timedelta(days=1))
    today = make_campaign(session, contacts_retained_until=TODAY)
    undated = make_campaign(session)
    for campaign in (expired, today, undated):
        survey = make_survey(session, campaign=campaign)
        _answer(session, survey, f"Rent is too high in {campaign.slug}")
        _contact(session, campaign, f"someone@{campaign.slug}.example.org", name="Someone")
        _contact(session, campaign, "+1 555 0100")
    session.commit()
    return expired, today, undated


def test_purge_deletes_only_contacts_of_campaigns_past_their_date(session, campaigns):
    expired, today, undated = campaigns
    before = table_counts(session)

    purged = purge_expired_contacts(session, TODAY)
    session.commit()

    assert [(p.campaign_id, p.contacts_deleted) for p in purged] == [(expired.id, 2)]
    remaining = set(session.scalars(sa.select(ContactOptIn.campaign_id)))
    assert remaining == {today.id, undated.id}
    after = table_counts(session)
    assert after["contact_opt_ins"] == before["contact_opt_ins"] - 2
    assert after["audit_events"] == before["audit_events"] + 1
    unchanged = {k: v for k, v in before.items() if k not in ("contact_opt_ins", "audit_events")}
    assert {k: after[k] for k in unchanged} == unchanged  # answers and feedback kept
    event = session.scalar(sa.select(AuditEvent))
    assert event.action == AuditAction.DATA_PURGED
    assert event.subject_id == expired.id
    assert event.detail == {"contacts_deleted": 2, "retained_until": "2026-11-30", "via": "job"}


def test_purge_twice_deletes_and_records_nothing_more(session, campaigns):
    purge_expired_contacts(session, TODAY)
    session.commit()
    before = table_counts(session)
    assert purge_expired_contacts(session, TODAY) == []
    assert table_counts(session) == before


def test_engage_purge_command_runs_the_purge(app, session, campaigns):
    expired, today, _ = campaigns
    today.contacts_retained_until = date.today() - timedelta(days=1)
    expired.contacts_retained_until = date.today() - timedelta(days=2)
    session.commit()
    result = app.test_cli_runner().invoke(purge_command)
    assert result.exit_code == 0, result.output
    assert f"{expired.title}: 2 contact details deleted." in result.output
    assert "Purge done: 2 campaign(s)" in result.output
    assert set(session.scalars(sa.select(ContactOptIn.campaign_id))) == {campaigns[2].id}
    again = app.test_cli_runner().invoke(purge_command, ["--in-background"])
    assert again.exit_code == 0 and "Purge done (no queue)." in again.output


def test_staff_set_the_retention_date_and_the_campaign_page_shows_it(staff, session):
    campaign = make_campaign(session)
    url = f"/staff/campaigns/{campaign.id}/edit"
    page = staff.get(url).get_data(as_text=True)
    assert "No retention date" in page
    assert "deleted the day after this date" in page  # the field's help text
    response = staff.submit(
        url,
        {
            "title": campaign.title,
            "slug": campaign.slug,
            "languages": ["en"],
            "status": "open",
            "contacts_retained_until": "2027-03-31",
        },
    )
    assert response.status_code == 302
    session.refresh(campaign)
    assert campaign.contacts_retained_until == date(2027, 3, 31)
    page = staff.get(url).get_data(as_text=True)
    assert "are deleted after March 31, 2027" in page


def test_a_bad_retention_date_is_an_error_on_the_form(staff, session):
    campaign = make_campaign(session)
    url = f"/staff/campaigns/{campaign.id}/edit"
    response = staff.submit(
        url,
        {
            "title": campaign.title,
            "slug": campaign.slug,
            "languages": ["en"],
            "status": "open",
            "contacts_retained_until": "31/31/2027",
        },
    )
    assert response.status_code == 400
    session.refresh(campaign)
    assert campaign.contacts_retained_until is None


# -- one resident's data ------------------------------------------------------------


@pytest.fixture
def resident(session):
    """Rosa's response (with a draft, feedback quoted in a theme) and contact, among others."""
    campaign = make_campaign(session)
    survey = make_survey(session, campaign=campaign)
    rosa = _answer(session, survey, RESIDENT_TEXT)
    other = _answer(session, survey, "The bus is always late in the morning", area="south")
    elsewhere = _answer(session, make_survey(session), "Parks need more benches")
    session.add(
        ResponseDraft(
            survey_version_id=survey.current_version.id,
            token_hash="t" * 64,
            resume_code_hash=resume_code_hash("K7MX3PQA"),
            language="en",
            answers={"obstacle": RESIDENT_TEXT},
            idempotency_key="draft-rosa",
            response_id=rosa.id,
            expires_at=utcnow() + timedelta(days=30),
        )
    )
    _contact(session, campaign, "Rosa@Example.org", name="Rosa")
    _contact(session, campaign, "someone.else@example.org", name="Sam")
    items = {item.response_id: item for item in session.scalars(sa.select(FeedbackItem)).all()}
    run = AnalysisRun(campaign=campaign, status="done")
    session.add(run)
    session.flush()
    theme = Theme(
        run=run,
        key=0,
        parent_key=None,
        language="en",
        label="The bus",
        representatives=[
            {"row": 0, "text": items[rosa.id].redacted_text, "item_id": items[rosa.id].id},
            {"row": 1, "text": items[other.id].redacted_text, "item_id": items[other.id].id},
        ],
        job={
            "statement": "When …",
            "obstacles": [{"row": 0, "text": items[rosa.id].redacted_text}],
        },
    )
    parks = {"obstacles": [{"row": 2, "text": "Parks need more benches"}]}
    untouched = Theme(run=run, key=1, parent_key=None, language="en", label="Parks", job=parks)
    session.add_all([theme, untouched])
    session.flush()
    session.add_all(
        ThemeAssignment(run_id=run.id, feedback_item_id=items[r.id].id, theme_id=theme.id)
        for r in (rosa, other)
    )
    session.commit()
    return {
        "rosa": rosa.id,
        "other": other.id,
        "elsewhere": elsewhere.id,
        "theme": theme.id,
        "untouched": untouched.id,
    }


def _assert_only_rosa_deleted(session, resident, before):
    after = table_counts(session)
    expected = {
        "responses": -1,
        "answers": -3,
        "feedback_items": -1,
        "theme_assignments": -1,
        "response_drafts": -1,
        "contact_opt_ins": -1,
        "audit_events": +1,
    }
    assert {k: after[k] - before[k] for k in before if after[k] != before[k]} == expected
    assert set(session.scalars(sa.select(Response.id))) == {
        resident["other"],
        resident["elsewhere"],
    }
    assert set(session.scalars(sa.select(ContactOptIn.name))) == {"Sam"}
    theme = session.get(Theme, resident["theme"])
    session.refresh(theme)
    assert [q["item_id"] for q in theme.representatives] != []
    assert not any("never comes" in q["text"] for q in theme.representatives)
    assert theme.job is None  # it quoted her
    assert session.get(Theme, resident["untouched"]).job is not None
    event = session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == AuditAction.RESIDENT_DATA_DELETED)
    )
    assert event.detail["response_ids"] == [resident["rosa"]]
    assert event.detail["responses"] == 1 and event.detail["contacts"] == 1
    assert "rosa" not in str(event.detail).lower() and "example.org" not in str(event.detail)
    return event


def _search(staff, **data):
    return staff.submit("/staff/privacy/resident-data", {"contact": "", "reference": "", **data})


HIDDEN = re.compile(r'<input[^>]*name="(response_ids|contact_ids|found_by)"[^>]*value="([^"]*)"')


def _confirm(staff, html):
    fields = dict(HIDDEN.findall(html))
    token = csrf_token_from(html.split('action="/staff/privacy/resident-data/delete"')[1])
    return staff.client.post(
        "/staff/privacy/resident-data/delete", data={**fields, "csrf_token": token}
    )


def test_staff_find_a_resident_by_email_see_what_goes_and_delete_it(staff, session, resident):
    before = table_counts(session)
    found = _search(staff, contact="  rosa@example.ORG ")
    html = found.get_data(as_text=True)
    assert found.status_code == 200
    assert "Rosa@Example.org" in html  # her contact row
    assert f">{resident['rosa']}<" in html  # her response: she wrote the address in it
    assert "someone.else@example.org" not in html
    assert f">{resident['other']}<" not in html
    assert "answers (3)" in html and "(1)" in html
    assert table_counts(session) == before  # finding deletes nothing

    deleted = _confirm(staff, html)
    assert deleted.status_code == 302
    page = staff.get("/staff/privacy/resident-data").get_data(as_text=True)
    assert "responses: 1, contact details: 1" in page
    event = _assert_only_rosa_deleted(session, resident, before)
    assert event.detail["found_by"] == "contact"
    assert event.actor_email.startswith("user")


def test_staff_find_a_response_by_number_or_resume_code(staff, session, resident):
    by_number = _search(staff, reference=str(resident["rosa"])).get_data(as_text=True)
    assert f">{resident['rosa']}<" in by_number and "Rosa@Example.org" not in by_number
    by_code = _search(staff, reference="k7mx-3pqa").get_data(as_text=True)
    assert f">{resident['rosa']}<" in by_code
    before = table_counts(session)
    assert _confirm(staff, by_code).status_code == 302
    after = table_counts(session)
    assert before["responses"] - after["responses"] == 1
    assert after["contact_opt_ins"] == before["contact_opt_ins"]  # not asked for


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Enter an e-mail address or phone number, or a response number."),
        ({"reference": "not a code!"}, "Enter a response number, like 1234, or a resume code"),
        ({"reference": "x" * 41}, "Use at most 40 characters."),
        ({"contact": "a\x00b@example.org"}, "cannot be saved"),
    ],
)
def test_a_bad_search_is_a_clear_error(staff, session, resident, data, message):
    response = _search(staff, **data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_a_search_that_finds_nothing_says_so(staff, session, resident):
    searches = [
        {"contact": "nobody@example.org"},
        {"reference": "99999999999999"},
        {"reference": "AAAA-BBBB"},
    ]
    for data in searches:
        html = _search(staff, **data).get_data(as_text=True)
        assert "Nothing was found" in html
        assert "Delete this data" not in html


def test_confirming_twice_or_with_forged_ids_deletes_nothing_more(staff, session, resident):
    html = _search(staff, reference=str(resident["rosa"])).get_data(as_text=True)
    assert _confirm(staff, html).status_code == 302
    before = table_counts(session)
    assert _confirm(staff, html).status_code == 302
    page = staff.get("/staff/privacy/resident-data").get_data(as_text=True)
    assert "nothing left to delete" in page
    token = csrf_token_from(page)
    forged = staff.client.post(
        "/staff/privacy/resident-data/delete",
        data={"response_ids": "1;DROP", "contact_ids": "99999999999999999999", "csrf_token": token},
    )
    assert forged.status_code == 302
    assert table_counts(session) == before


def test_an_address_inside_a_longer_one_is_not_a_match(session, resident):
    from engage.privacy.services import find_resident_data

    survey = make_survey(session)
    larosa = _answer(session, survey, "Write to larosa@example.org or rosa@example.org.uk")
    session.commit()
    found = find_resident_data(session, contact="rosa@example.org")
    assert [r.id for r in found.responses] == [resident["rosa"]]
    assert [r.id for r in find_resident_data(session, contact="LAROSA@example.org").responses] == [
        larosa.id
    ]


def test_phone_numbers_match_however_they_were_typed(session, resident):
    from engage.privacy.services import find_resident_data

    campaign = session.scalar(sa.select(Campaign).order_by(Campaign.id))
    _contact(session, campaign, "+1 (555) 010-2030", name="Ana")
    session.commit()
    found = find_resident_data(session, contact="15550102030")
    assert [c.name for c in found.contacts] == ["Ana"]
    assert find_resident_data(session, contact="555").is_empty  # too short to be anyone's


def test_engage_delete_resident_by_email(app, session, resident):
    before = table_counts(session)
    result = app.test_cli_runner().invoke(
        delete_resident_command, ["--email", "rosa@example.org", "--yes"]
    )
    assert result.exit_code == 0, result.output
    assert f"response {resident['rosa']}:" in result.output
    assert "Deleted 1 response(s) and 1 contact detail(s)." in result.output
    session.expire_all()
    event = _assert_only_rosa_deleted(session, resident, before)
    assert event.actor_id is None and event.detail["via"] == "command line"


def test_engage_delete_resident_by_response_asks_first(app, session, resident):
    before = table_counts(session)
    runner = app.test_cli_runner()
    result = runner.invoke(
        delete_resident_command, ["--response", str(resident["rosa"])], input="n\n"
    )
    assert result.exit_code != 0
    assert table_counts(session) == before
    result = runner.invoke(
        delete_resident_command, ["--response", str(resident["rosa"])], input="y\n"
    )
    assert result.exit_code == 0, result.output
    session.expire_all()
    assert session.get(Response, resident["rosa"]) is None
    assert session.scalar(sa.select(sa.func.count()).select_from(Answer)) == 6


def test_engage_delete_resident_refusals(app, session, resident):
    runner = app.test_cli_runner()
    cases = [
        ([], "Give --email, --phone or --response."),
        (["--email", "nobody@example.org", "--yes"], "Nothing was found"),
        (["--response", "what?", "--yes"], "response number, like 1234"),
    ]
    for args, message in cases:
        result = runner.invoke(delete_resident_command, args)
        assert result.exit_code != 0
        assert message in result.output


def test_a_worker_runs_the_purge_queued_by_engage_purge(backend, database_factory):
    import secrets

    from engage.jobs import work
    from tests.support.databases import make_migrated_app
    from tests.support.redis import require_redis

    app = make_migrated_app(
        database_factory.create(backend),
        REDIS_URL=require_redis(),
        JOB_QUEUE_NAME=f"engage-test-{secrets.token_hex(4)}",
    )
    with app.app_context():
        campaign = Campaign(
            slug="old", title="Old", contacts_retained_until=date.today() - timedelta(days=3)
        )
        db.session.add(campaign)
        db.session.flush()
        _contact(db.session, campaign, "someone@example.org")
        db.session.commit()
        result = app.test_cli_runner().invoke(purge_command, ["--in-background"])
        assert result.exit_code == 0 and "Purge queued (job " in result.output
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ContactOptIn)) == 1
        work(app, burst=True, fork=False)
        db.session.remove()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ContactOptIn)) == 0
        assert db.session.scalar(sa.select(AuditEvent.action)) == AuditAction.DATA_PURGED
        db.session.remove()
