"""Staff forms posted with anything in their fields (CSRF checks off, so the values reach
the forms' own checks): campaigns, surveys, pages, questions, translations, invitations,
accounts. Never a 500; a refusal is a 400 page, an acceptance a redirect or a page."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from surveys import QUESTION_TYPES
from tests.factories import (
    PASSWORD,
    full_definition,
    make_campaign,
    make_survey,
    make_user,
    small_definition,
)
from tests.fuzz.conftest import examples
from tests.fuzz.forms import PageForm, page_forms
from tests.fuzz.strategies import form_body, form_value, short_odd_text

FORM = "application/x-www-form-urlencoded"


def _form_pages(survey_id: int, campaign_id: int, published_id: int) -> list[str]:
    draft = f"/staff/surveys/{survey_id}"
    return [
        "/staff/campaigns/new",
        f"/staff/campaigns/{campaign_id}/edit",
        f"/staff/campaigns/{campaign_id}/surveys/new",
        f"{draft}",
        f"{draft}/settings",
        f"{draft}/pages/start",
        f"{draft}/pages/opinions",
        f"{draft}/pages/start/questions/new",
        *(f"{draft}/pages/opinions/questions/new?type={t}" for t in sorted(QUESTION_TYPES)),
        *(f"{draft}/questions/{code}" for code in ("name_it", "years", "topics", "grid", "area")),
        f"{draft}/questions/grid/delete",
        f"{draft}/pages/about/delete",
        f"{draft}/publish",
        f"{draft}/translations",
        f"{draft}/translations/es",
        f"/staff/surveys/{published_id}/invites",
        f"/staff/surveys/{published_id}",
        "/admin/users/invite",
        "/admin/users",
    ]


@pytest.fixture
def forms(client, session, no_csrf) -> list[PageForm]:
    """Every form of the staff pages, read once as an administrator would see them."""
    admin = make_user(session, role="admin")
    make_user(session, role="staff")
    campaign = make_campaign(session, languages=["en", "es", "ar"])
    draft = make_survey(
        session, campaign=campaign, definition=full_definition("fuzz-draft"), published=False
    )
    published = make_survey(session, campaign=campaign, definition=small_definition("fuzz-pub"))
    login = client.post(
        "/auth/login", data={"email": admin.email, "password": PASSWORD}, content_type=None
    )
    assert login.status_code == 302
    found = []
    for url in _form_pages(draft.id, campaign.id, published.id):
        response = client.get(url)
        assert response.status_code == 200, url
        found += [
            form
            for form in page_forms(response.get_data(as_text=True), url)
            if not form.action.endswith("/auth/logout")
        ]
    assert len(found) > 40
    return found


def _values(data: st.DataObject, form: PageForm) -> list[tuple[str, str | bytes]]:
    """Each field: left out, one of its offered values, or something odd; and extras."""
    posted: list[tuple[str, str | bytes]] = []
    for name, offered in sorted(form.fields.items()):
        choice = data.draw(st.sampled_from(["offered", "odd", "none"]), label=f"{name}?")
        if choice == "offered" and offered:
            posted.append((name, data.draw(st.sampled_from(offered), label=name)))
        elif choice != "none":
            posted.append((name, data.draw(form_value, label=name)))
    extras = data.draw(st.lists(st.tuples(short_odd_text, form_value), max_size=3))
    return posted + extras


@given(data=st.data())
@examples(1.5)
def test_staff_forms_never_answer_500(client, forms, data):
    form = data.draw(st.sampled_from(forms), label="form")
    body = form_body(_values(data, form))
    response = client.post(form.action, data=body, content_type=FORM)
    assert response.status_code < 500, (form.action, response.get_data(as_text=True)[:300])
    assert response.status_code in (200, 302, 303, 400, 403, 404, 409, 410, 413, 422)
