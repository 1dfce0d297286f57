from __future__ import annotations

import pytest

from engage.permissions import PERMISSION_ATTRIBUTE
from tests.factories import PASSWORD, make_user


def test_every_view_declares_its_permission(app):
    undeclared = [
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        and not hasattr(app.view_functions[rule.endpoint], PERMISSION_ATTRIBUTE)
    ]
    assert undeclared == []


STAFF_PAGES = ["/staff/", "/admin/users", "/admin/users/invite"]
EXPECTED = {
    # role: status for each of STAFF_PAGES
    "admin": [200, 200, 200],
    "staff": [200, 403, 403],
    "interviewer": [200, 403, 403],
    "member": [200, 403, 403],
}


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_roles_reach_exactly_their_pages(session, pages, role):
    make_user(session, email=f"{role}@example.org", role=role)
    pages.login(f"{role}@example.org", PASSWORD)
    assert [pages.get(path).status_code for path in STAFF_PAGES] == EXPECTED[role]


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login?next=")


def test_staff_navigation_shows_users_only_to_admins(session, pages):
    make_user(session, email="s@example.org", role="staff")
    pages.login("s@example.org", PASSWORD)
    assert 'href="/admin/users"' not in pages.get("/staff/").get_data(as_text=True)
