"""Sessions that end when they should, and revocable "keep me signed in" devices."""

from __future__ import annotations

import hashlib

import pytest
import sqlalchemy as sa

from engage.accounts import services as users
from engage.accounts.loader import REMEMBER_COOKIE, SESSION_ID_KEY
from engage.models import AuditAction, AuditEvent, RememberToken
from tests.factories import PASSWORD, make_user
from tests.support.client import PageClient

ELSEWHERE = {"REMOTE_ADDR": "203.0.113.77"}


def _sign_in(pages: PageClient, email: str, *, remember: bool = False, password: str = PASSWORD):
    data = {"email": email, "password": password}
    if remember:
        data["remember"] = "y"
    response = pages.submit("/auth/login", data)
    assert response.status_code == 302
    return response


def _remember_cookie(pages: PageClient) -> str:
    cookie = pages.client.get_cookie(REMEMBER_COOKIE)
    assert cookie is not None, "no remember-me cookie"
    return cookie.value


def _from_elsewhere(app, name: str, value: str):
    """A fresh browser on another network that holds only the cookie ``name``."""
    other = app.test_client()
    other.environ_base.update(ELSEWHERE)
    other.set_cookie(name, value)
    return other


def _opens_staff_home(client) -> bool:
    response = client.get("/staff/")
    if response.status_code == 302:
        assert response.headers["Location"].startswith("/auth/login")
        return False
    assert response.status_code == 200
    return True


def test_remember_cookie_is_new_at_each_sign_in_and_holds_no_user_id(session, pages):
    user = make_user(session, email="ana@example.org")
    _sign_in(pages, "ana@example.org", remember=True)
    first = _remember_cookie(pages)
    pages.submit("/auth/logout", {}, form_page="/staff/")
    _sign_in(pages, "ana@example.org", remember=True)
    second = _remember_cookie(pages)
    assert first != second
    # Flask-Login's cookie was "<user id>|<signature>"; ours names a token of this user.
    assert "|" not in second
    assert session.get(RememberToken, int(second.split(":")[0])).user_id == user.id
    hashes = session.scalars(sa.select(RememberToken.token_hash)).all()
    assert hashes == [hashlib.sha256(second.split(":")[1].encode()).hexdigest()]  # signed out
    assert pages.client.get_cookie("remember_token") is None  # Flask-Login's own: never set


def test_only_a_hash_of_the_remember_secret_is_stored(session, pages):
    user = make_user(session, email="ana@example.org")
    _sign_in(pages, "ana@example.org", remember=True)
    token_id, secret = _remember_cookie(pages).split(":", 1)
    stored = session.get(RememberToken, int(token_id))
    assert stored.user_id == user.id
    assert stored.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in repr(session.execute(sa.select(RememberToken.__table__)).all())
    days = (stored.expires_at - stored.created_at).days
    assert 29 <= days <= 30


def test_a_remembered_device_comes_back_signed_in_without_a_session(session, pages, app):
    make_user(session, email="ana@example.org")
    _sign_in(pages, "ana@example.org", remember=True)
    device = _from_elsewhere(app, REMEMBER_COOKIE, _remember_cookie(pages))
    assert _opens_staff_home(device)
    assert _opens_staff_home(device)  # now from the session it was given
    wrong_secret = _remember_cookie(pages).split(":")[0] + ":guessed"
    assert not _opens_staff_home(_from_elsewhere(app, REMEMBER_COOKIE, wrong_secret))


def test_without_remember_me_no_cookie_is_set(session, pages):
    make_user(session, email="ana@example.org")
    _sign_in(pages, "ana@example.org")
    assert pages.client.get_cookie(REMEMBER_COOKIE) is None
    assert session.scalar(sa.select(sa.func.count()).select_from(RememberToken)) == 0


def _sign_out(pages, session, user, admin):
    pages.submit("/auth/logout", {}, form_page="/staff/")


def _sign_out_everywhere(pages, session, user, admin):
    response = pages.submit("/auth/account/sign-out-everywhere", {}, form_page="/auth/account")
    assert response.status_code == 302


def _reset_password(pages, session, user, admin):
    token = users.create_reset_link(session, user=user, created_by=admin)
    users.reset_password(session, token=token, password="a brand new password")
    session.commit()


def _change_role(pages, session, user, admin):
    users.change_role(session, user=user, role="interviewer", actor=admin)
    session.commit()


def _deactivate(pages, session, user, admin):
    users.set_active(session, user=user, active=False, actor=admin)
    session.commit()


