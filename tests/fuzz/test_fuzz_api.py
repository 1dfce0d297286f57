"""The JSON intake under any body and headers: valid answers are stored as sent, anything
else is a 4xx with a JSON error, never a 500."""

from __future__ import annotations

import json
import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engage.models import Response
from surveys import SurveyDefinition, validate_answers
from tests.factories import full_definition, make_survey, small_definition
from tests.fuzz.answers import hidden_codes, same_answer, valid_answers
from tests.fuzz.conftest import examples
from tests.fuzz.strategies import header_text, json_values, odd_text, storable_text, url_part


@pytest.fixture
def survey(session):
    return make_survey(session, definition=small_definition("fuzz-api"))


def _post(client, slug: str, body: bytes | str, headers: dict[str, str] | None = None):
    return client.post(
        f"/api/v1/surveys/{slug}/responses",
        data=body,
        content_type="application/json",
        headers=headers or {},
    )


def _assert_answered(response) -> None:
    assert response.status_code < 500, response.get_data(as_text=True)[:500]
    body = response.get_json()
    assert isinstance(body, dict), response.get_data(as_text=True)[:200]
    if response.status_code >= 400:
        assert body["error"]["status"] == response.status_code
        assert body["error"]["code"]


answers_like = st.fixed_dictionaries(
    {},
    optional={
        "obstacle": json_values(8),
        "bus_importance": json_values(4),
        "area": json_values(4),
        "area__other": odd_text,
    },
)
payloads = st.one_of(
    json_values(),
    st.fixed_dictionaries(
        {"answers": answers_like | json_values(10)},
        optional={
            "language": json_values(3),
            "channel": json_values(3),
            "source": json_values(3),
            "invite": json_values(3),
            "started_at": json_values(3),
        },
    ),
)


@given(payload=payloads, key=st.none() | header_text, invite=st.none() | header_text)
def test_any_json_gets_a_json_answer(client, survey, payload, key, invite):
    headers = {}
    if key is not None:
        headers["Idempotency-Key"] = key
    if invite is not None:
        headers["Invite-Token"] = invite
    body = json.dumps(payload)  # lone surrogates travel as "\ud800", as clients send them
    _assert_answered(_post(client, survey.slug, body, headers))


def _nested_answers(depth: int) -> str:
    return '{"answers": ' + '{"a":' * depth + "1" + "}" * depth + "}"


@given(
    body=st.one_of(
        st.binary(max_size=200),
        st.integers(1, 3000).map(lambda depth: "[" * depth + "]" * depth),
        st.integers(1, 3000).map(_nested_answers),
        st.text(max_size=100).map(lambda text: '{"answers": {"obstacle": "' + text),
    ),
    slug=st.sampled_from(["fuzz-api", "", "%00", "nope"]) | odd_text,
)
@examples(0.5)
def test_any_bytes_at_any_address_get_a_json_answer(client, survey, body, slug):
    response = _post(client, url_part(slug) or "fuzz-api", body)
    assert response.status_code < 500
    if response.status_code != 404 or response.is_json:
        _assert_answered(response)


small_answers = st.fixed_dictionaries(
    {"obstacle": storable_text},
    optional={
        "bus_importance": st.integers(0, 10),
        "area": st.sampled_from(["north", "south", "prefer_not_to_say"]),
    },
)


@given(
    answers=small_answers,
    language=st.sampled_from(["en", "es"]),
    keyed=st.booleans(),
)
def test_valid_answers_are_stored_as_sent(client, session, survey, answers, language, keyed):
    headers = {"Idempotency-Key": str(uuid.uuid4())} if keyed else {}
    body = json.dumps({"answers": answers, "language": language})
    response = _post(client, survey.slug, body, headers)
    assert response.status_code == 201, response.get_data(as_text=True)
    stored = session.get(Response, response.get_json()["id"])
    assert {a.question_code: a.value for a in stored.answers} == answers
    assert stored.language == language
    if keyed:  # the same key again: the same response, nothing stored twice
        again = _post(client, survey.slug, body, headers)
        assert again.status_code == 200
        assert again.get_json() == {"id": stored.id, "created": False}


@pytest.fixture
def full(session):
    return make_survey(session, definition=full_definition("fuzz-api-full"))


FULL = SurveyDefinition.from_dict(full_definition("fuzz-api-full"))


@given(answers=valid_answers(FULL), language=st.sampled_from(["en", "es"]))
def test_answers_drawn_from_the_definition_are_stored_as_sent(
    client, session, full, answers, language
):
    expected = validate_answers(FULL, answers)
    assert expected.ok, expected.errors
    response = _post(client, full.slug, json.dumps({"answers": answers, "language": language}))
    assert response.status_code == 201, response.get_data(as_text=True)
    stored = session.get(Response, response.get_json()["id"])
    kept = {a.question_code: a.value for a in stored.answers}
    assert kept == expected.answers
    assert all(same_answer(FULL, code, answers[code], value) for code, value in kept.items())
    assert set(answers) - set(kept) <= hidden_codes(FULL, answers)
