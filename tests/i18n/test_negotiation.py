"""Which interface language a request gets: ?lang=, then the cookie, then the browser."""

from __future__ import annotations

import pytest

from tests.factories import PASSWORD, make_user


def _lang(response) -> str:
    html = response.get_data(as_text=True)
    return html.split('<html lang="', 1)[1].split('"', 1)[0]


def test_browser_preference_is_used_when_nothing_was_chosen(client):
    response = client.get("/", headers={"Accept-Language": "fr-CA,fr;q=0.9,en;q=0.5"})
    assert _lang(response) == "fr"


def test_unsupported_browser_language_falls_back_to_english(client):
    assert _lang(client.get("/", headers={"Accept-Language": "tlh"})) == "en"


def test_explicit_choice_beats_the_browser_and_is_remembered(client):
    first = client.get("/?lang=vi", headers={"Accept-Language": "es"})
    assert _lang(first) == "vi"
    assert "lang=vi" in first.headers["Set-Cookie"]
    assert _lang(client.get("/auth/login", headers={"Accept-Language": "es"})) == "vi"


def test_query_beats_the_cookie(client):
    client.get("/?lang=ar")
    assert _lang(client.get("/?lang=zh")) == "zh"


def test_unknown_choice_is_ignored(client):
    response = client.get("/?lang=xx", headers={"Accept-Language": "es"})
    assert _lang(response) == "es"
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize(
    ("code", "direction"),
    [("en", "ltr"), ("es", "ltr"), ("fr", "ltr"), ("vi", "ltr"), ("zh", "ltr"), ("ar", "rtl")],
)
def test_every_language_renders_staff_pages_with_lang_and_dir(session, pages, code, direction):
    make_user(session, email="a@example.org", role="admin")
    pages.login("a@example.org", PASSWORD)
    for path in ("/staff/", "/admin/users", "/admin/users/invite"):
        html = pages.get(f"{path}?lang={code}").get_data(as_text=True)
        assert f'<html lang="{code}" dir="{direction}">' in html


def test_language_switcher_names_each_language_in_its_own_script(client):
    html = client.get("/").get_data(as_text=True)
    for name in ("Español", "Tiếng Việt", "中文", "العربية", "Français"):
        assert name in html
    assert 'hreflang="ar"' in html and 'dir="rtl"' in html
