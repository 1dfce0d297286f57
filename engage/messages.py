"""Translated messages for the error codes that services raise."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

ACCOUNT_ERRORS = {
    "email_taken": _l("An account with this email address already exists."),
    "invalid_token": _l("This link is not valid. It may have been used already."),
    "token_expired": _l("This link has expired. Ask an administrator for a new one."),
    "last_admin": _l("This is the only active administrator: make another administrator first."),
    "password_too_short": _l("The password is too short."),
    "password_too_long": _l("The password is too long."),
}


def account_error_message(code: str) -> str:
    return str(ACCOUNT_ERRORS.get(code, _l("That could not be done.")))
