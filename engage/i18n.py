"""User-interface languages: which are offered, which one a request gets, and catalogs.

Survey *content* is translated as data by the survey engine; this module is about the
interface strings kept as gettext catalogs in ``translations/``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import current_app, g, request
from flask_login import current_user

log = logging.getLogger(__name__)

DEFAULT_LOCALE = "en"
LANGUAGE_COOKIE = "lang"
LANGUAGE_COOKIE_MAX_AGE = 365 * 24 * 3600


@dataclass(frozen=True)
class UILanguage:
    code: str
    native_name: str
    direction: str  # "ltr" or "rtl"


@cache
def describe_language(code: str) -> UILanguage:
    """A language code with its name in its own script and its writing direction."""
    try:
        locale = Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return UILanguage(code=code, native_name=code, direction="ltr")
    name = locale.get_display_name(locale) or code
    direction = "rtl" if locale.character_order == "right-to-left" else "ltr"
    return UILanguage(code=code, native_name=name[:1].upper() + name[1:], direction=direction)


def available_catalogs(translations_dir: Path) -> list[str]:
    """Language codes that have a catalog, plus the source language, English."""
    codes = {DEFAULT_LOCALE}
    if translations_dir.is_dir():
        codes.update(
            po.parent.parent.name for po in translations_dir.glob("*/LC_MESSAGES/messages.po")
        )
    return sorted(codes)


def ensure_compiled_catalogs(source_dir: Path, fallback_dir: Path) -> Path:
    """Compile every ``messages.po`` whose ``.mo`` is missing or stale; return its folder.

    A checkout compiles in place; an installation whose package folder is read-only
    compiles into ``fallback_dir`` (the instance folder), so a fresh clone or a plain
    ``pip install`` works without a separate build step.
    """
    catalogs = sorted(source_dir.glob("*/LC_MESSAGES/messages.po"))
    if not catalogs:
        return source_dir
    target_root = source_dir
    probe = catalogs[0].with_suffix(".mo")
    if not _writable(probe):
        target_root = fallback_dir
    for po_path in catalogs:
        relative = po_path.relative_to(source_dir)
        mo_path = (target_root / relative).with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        mo_path.parent.mkdir(parents=True, exist_ok=True)
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=relative.parts[0])
        with mo_path.open("wb") as mo_file:
            write_mo(mo_file, catalog)
    return target_root


def _writable(path: Path) -> bool:
    try:
        if path.exists():
            with path.open("ab"):
                return True
        path.touch()
        path.unlink()
        return True
    except OSError:
        return False


def ui_languages() -> list[UILanguage]:
    return [describe_language(code) for code in current_app.config["UI_LANGUAGES"]]


def select_locale() -> str:
    """Explicit choice (``?lang=``, then the cookie), the account's, the browser's."""
    offered = current_app.config["UI_LANGUAGES"]
    if not request:
        return DEFAULT_LOCALE
    # A survey page speaks the survey's language when the interface has a catalog for it.
    page_locale = g.get("page_locale")
    if page_locale in offered:
        return page_locale
    for candidate in (request.args.get("lang"), request.cookies.get(LANGUAGE_COOKIE)):
        if candidate in offered:
            return candidate
    preferred = getattr(current_user, "preferred_locale", None)
    if preferred in offered:
        return preferred
    return request.accept_languages.best_match(offered) or DEFAULT_LOCALE


def remember_explicit_choice(response):  # type: ignore[no-untyped-def]
    """Keep a ``?lang=`` choice in a cookie, so the next page speaks the same language."""
    chosen = request.args.get("lang")
    page_language = g.get("page_language")
    offered = chosen in current_app.config["UI_LANGUAGES"] or (
        page_language is not None and page_language.code == chosen
    )
    if chosen and offered and request.cookies.get(LANGUAGE_COOKIE) != chosen:
        response.set_cookie(
            LANGUAGE_COOKIE,
            chosen,
            max_age=LANGUAGE_COOKIE_MAX_AGE,
            secure=current_app.config["SESSION_COOKIE_SECURE"],
            httponly=True,
            samesite="Lax",
        )
    return response


def use_page_language(code: str) -> None:
    """Render this request's interface strings in ``code`` (a survey's language)."""
    from flask_babel import refresh

    g.page_locale = code
    g.pop("ui_language", None)
    refresh()


def current_language() -> UILanguage:
    from flask_babel import get_locale

    if "ui_language" not in g:
        g.ui_language = describe_language(str(get_locale() or DEFAULT_LOCALE))
    return g.ui_language
