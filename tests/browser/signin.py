"""Signing in to the demo in a browser test, as a person would on the sign-in page."""

from __future__ import annotations

from engage.demo_data.loader import DEMO_PASSWORD


def sign_in(page, email: str, lang: str | None = None, password: str = DEMO_PASSWORD) -> None:  # type: ignore[no-untyped-def]
    """Sign in as ``email`` (in ``lang``, when given) and wait for the staff home page."""
    page.goto(f"/auth/login?lang={lang}" if lang else "/auth/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/staff/")
