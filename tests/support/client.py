"""A test client that uses forms as a browser does: it reads the CSRF token first."""

from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

CSRF_PATTERN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token_from(html: str) -> str:
    match = CSRF_PATTERN.search(html)
    assert match, "the page has no CSRF token"
    return match.group(1)


class PageClient:
    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def get(self, url: str, **kwargs: Any) -> TestResponse:
        return self.client.get(url, **kwargs)

    def submit(
        self, url: str, data: dict[str, Any], *, form_page: str | None = None, **kwargs: Any
    ) -> TestResponse:
        """GET ``form_page`` (default: ``url``), then POST ``data`` with its CSRF token."""
        page = self.client.get(form_page or url)
        token = csrf_token_from(page.get_data(as_text=True))
        return self.client.post(url, data={**data, "csrf_token": token}, **kwargs)

    def login(self, email: str, password: str) -> TestResponse:
        return self.submit("/auth/login", {"email": email, "password": password})
