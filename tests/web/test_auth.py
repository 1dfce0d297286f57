from __future__ import annotations

import pytest
import sqlalchemy as sa

from engage.models import User
from tests.factories import PASSWORD, make_user


def test_login_with_right_password_opens_staff_home(session, pages):
    make_user(session, email="ana@example.org", name="Ana Staff")
    response = pages.login("ANA@example.org ", PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"] == "/staff/"
    home = pages.get("/staff/")
    assert home.status_code == 200
    assert "Ana Staff" in home.get_data(as_text=True)


def test_login_with_wrong_password_is_refused_with_a_message(session, pages):
    make_user(session, email="ana@example.org")
    response = pages.login("ana@example.org", "not the password")
    assert response.status_code == 401
    html = response.get_data(as_text=True)
    assert "The email address or password is not right." in html
    assert "<title>Error: Sign in" in html
    # What was typed is kept, the password is not.
    assert 'value="ana@example.org"' in html
    assert "not the password" not in html
    assert pages.get("/staff/").status_code == 302


def test_login_with_unknown_email_gets_the_same_message(session, pages):
    response = pages.login("nobody@example.org", PASSWORD)
    assert response.status_code == 401
    assert "The email address or password is not right." in response.get_data(as_text=True)


def test_login_with_empty_fields_links_each_error_to_its_field(session, pages):
    response = pages.login("", "")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert '<a href="#email">Enter your email address.</a>' in html
    assert '<a href="#password">Enter your password.</a>' in html
    assert 'aria-describedby="email-error"' in html
    assert 'aria-invalid="true"' in html


def test_login_of_deactivated_account_is_refused(session, pages):
    make_user(session, email="gone@example.org", is_active_account=False)
    assert pages.login("gone@example.org", PASSWORD).status_code == 401


def test_deactivation_signs_out_an_open_session(session, pages):
    user = make_user(session, email="ana@example.org")
    pages.login("ana@example.org", PASSWORD)
    user.is_active_account = False
    session.commit()
    response = pages.get("/staff/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")


def test_login_records_last_login_time(session, pages):
    user = make_user(session, email="ana@example.org")
    assert user.last_login_at is None
    pages.login("ana@example.org", PASSWORD)
    session.refresh(user)
    assert user.last_login_at is not None
    assert user.last_login_at.tzinfo is not None


def test_login_redirects_to_a_local_next_page_only(session, pages):
    make_user(session, email="ana@example.org", role="admin")
    response = pages.submit(
        "/auth/login?next=/admin/users",
        {"email": "ana@example.org", "password": PASSWORD},
    )
    assert response.headers["Location"] == "/admin/users"
    pages.submit("/auth/logout", {}, form_page="/staff/")
    response = pages.submit(
        "/auth/login?next=https://evil.example/",
        {"email": "ana@example.org", "password": PASSWORD},
    )
    assert response.headers["Location"] == "/staff/"


def test_logout_needs_csrf_and_signs_out(session, pages, client):
    make_user(session, email="ana@example.org")
    pages.login("ana@example.org", PASSWORD)
    assert client.post("/auth/logout").status_code == 400
    assert pages.get("/staff/").status_code == 200
    response = pages.submit("/auth/logout", {}, form_page="/staff/")
    assert response.status_code == 302
    assert pages.get("/staff/").status_code == 302


def test_login_without_csrf_token_gets_translated_400_page(session, client):
    make_user(session, email="ana@example.org")
    response = client.post(
        "/auth/login?lang=es", data={"email": "ana@example.org", "password": PASSWORD}
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert '<html lang="es" dir="ltr">' in html
    assert "Este formulario ha caducado" in html
    assert "Traceback" not in html


def test_login_is_rate_limited_per_address_with_a_translated_429_page(session, pages, app):
    make_user(session, email="ana@example.org")
    limit = int(app.config["RATELIMIT_LOGIN"].split()[0])
    for n in range(limit):  # different accounts, so that only the address adds up
        assert pages.login(f"nobody{n}@example.org", "wrong password").status_code == 401
    response = pages.submit("/auth/login", {"email": "ana@example.org", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many attempts" in response.get_data(as_text=True)
    assert "Please try again in 1 minute." in response.get_data(as_text=True)
    assert response.headers["Retry-After"]
    arabic = pages.submit("/auth/login?lang=ar", {"email": "a@example.org", "password": "x" * 12})
    assert arabic.status_code == 429
    assert 'dir="rtl"' in arabic.get_data(as_text=True)


@pytest.mark.parametrize("password", ["short", "x" * 9])
def test_passwords_shorter_than_ten_characters_are_refused_at_sign_up(session, pages, password):
    from datetime import timedelta

    from engage.accounts.services import invite_user

    admin = make_user(session, role="admin")
    token = invite_user(
        session,
        email="new@example.org",
        role="member",
        created_by=admin,
        max_age=timedelta(days=1),
    )
    session.commit()
    response = pages.submit(
        f"/auth/signup/{token}", {"name": "New", "password": password, "confirm": password}
    )
    assert response.status_code == 400
    assert "Use at least 10 characters." in response.get_data(as_text=True)
    assert session.scalar(sa.select(User).where(User.email == "new@example.org")) is None
