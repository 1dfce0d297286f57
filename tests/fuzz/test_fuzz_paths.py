"""Every route with odd path parameters, as a visitor and as an administrator: never 500.

Each rule of the URL map gets its arguments from hypothesis: text of any kind (NUL,
lone surrogates sent as the bytes a client would send, unicode, huge), integers far
past any database column, and the ids and keys of real objects so the views get past
their first lookup. GET, and POST with CSRF checks off so the form code runs.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from werkzeug.routing import Rule

from tests.factories import PASSWORD, full_definition, make_campaign, make_survey, make_user
from tests.fuzz.conftest import examples
from tests.fuzz.strategies import form_body, form_value, short_odd_text, url_part

NOT_FUZZED = {"static", "accounts.logout"}  # files on disk; signing out ends the test's session


def _rules(app) -> list[Rule]:
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint not in NOT_FUZZED]
    return sorted(rules, key=lambda rule: rule.rule)


@pytest.fixture
def known(session):
    """Real objects by argument name, so that fuzzed paths also reach the views' insides."""
    campaign = make_campaign(session)
    survey = make_survey(session, campaign=campaign, definition=full_definition("fuzz-paths"))
    definition = survey.current_version.definition
    return {
        "campaign_id": [campaign.id],
        "survey_id": [survey.id],
        "user_id": [make_user(session, role="staff").id],
        "slug": [survey.slug],
        "key": [page["key"] for page in definition["pages"]],
        "code": [q["code"] for page in definition["pages"] for q in page["questions"]],
        "lang": ["es", "en", "ar"],
        "fmt": ["json", "xlsx", "csv", "po"],
    }


def _argument(data: st.DataObject, known: dict, name: str, converter: str) -> str:
    """A real value half of the time; otherwise something odd."""
    real = known.get(name)
    if real and data.draw(st.booleans(), label=f"real {name}") is False:
        return str(data.draw(st.sampled_from(real), label=name))
    huge = st.integers(min_value=-(2**70), max_value=2**70).map(str)
    if converter == "IntegerConverter":
        return data.draw(huge | st.sampled_from(["0", "2147483648"]), label=name)
    return data.draw(short_odd_text.map(url_part) | huge, label=name)


def _path(data: st.DataObject, rule: Rule, known: dict) -> str:
    path = rule.rule
    for name, converter in rule._converters.items():
        value = _argument(data, known, name, type(converter).__name__)
        path = path.replace(f"<{_spec(rule, name)}>", value)
    return path


def _spec(rule: Rule, name: str) -> str:
    """How ``name`` is written in the rule (``int:survey_id``, ``any(po, csv):fmt``)."""
    start = rule.rule.index(f":{name}>") if f":{name}>" in rule.rule else None
    if start is None:
        return name
    return rule.rule[rule.rule.rindex("<", 0, start) + 1 : start] + f":{name}"


def _walk(client, app, data: st.DataObject, known: dict) -> None:
    """Every GET first, then every POST (which may close or delete the real survey)."""
    for rule in _rules(app):
        if "GET" in rule.methods:
            path = _path(data, rule, known)
            response = client.get(path)
            assert response.status_code < 500, (rule.rule, path)
    for rule in _rules(app):
        if "POST" in rule.methods:
            path = _path(data, rule, known)
            fields = data.draw(st.lists(st.tuples(short_odd_text, form_value), max_size=4))
            body = form_body(fields)
            response = client.post(
                path, data=body, content_type="application/x-www-form-urlencoded"
            )
            assert response.status_code < 500, (rule.rule, path, fields)


@given(data=st.data())
@examples(0.15)
def test_every_route_as_a_visitor(app, client, known, no_csrf, data):
    _walk(client, app, data, known)


@pytest.fixture
def admin(client, session):
    user = make_user(session, role="admin")
    from tests.support.client import PageClient

    assert PageClient(client).login(user.email, PASSWORD).status_code == 302
    return client


@given(data=st.data())
@examples(0.15)
def test_every_route_as_an_administrator(app, admin, known, no_csrf, data):
    _walk(admin, app, data, known)
