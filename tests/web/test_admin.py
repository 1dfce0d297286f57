from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa

from engage.models import AccountToken, User
from engage.orm import utcnow
from tests.factories import PASSWORD, make_user

LINK = re.compile(r'id="one-time-link"[^>]*value="([^"]+)"')


def _signed_in_admin(session, pages):
    admin = make_user(session, email="admin@example.org", name="Ada", role="admin")
    assert pages.login("admin@example.org", PASSWORD).status_code == 302
    return admin


def _link_path(response) -> str:
    match = LINK.search(response.get_data(as_text=True))
    assert match, "no one-time link on the page"
    return "/" + match.group(1).split("/", 3)[3]


def test_admin_invites_a_member_who_signs_up_with_the_link_once(session, pages, client):
    _signed_in_admin(session, pages)
    response = pages.submit(
        "/admin/users/invite", {"email": "New.Member@Example.org", "role": "member"}
    )
    assert response.status_code == 200
    link = _link_path(response)
    assert link.startswith("/auth/signup/")
    stored = session.scalar(sa.select(AccountToken))
    assert link.rsplit("/", 1)[1] not in stored.token_hash  # only a hash is kept

    pages.submit("/auth/logout", {}, form_page="/staff/")
    signup_page = pages.get(link)
    assert "new.member@example.org" in signup_page.get_data(as_text=True)
    response = pages.submit(
        link, {"name": "Nia", "password": "a long enough pw", "confirm": "a long enough pw"}
    )
    assert response.status_code == 302
    user = session.scalar(sa.select(User).where(User.email == "new.member@example.org"))
    assert user is not None and user.role == "member" and user.name == "Nia"
    assert pages.get("/staff/").status_code == 200
    # A member may not administer users.
    assert pages.get("/admin/users").status_code == 403

    pages.submit("/auth/logout", {}, form_page="/staff/")
    reused = client.get(link)
    assert reused.status_code == 404
    assert "This link is not valid" in reused.get_data(as_text=True)


def test_invitation_for_an_existing_email_is_refused_on_the_form(session, pages):
    _signed_in_admin(session, pages)
    response = pages.submit("/admin/users/invite", {"email": "admin@example.org", "role": "staff"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "An account with this email address already exists." in html
    assert 'value="admin@example.org"' in html


def test_invitation_with_a_malformed_email_is_refused(session, pages):
    _signed_in_admin(session, pages)
    response = pages.submit("/admin/users/invite", {"email": "not-an-email", "role": "staff"})
    assert response.status_code == 400
    assert "Enter an email address like name@example.org." in response.get_data(as_text=True)


def test_expired_invitation_cannot_be_used(session, pages, client):
    admin = make_user(session, role="admin")
    from engage.accounts.services import invite_user

    token = invite_user(
        session,
        email="late@example.org",
        role="staff",
        created_by=admin,
        max_age=timedelta(days=1),
    )
    record = session.scalar(sa.select(AccountToken))
    record.expires_at = utcnow() - timedelta(minutes=1)
    session.commit()
    response = client.get(f"/auth/signup/{token}")
    assert response.status_code == 404
    assert "This link has expired" in response.get_data(as_text=True)


def test_admin_creates_a_reset_link_and_the_user_chooses_a_new_password(session, pages):
    _signed_in_admin(session, pages)
    user = make_user(session, email="forgetful@example.org")
    response = pages.submit(f"/admin/users/{user.id}/reset-link", {}, form_page="/admin/users")
    link = _link_path(response)
    pages.submit("/auth/logout", {}, form_page="/staff/")
    response = pages.submit(
        link, {"password": "brand new password", "confirm": "brand new password"}
    )
    assert response.status_code == 302
    assert pages.login("forgetful@example.org", PASSWORD).status_code == 401
    assert pages.login("forgetful@example.org", "brand new password").status_code == 302


def test_reset_with_mismatched_passwords_keeps_the_old_one(session, pages):
    _signed_in_admin(session, pages)
    user = make_user(session, email="forgetful@example.org")
    link = _link_path(
        pages.submit(f"/admin/users/{user.id}/reset-link", {}, form_page="/admin/users")
    )
    response = pages.submit(link, {"password": "one long password", "confirm": "another one"})
    assert response.status_code == 400
    assert "The two passwords are not the same." in response.get_data(as_text=True)
    session.refresh(user)
    assert user.check_password(PASSWORD)


def test_admin_changes_a_role(session, pages):
    _signed_in_admin(session, pages)
    user = make_user(session, role="interviewer")
    response = pages.submit(
        f"/admin/users/{user.id}/role", {"role": "staff"}, form_page="/admin/users"
    )
    assert response.status_code == 302
    session.refresh(user)
    assert user.role == "staff"
    assert "role is now Staff" in pages.get("/admin/users").get_data(as_text=True)


def test_unknown_role_is_refused(session, pages):
    _signed_in_admin(session, pages)
    user = make_user(session, role="interviewer")
    pages.submit(f"/admin/users/{user.id}/role", {"role": "emperor"}, form_page="/admin/users")
    session.refresh(user)
    assert user.role == "interviewer"


def test_the_last_admin_cannot_be_demoted_or_deactivated(session, pages):
    admin = _signed_in_admin(session, pages)
    pages.submit(f"/admin/users/{admin.id}/role", {"role": "staff"}, form_page="/admin/users")
    pages.submit(f"/admin/users/{admin.id}/deactivate", {}, form_page="/admin/users")
    session.refresh(admin)
    assert admin.role == "admin" and admin.is_active_account
    html = pages.get("/admin/users").get_data(as_text=True)
    assert "This is the only active administrator" in html


def test_admin_deactivates_and_reactivates_a_user(session, pages):
    _signed_in_admin(session, pages)
    user = make_user(session, email="temp@example.org")
    pages.submit(f"/admin/users/{user.id}/deactivate", {}, form_page="/admin/users")
    session.refresh(user)
    assert not user.is_active_account
    pages.submit(f"/admin/users/{user.id}/reactivate", {}, form_page="/admin/users")
    session.refresh(user)
    assert user.is_active_account


def test_actions_on_an_unknown_user_get_404(session, pages):
    _signed_in_admin(session, pages)
    response = pages.submit("/admin/users/99999/deactivate", {}, form_page="/admin/users")
    assert response.status_code == 404
