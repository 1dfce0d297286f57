"""The audit log page: newest first, filters by action, actor and dates, paginated, and
bad filter input answered with an error on the form, never a 500."""

from __future__ import annotations

import html
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from engage.models import AuditAction, AuditEvent
from engage.web.messages import AUDIT_ACTION
from tests.factories import PASSWORD, make_user


def _event(session, action, at, actor="ada@example.org", subject="", address="203.0.113.9"):
    session.add(
        AuditEvent(
            action=action.value,
            at=at,
            actor_email=actor,
            subject_label=subject,
            remote_address=address,
            detail={},
        )
    )


@pytest.fixture
def log(session, pages):
    make_user(session, email="root@example.org", name="Root", role="admin")
    _event(
        session,
        AuditAction.ROLE_CHANGED,
        datetime(2026, 3, 1, 9, 30, tzinfo=UTC),
        subject="nia@example.org",
    )
    _event(
        session,
        AuditAction.WORKGROUP_CREATED,
        datetime(2026, 3, 15, 23, 59, tzinfo=UTC),
        subject="Transport",
    )
    _event(
        session,
        AuditAction.SIGN_IN_FAILED,
        datetime(2026, 3, 16, 0, 0, tzinfo=UTC),
        actor="who_100%@example.org",
        address="198.51.100.7",
    )
    _event(session, AuditAction.MEMBER_ADDED, datetime(2026, 4, 2, 12, 0, tzinfo=UTC),
           actor="sam@example.org", subject="Transport")  # fmt: skip
    session.commit()
    assert pages.login("root@example.org", PASSWORD).status_code == 302
    # Signing in is audited too; these tests read only the entries made above.
    session.execute(sa.delete(AuditEvent).where(AuditEvent.action == "sign_in"))
    session.commit()
    return pages


def _rows(response) -> list[str]:
    text = html.unescape(response.get_data(as_text=True))
    body = text.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in text else ""
    return [row.split("</tr>")[0] for row in body.split("<tr>")[1:]]


def _actions(response) -> list[str]:
    labels = {str(AUDIT_ACTION.message(a.value)): a.value for a in AuditAction}
    found = []
    for row in _rows(response):
        found += [value for label, value in labels.items() if f"<td>{label}" in row]
    return found


def test_entries_are_listed_newest_first_with_when_who_what_subject_and_address(log):
    response = log.get("/admin/audit")
    assert response.status_code == 200
    assert _actions(response) == ["member_added", "sign_in_failed", "workgroup_created",
                                  "role_changed"]  # fmt: skip
    first = _rows(response)[0]
    assert '<time datetime="2026-04-02T12:00:00+00:00">' in first
    assert "Apr 2, 2026" in first
    assert "sam@example.org" in first and "Member added to a workgroup" in first
    assert "<td>Transport</td>" in first and "203.0.113.9" in first


def test_when_is_shown_in_the_readers_language(log):
    response = log.get("/admin/audit?lang=es")
    assert "2 abr 2026" in _rows(response)[0]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("action=workgroup_created", ["workgroup_created"]),
        ("actor=SAM", ["member_added"]),
        ("actor=100%25", ["sign_in_failed"]),  # % is taken literally
        ("actor=_", ["sign_in_failed"]),  # so is _
        ("since=2026-03-16", ["member_added", "sign_in_failed"]),
        ("until=2026-03-15", ["workgroup_created", "role_changed"]),  # the whole last day
        ("since=2026-03-02&until=2026-03-31", ["sign_in_failed", "workgroup_created"]),
        ("since=2026-03-01&until=2026-03-01&action=role_changed", ["role_changed"]),
        ("actor=nobody", []),
        ("action=&actor=&since=&until=", ["member_added", "sign_in_failed",
                                          "workgroup_created", "role_changed"]),
        ("until=9999-12-31", ["member_added", "sign_in_failed", "workgroup_created",
                              "role_changed"]),
    ],
)  # fmt: skip
def test_filters_narrow_the_list(log, query, expected):
    response = log.get(f"/admin/audit?{query}")
    assert response.status_code == 200
    assert _actions(response) == expected
    if not expected:
        assert "No entries match." in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("since=yesterday", "Enter a date like 2026-03-31."),
        ("until=2026-02-30", "Enter a date like 2026-03-31."),
        ("since=%00", "Enter a date like 2026-03-31."),
        ("action=drop_tables", "Choose an action from the list."),
        ("since=2026-04-01&until=2026-03-01", "The end date must be on or after the start date."),
        ("actor=" + "a" * 255, "Use at most 254 characters."),
        ("actor=%00", "This contains characters that cannot be saved."),
    ],
)
def test_bad_filters_are_explained_on_the_form_above_the_unfiltered_list(log, query, message):
    response = log.get(f"/admin/audit?{query}")
    assert response.status_code == 400
    text = html.unescape(response.get_data(as_text=True))
    assert message in text
    assert "<title>Error: Audit log" in text
    assert 'class="error-summary"' in text
    assert len(_actions(response)) == 4


def test_the_filters_are_kept_on_the_form_and_in_the_page_links(session, log):
    for n in range(60):
        _event(session, AuditAction.SIGN_IN, datetime(2026, 5, 1, 8, n % 60, tzinfo=UTC))
    session.commit()
    response = log.get("/admin/audit?action=sign_in&since=2026-05-01")
    text = html.unescape(response.get_data(as_text=True))
    assert '<option selected value="sign_in">' in text
    assert 'value="2026-05-01"' in text
    assert "60 entries." in text and "Page 1 of 2" in text
    assert len(_rows(response)) == 50
    next_link = text.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0]
    assert "action=sign_in" in next_link and "since=2026-05-01" in next_link
    second = log.get(next_link)
    assert len(_rows(second)) == 10 and _actions(second) == ["sign_in"] * 10


@pytest.mark.parametrize("role", ["staff", "member", "interviewer"])
def test_only_administrators_read_the_audit_log(session, pages, role):
    make_user(session, email="x@example.org", role=role)
    pages.login("x@example.org", PASSWORD)
    assert pages.get("/admin/audit").status_code == 403


def test_every_audit_action_has_its_own_label():
    labels = [str(AUDIT_ACTION.message(a.value)) for a in AuditAction]
    assert all(a.value in AUDIT_ACTION for a in AuditAction)
    assert len(set(labels)) == len(labels)
