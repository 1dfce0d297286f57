"""A live server on a real database, and headless Chromium driven by Playwright.

Chromium is Debian's (``/usr/bin/chromium``): browsers cannot be downloaded here.
Without it these tests skip, unless ``ENGAGE_REQUIRE_BROWSER=1`` (as in CI).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

from engage.demo_data.loader import load_demo
from engage.extensions import db
from tests.support.databases import make_migrated_app

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


@pytest.fixture
def live_app(backend: str, database_factory) -> Flask:
    """The app that ``live_server`` serves, with demo data: tests can check what it stored."""
    app = make_migrated_app(database_factory.create(backend), RATELIMIT_LOGIN="100 per minute")
    with app.app_context():
        load_demo(db.session)
        db.session.commit()
    return app


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