ENDINGS = {
    "sign out": _sign_out,
    "sign out everywhere": _sign_out_everywhere,
    "password reset": _reset_password,
    "role change": _change_role,
    "deactivation": _deactivate,
}


@pytest.mark.parametrize("ending", list(ENDINGS))
def test_a_remembered_cookie_stops_working(session, pages, app, ending):
    admin = make_user(session, role="admin")
    user = make_user(session, email="ana@example.org")
    _sign_in(pages, "ana@example.org", remember=True)
    cookie = _remember_cookie(pages)
    assert _opens_staff_home(_from_elsewhere(app, REMEMBER_COOKIE, cookie))

    ENDINGS[ending](pages, session, user, admin)
    assert not _opens_staff_home(_from_elsewhere(app, REMEMBER_COOKIE, cookie))
    assert session.scalar(sa.select(sa.func.count()).select_from(RememberToken)) == 0


@pytest.mark.parametrize("ending", ["sign out everywhere", "password reset", "role change"])
def test_a_copied_session_cookie_stops_working(session, pages, app, ending):
    admin = make_user(session, role="admin")
    user = make_user(session, email="ana@example.org")
    _sign_in(pages, "ana@example.org")
    # The copy is replayed from the same address and browser, so that only the
    # server-side generation (not Flask-Login's session protection) can refuse it.
    copy = app.test_client()
    copy.set_cookie("session", pages.client.get_cookie("session").value)
    assert _opens_staff_home(copy)

    ENDINGS[ending](pages, session, user, admin)
    assert not _opens_staff_home(copy)


def test_sign_out_everywhere_also_ends_the_other_remembered_devices(session, pages, app):
    make_user(session, email="ana@example.org")
    _sign_in(pages, "ana@example.org", remember=True)
    laptop = _remember_cookie(pages)
    phone = PageClient(app.test_client())
    _sign_in(phone, "ana@example.org", remember=True)
    account = phone.get("/auth/account").get_data(as_text=True)
    assert "Ana" in account or "User" in account
    assert "<dd>2</dd>" in account

    _sign_out_everywhere(phone, session, None, None)
    assert not _opens_staff_home(pages.client)
    assert not _opens_staff_home(_from_elsewhere(app, REMEMBER_COOKIE, laptop))
    last = session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert (last.action, last.subject_type) == (AuditAction.SIGN_OUT_EVERYWHERE, "user")


def test_admin_signs_a_user_out_everywhere(session, pages, app):
    make_user(session, email="admin@example.org", role="admin", name="Ada")
    user = make_user(session, email="ana@example.org", name="Ana")
    device = PageClient(app.test_client())
    _sign_in(device, "ana@example.org")
    _sign_in(pages, "admin@example.org")
    response = pages.submit(
        f"/admin/users/{user.id}/sign-out-everywhere", {}, form_page="/admin/users"
    )
    assert response.status_code == 302
    assert "Ana is signed out on every device." in pages.get("/admin/users").get_data(as_text=True)
    assert not _opens_staff_home(device.client)
    assert _opens_staff_home(pages.client)  # the administrator's own session goes on
    event = session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event.action == AuditAction.SIGN_OUT_EVERYWHERE
    assert (event.actor_email, event.subject_id) == ("admin@example.org", user.id)


def test_signing_in_starts_a_new_session(session, pages):
    make_user(session, email="ana@example.org")
    pages.get("/auth/login")
    with pages.client.session_transaction() as planted:  # as an attacker might have
        assert SESSION_ID_KEY not in planted
        planted["csrf_token"] = "chosen-by-an-attacker"
        planted["anything"] = "else"
    _sign_in(pages, "ana@example.org")
    with pages.client.session_transaction() as current:
        first = current[SESSION_ID_KEY]
        assert "anything" not in current
        assert current.get("csrf_token") != "chosen-by-an-attacker"
    pages.submit("/auth/logout", {}, form_page="/staff/")
    _sign_in(pages, "ana@example.org")
    with pages.client.session_transaction() as current:
        assert current[SESSION_ID_KEY] != first


