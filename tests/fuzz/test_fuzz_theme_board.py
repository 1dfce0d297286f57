"""The theme board's forms posted with anything in their fields (CSRF checks off): never a
500, whatever ids, texts or bytes arrive, and whatever state earlier posts left."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engage.themes import services as analysis
from engage.themes.engine import EngineSettings
from tests.factories import PASSWORD, make_member
from tests.fuzz.conftest import examples
from tests.fuzz.forms import PageForm, page_forms
from tests.fuzz.strategies import form_body, form_value, short_odd_text
from tests.support.feedback import bilingual_survey

FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def board_forms(client, session, no_csrf) -> list[PageForm]:
    survey = bilingual_survey(session, rounds=1)
    run = analysis.create_run(
        session, campaign=survey.campaign, created_by=None, engine=EngineSettings("tfidf")
    )
    session.commit()
    analysis.run_analysis(session, run.id)
    member = make_member(session, survey.campaign)
    login = client.post(
        "/auth/login", data={"email": member.email, "password": PASSWORD}, content_type=None
    )
    assert login.status_code == 302
    url = f"/staff/campaigns/{survey.campaign_id}/themes"
    found = [
        f for f in page_forms(client.get(url).get_data(as_text=True), url) if "/board/" in f.action
    ]
    assert len(found) > 10
    return found


@given(data=st.data())
@examples(0.5)
def test_board_forms_never_answer_500(client, board_forms, data):
    form = data.draw(st.sampled_from(board_forms), label="form")
    posted: list[tuple[str, str | bytes]] = []
    for name, offered in sorted(form.fields.items()):
        choice = data.draw(st.sampled_from(["offered", "odd", "none"]), label=f"{name}?")
        if choice == "offered" and offered:
            posted.append((name, data.draw(st.sampled_from(offered), label=name)))
        elif choice != "none":
            posted.append((name, data.draw(form_value, label=name)))
    posted += data.draw(st.lists(st.tuples(short_odd_text, form_value), max_size=2))
    response = client.post(form.action, data=form_body(posted), content_type=FORM)
    assert response.status_code in (302, 400), (form.action, response.status_code)
