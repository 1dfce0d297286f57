from __future__ import annotations

import sqlalchemy as sa

from engage.cli import create_admin_command, demo_command
from engage.demo_data.loader import DEMO_PASSWORD
from engage.models import Campaign, FeedbackItem, Response, Survey, User, Workgroup


def test_demo_creates_the_demo_accounts_and_campaign(app, session, pages):
    result = app.test_cli_runner().invoke(demo_command)
    assert result.exit_code == 0, result.output
    emails = set(session.scalars(sa.select(User.email)))
    assert emails >= {
        "admin@example.org",
        "staff@example.org",
        "interviewer@example.org",
        "member@example.org",
    }
    campaign = session.scalar(sa.select(Campaign))
    assert campaign.languages[:3] == ["en", "es", "ar"]
    member = session.scalar(sa.select(User).where(User.email == "member@example.org"))
    assert member.role == "member"
    assert [w.name for w in member.workgroups] == ["Eastside Neighbourhood Workgroup"]
    assert pages.login("admin@example.org", DEMO_PASSWORD).status_code == 302
    home = pages.get("/staff/").get_data(as_text=True)
    assert campaign.title in home
    assert 'href="/s/demo"' in home
    contacts = pages.get(f"/staff/campaigns/{campaign.id}/contacts").get_data(as_text=True)
    assert "amira@example.org" in contacts and "+447700900123" in contacts
    # Campaigns are scoped to workgroups: the demo member's workgroup has the campaign.
    pages.submit("/auth/logout", {}, form_page="/staff/")
    assert pages.login("member@example.org", DEMO_PASSWORD).status_code == 302
    assert f'href="/staff/campaigns/{campaign.id}/themes"' in pages.get("/staff/").get_data(
        as_text=True
    )
    assert pages.get(f"/staff/campaigns/{campaign.id}/themes").status_code == 200


def test_demo_survey_is_published_with_hundreds_of_multilingual_responses(app, session, client):
    app.test_cli_runner().invoke(demo_command)
    survey = session.scalar(sa.select(Survey).where(Survey.slug == "demo"))
    assert survey.status == "published"
    assert {"en", "es", "ar"} <= set(survey.current_version.definition["languages"])
    languages = dict(
        session.execute(
            sa.select(Response.language, sa.func.count()).group_by(Response.language)
        ).all()
    )
    assert sum(languages.values()) >= 300
    assert all(languages.get(code, 0) >= 30 for code in ("en", "es", "ar"))
    feedback = session.scalar(sa.select(sa.func.count()).select_from(FeedbackItem))
    assert feedback >= 300
    leaked = session.scalars(
        sa.select(FeedbackItem.redacted_text).where(FeedbackItem.redacted_text.contains("@"))
    ).all()
    assert leaked == []
    assert client.get("/s/demo?lang=ar").status_code == 200


def test_demo_twice_keeps_one_copy_and_reset_recreates(app, session):
    runner = app.test_cli_runner()
    runner.invoke(demo_command)
    assert runner.invoke(demo_command).exit_code == 0
    assert session.scalar(sa.select(sa.func.count()).select_from(Campaign)) == 1
    admin = session.scalar(sa.select(User).where(User.email == "admin@example.org"))
    admin.set_password("changed password")
    session.commit()
    assert runner.invoke(demo_command, ["--reset"]).exit_code == 0
    session.expire_all()
    admin = session.scalar(sa.select(User).where(User.email == "admin@example.org"))
    assert admin.check_password(DEMO_PASSWORD)
    assert session.scalar(sa.select(sa.func.count()).select_from(Workgroup)) == 1


def test_demo_is_refused_in_production(app, session):
    app.config["ENGAGE_ENV"] = "production"
    try:
        result = app.test_cli_runner().invoke(demo_command)
    finally:
        app.config["ENGAGE_ENV"] = "testing"
    assert result.exit_code != 0
    assert "never loaded in production" in result.output
    assert session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_create_admin_makes_an_administrator(app, session, pages):
    result = app.test_cli_runner().invoke(
        create_admin_command,
        ["--email", "Boss@Example.org", "--name", "Boss", "--password", "a long password"],
    )
    assert result.exit_code == 0, result.output
    user = session.scalar(sa.select(User))
    assert (user.email, user.role) == ("boss@example.org", "admin")
    assert pages.login("boss@example.org", "a long password").status_code == 302


def test_create_admin_refuses_a_short_password_and_a_taken_email(app, session):
    runner = app.test_cli_runner()
    short = runner.invoke(
        create_admin_command, ["--email", "a@example.org", "--name", "A", "--password", "short"]
    )
    assert short.exit_code == 1
    assert "too short" in short.output
    runner.invoke(
        create_admin_command,
        ["--email", "a@example.org", "--name", "A", "--password", "long enough pw"],
    )
    again = runner.invoke(
        create_admin_command,
        ["--email", "a@example.org", "--name", "A", "--password", "long enough pw"],
    )
    assert again.exit_code == 1
    assert "already exists" in again.output
