"""A live server on a real database, and headless Chromium driven by Playwright.

Chromium is Debian's (``/usr/bin/chromium``): browsers cannot be downloaded here.
Without it these tests skip, unless ``ENGAGE_REQUIRE_BROWSER=1`` (as in CI).
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

from engage.demo_data.loader import load_demo
from engage.extensions import db
from tests.support.databases import make_app, make_template

CHROMIUM = Path(os.environ.get("ENGAGE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session", autouse=True)
def _clicks_wait_for_the_page_they_open() -> Iterator[None]:
    """After a click that navigates, wait until the new page has loaded.

    Playwright's click returns once the next page has *started* loading; on a busy machine
    a check made right after it then read a half-loaded page (an empty body, styles not yet
    applied). Every test reads what a person would see once the page is there.
    """
    from playwright.sync_api import Error, Locator

    click = Locator.click

    def click_and_wait(self: Locator, *args: object, **kwargs: object) -> None:
        click(self, *args, **kwargs)
        with contextlib.suppress(Error):  # the click closed the page
            self.page.wait_for_load_state("load")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Locator, "click", click_and_wait)
        yield


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("ENGAGE_REQUIRE_BROWSER", "") not in ("", "0"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


# Browser tests drive pages; the database behind them is covered on both backends by the
# web tests. They run on PostgreSQL, as in production, unless ENGAGE_BROWSER_BACKENDS says
# otherwise (for example "sqlite,postgresql").
BROWSER_BACKENDS = tuple(
    name.strip()
    for name in os.environ.get("ENGAGE_BROWSER_BACKENDS", "postgresql").split(",")
    if name.strip()
)


@pytest.fixture(params=BROWSER_BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


def _load_demo(app: Flask) -> None:
    with app.app_context():
        load_demo(db.session)
        db.session.commit()


@pytest.fixture(scope="session")
def demo_templates(database_factory) -> dict[str, str]:
    """Per backend, a database migrated and holding the demo data once, to copy per test."""
    return {}


@pytest.fixture
def live_app(backend: str, database_factory, demo_templates: dict[str, str]) -> Iterator[Flask]:
    """The app that ``live_server`` serves, with demo data: tests can check what it stored.

    Each test gets its own copy of a demo database made once per run: migrating and loading
    the demo for every test cost seconds each.
    """
    if backend not in demo_templates:
        demo_templates[backend] = make_template(database_factory, backend, _load_demo)
    url = database_factory.copy(demo_templates[backend])
    # The pages are under test here, not the sentence encoder: analyses run on TF-IDF, in
    # seconds (the semantic backend has tests of its own in tests/web and tests/analysis).
    app = make_app(url, RATELIMIT_LOGIN="100 per minute", ENGAGE_ANALYSIS_BACKEND="tfidf")
    yield app
    database_factory.discard(app)


@pytest.fixture
def live_server(live_app: Flask) -> Iterator[str]:
    """The app with demo data, served on a free local port; yields its base URL."""
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="en-GB")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def page_without_js(browser, live_server):
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    page = context.new_page()
    yield page
    context.close()