def test_sign_ins_and_failures_are_audited(session, pages):
    user = make_user(session, email="ana@example.org")
    assert pages.login("ANA@example.org", "wrong password").status_code == 401
    assert pages.login("x" * 300 + "@example.org", "wrong password").status_code in (400, 401)
    _sign_in(pages, "ana@example.org")
    pages.submit("/auth/logout", {}, form_page="/staff/")
    events = session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)).all()
    actions = [event.action for event in events]
    assert actions[0] == AuditAction.SIGN_IN_FAILED
    assert events[0].actor_email == "ANA@example.org" and events[0].subject_id == user.id
    assert actions[-2:] == [AuditAction.SIGN_IN, AuditAction.SIGN_OUT]
    assert {(event.subject_type, event.subject_id) for event in events[-2:]} == {("user", user.id)}
    assert all(len(event.actor_email) <= 254 for event in events)


def test_admin_changes_are_audited(session, pages):
    admin = make_user(session, email="admin@example.org", role="admin")
    user = make_user(session, email="ana@example.org", role="interviewer")
    _sign_in(pages, "admin@example.org")
    pages.submit(f"/admin/users/{user.id}/role", {"role": "staff"}, form_page="/admin/users")
    pages.submit(f"/admin/users/{user.id}/deactivate", {}, form_page="/admin/users")
    pages.submit(f"/admin/users/{user.id}/reactivate", {}, form_page="/admin/users")
    pages.submit("/admin/users/invite", {"email": "new@example.org", "role": "member"})
    events = session.scalars(
        sa.select(AuditEvent).where(AuditEvent.actor_id == admin.id).order_by(AuditEvent.id)
    ).all()
    assert [event.action for event in events][1:] == [
        AuditAction.ROLE_CHANGED,
        AuditAction.ACCOUNT_DEACTIVATED,
        AuditAction.ACCOUNT_REACTIVATED,
        AuditAction.USER_INVITED,
    ]
    assert events[1].detail == {"from": "interviewer", "to": "staff"}
    assert events[4].detail == {"email": "new@example.org", "role": "member"}
    session.refresh(user)
    assert user.session_generation == 2  # the role change and the deactivation


def test_a_session_from_before_generations_is_refused(session, pages):
    user = make_user(session, email="ana@example.org")
    _sign_in(pages, "ana@example.org")
    with pages.client.session_transaction() as old:
        old["_user_id"] = str(user.id)  # what Flask-Login kept before
    assert not _opens_staff_home(pages.client)


def test_a_remembered_device_that_changes_network_comes_back(session, pages):
    make_user(session, email="ana@example.org")
    _sign_in(pages, "ana@example.org", remember=True)
    pages.client.environ_base.update(ELSEWHERE)  # the phone moved to another network
    # Flask-Login's protection drops the session; the sign-in page it is sent to finds
    # the device's token, starts a new session and goes on to the page asked for.
    response = pages.get("/staff/")
    assert response.status_code == 302
    response = pages.get(response.headers["Location"])
    assert response.status_code == 302
    assert response.headers["Location"] == "/staff/"
    assert _opens_staff_home(pages.client)


def test_a_session_cookie_used_from_another_address_is_refused(session, pages, app):
    make_user(session, email="ana@example.org")
    _sign_in(pages, "ana@example.org")
    copy = _from_elsewhere(app, "session", pages.client.get_cookie("session").value)
    assert not _opens_staff_home(copy)
    assert not _opens_staff_home(copy)


def test_a_remembered_device_coming_back_is_noted_although_it_only_reads(tmp_path):
    """The note has its own transaction: on an app of its own (no rolled-back test
    transaction around it) it is stored, although the request is a GET."""
    from engage.extensions import db
    from tests.support.databases import make_app

    app = make_app(f"sqlite:///{tmp_path / 'noted.sqlite'}")
    with app.app_context():
        db.create_all()
        make_user(db.session, email="ana@example.org")
    pages = PageClient(app.test_client())
    _sign_in(pages, "ana@example.org", remember=True)
    cookie = _remember_cookie(pages)
    with app.app_context():
        assert db.session.get(RememberToken, int(cookie.split(":")[0])).last_used_at is None
    assert _opens_staff_home(_from_elsewhere(app, REMEMBER_COOKIE, cookie))
    with app.app_context():
        assert db.session.get(RememberToken, int(cookie.split(":")[0])).last_used_at is not None


def test_a_remembered_device_coming_back_is_noted(session, pages, app):
    make_user(session, email="ana@example.org")
    _sign_in(pages, "ana@example.org", remember=True)
    cookie = _remember_cookie(pages)
    token = session.get(RememberToken, int(cookie.split(":")[0]))
    assert token.last_used_at is None
    assert _opens_staff_home(_from_elsewhere(app, REMEMBER_COOKIE, cookie))
    session.refresh(token)
    assert token.last_used_at is not None
