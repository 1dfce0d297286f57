"""Residents' form posts with anything in them: never a 500, and when one answer on a
page is bad, the others the resident typed are shown again, not lost."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from markupsafe import escape

from surveys import SurveyDefinition
from tests.factories import full_definition, make_survey, small_definition
from tests.fuzz.answers import valid_answers
from tests.fuzz.conftest import examples
from tests.fuzz.strategies import form_body, form_value, odd_text, storable_text, url_part
from tests.support.client import csrf_token_from

FORM = "application/x-www-form-urlencoded"
FIELD_NAME = re.compile(r'name="([^"]+)"')


def _start(client, slug: str, token: str, **extra: str | bytes) -> str:
    """A fresh draft on this client; the page it starts on."""
    fields = [("csrf_token", token), ("fresh", "1"), *extra.items()]
    response = client.post(f"/s/{slug}/start", data=form_body(fields), content_type=FORM)
    assert response.status_code == 302, response.status_code
    return response.headers["Location"].rsplit("/", 1)[-1]


@pytest.fixture
def full(client, session):
    """The every-type survey, the client's CSRF token, and each page's field names."""
    survey = make_survey(session, definition=full_definition("fuzz-full"))
    token = csrf_token_from(client.get(f"/s/{survey.slug}").get_data(as_text=True))
    _start(client, survey.slug, token)
    fields = {}
    for page in survey.current_version.definition["pages"]:
        html = client.get(f"/s/{survey.slug}/p/{page['key']}").get_data(as_text=True)
        fields[page["key"]] = sorted(set(FIELD_NAME.findall(html)) - {"csrf_token"})
    return survey, token, fields


@given(data=st.data())
def test_any_page_post_is_answered_without_a_500(client, full, data):
    survey, token, fields = full
    _start(client, survey.slug, token)
    key = data.draw(st.sampled_from(sorted(fields)) | odd_text, label="page")
    names = st.sampled_from(fields.get(key) or ["x"]) | odd_text
    posted = data.draw(st.lists(st.tuples(names, form_value), max_size=12), label="fields")
    action = data.draw(st.sampled_from(["next", "back", "save"]) | odd_text, label="action")
    csrf = data.draw(st.just(token) | odd_text, label="csrf_token")
    body = form_body([("csrf_token", csrf), ("action", action), *posted])
    response = client.post(f"/s/{survey.slug}/p/{url_part(key)}", data=body, content_type=FORM)
    assert response.status_code < 500, response.get_data(as_text=True)[:300]


@given(data=st.data())
@examples(0.5)
def test_many_and_huge_fields_are_answered_without_a_500(client, full, data):
    survey, token, fields = full
    key = data.draw(st.sampled_from(sorted(fields)))
    count = data.draw(st.integers(100, 1000), label="count")
    size = data.draw(st.integers(1, 50_000), label="size")
    posted = [(name, "é" * size) for name in fields[key]]
    posted += [(f"f{n}", "x") for n in range(count)]
    body = form_body([("csrf_token", token), *posted])
    response = client.post(f"/s/{survey.slug}/p/{key}", data=body, content_type=FORM)
    assert response.status_code < 500


@given(
    source=st.none() | form_value,
    invite=st.none() | form_value,
    fresh=st.none() | form_value,
    query=st.none() | odd_text,
    good_token=st.booleans(),
)
def test_starting_is_answered_without_a_500(client, full, source, invite, fresh, query, good_token):
    survey, token, _fields = full
    fields = [("csrf_token", token if good_token else "x")]
    fields += [(n, v) for n, v in (("source", source), ("invite", invite), ("fresh", fresh)) if v]
    url = f"/s/{survey.slug}/start"
    if query is not None:
        url += f"?source={url_part(query)}"
    response = client.post(url, data=form_body(fields), content_type=FORM)
    assert response.status_code < 500
    if good_token and invite is None:
        assert response.status_code == 302  # an odd source tag never stops a resident


@given(name=form_value, contact=form_value, code=form_value)
@examples(0.5)
def test_resume_and_thanks_are_answered_without_a_500(client, full, name, contact, code):
    survey, token, _fields = full
    resume = form_body([("csrf_token", token), ("code", code)])
    assert client.post(f"/s/{survey.slug}/resume", data=resume, content_type=FORM).status_code < 500
    thanks = form_body([("csrf_token", token), ("name", name), ("phone", contact)])
    assert client.post(f"/s/{survey.slug}/thanks", data=thanks, content_type=FORM).status_code < 500


# -- nothing valid is lost ---------------------------------------------------------------


@pytest.fixture
def small(client, session):
    survey = make_survey(session, definition=small_definition("fuzz-small"))
    token = csrf_token_from(client.get(f"/s/{survey.slug}").get_data(as_text=True))
    return survey, token


not_a_point_of_the_scale = st.one_of(
    st.integers(min_value=11, max_value=10**30).map(str),
    st.integers(max_value=-1).map(str),
    st.text("abcxyz.,!-\x00", min_size=1).filter(lambda text: text.strip()),
    st.sampled_from(["2.5", "NaN", "\x00", "seven", "10\x00"]),
)


@given(obstacle=storable_text, importance=not_a_point_of_the_scale)
def test_a_bad_rating_keeps_the_typed_text(client, small, obstacle, importance):
    survey, token = small
    key = _start(client, survey.slug, token)
    body = form_body(
        [("csrf_token", token), ("obstacle", obstacle), ("bus_importance", importance)]
    )
    response = client.post(f"/s/{survey.slug}/p/{key}", data=body, content_type=FORM)
    assert response.status_code == 400
    assert str(escape(obstacle)) in response.get_data(as_text=True)


@given(
    obstacle=st.sampled_from(["\x00", "\ud800", "bus\x00stop", "a\udfffb"]) | odd_text,
    importance=st.integers(0, 10),
)
@examples(0.5)
def test_text_that_cannot_be_stored_keeps_the_other_answers(client, small, obstacle, importance):
    assume("\x00" in obstacle or any(0xD800 <= ord(c) <= 0xDFFF for c in obstacle))
    survey, token = small
    key = _start(client, survey.slug, token)
    body = form_body(
        [("csrf_token", token), ("obstacle", obstacle), ("bus_importance", str(importance))]
    )
    response = client.post(f"/s/{survey.slug}/p/{key}", data=body, content_type=FORM)
    page = response.get_data(as_text=True)
    if "\x00" in obstacle:
        assert response.status_code == 400
        assert f'value="{importance}" checked' in page
        return
    # A lone surrogate cannot travel in UTF-8: its bytes are not UTF-8, and Werkzeug
    # keeps such a field as the %-escaped text it came as, which is stored as it is.
    assert response.status_code == 302
    again = client.get(f"/s/{survey.slug}/p/{key}").get_data(as_text=True)
    assert f'value="{importance}" checked' in again


@given(obstacle=storable_text, importance=st.integers(0, 10))
@examples(0.5)
def test_valid_answers_survive_leaving_the_page_and_coming_back(
    client, small, obstacle, importance
):
    survey, token = small
    key = _start(client, survey.slug, token)
    body = form_body(
        [("csrf_token", token), ("obstacle", obstacle), ("bus_importance", str(importance))]
    )
    sent = client.post(f"/s/{survey.slug}/p/{key}", data=body, content_type=FORM)
    assert sent.status_code == 302
    page = client.get(f"/s/{survey.slug}/p/{key}").get_data(as_text=True)
    assert str(escape(obstacle)) in page
    assert f'value="{importance}" checked' in page


def _form_fields(code: str, value: Any) -> list[tuple[str, str]]:
    """How a browser sends ``value`` as the answer to question ``code``."""
    if isinstance(value, dict):  # a matrix: one radio group per row
        return [(f"{code}__{row}", column) for row, column in value.items()]
    if isinstance(value, list):
        return [(code, item) for item in value]
    return [(code, str(value))]


def _shown(page: str, code: str, value: Any) -> bool:
    if isinstance(value, dict):
        return all(f'value="{column}" checked' in page for column in value.values())
    if isinstance(value, list):
        return all(f'value="{item}" checked' in page for item in value)
    kind = FULL.question(code).type if "__" not in code else "other"
    if kind in ("scale", "rating", "single_choice", "dropdown", "yes_no"):
        return f'value="{value}" checked' in page or f'value="{value}" selected' in page
    return str(escape(str(value))) in page


FULL = SurveyDefinition.from_dict(full_definition("fuzz-full"))
OPINIONS = next(page for page in FULL.pages if page.key == "opinions")
BAD_VALUES = {"long_text": "bus\x00stop", "scale": "99", "rating": "0", "matrix": "zzz"}


@given(data=st.data())
@examples(0.5)
def test_one_bad_answer_keeps_every_other_answer_on_the_page(client, full, data):
    survey, token, _fields = full
    _start(client, survey.slug, token)
    answers = data.draw(valid_answers(FULL), label="answers")
    on_page = {q.code for q in OPINIONS.questions}
    answers = {code: value for code, value in answers.items() if code.split("__")[0] in on_page}
    bad = data.draw(st.sampled_from(sorted(on_page)), label="bad question")
    kind = FULL.question(bad).type
    fields = [
        field
        for code, value in answers.items()
        if code.split("__")[0] != bad
        for field in _form_fields(code, value)
    ]
    if kind == "matrix":
        fields.append((f"{bad}__day", BAD_VALUES["matrix"]))
    else:
        fields.append((bad, BAD_VALUES.get(kind, "not-an-option")))
    body = form_body([("csrf_token", token), *fields])
    response = client.post(f"/s/{survey.slug}/p/opinions", data=body, content_type=FORM)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    for code, value in answers.items():
        if code.split("__")[0] != bad:
            assert _shown(page, code, value), (code, value)
