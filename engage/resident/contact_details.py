"""Checking the contact details a resident leaves: an e-mail address, or a phone number
in international form (``+`` then 8 to 15 digits), stored without spaces or dashes."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from flask_babel import gettext as _

MAX_EMAIL = 254
_LOCAL = re.compile(r"^[^\s@\"(),:;<>\[\]\\]{1,64}$")
_DOMAIN_LABEL = re.compile(r"^[^\W_](?:[\w-]{0,61}[^\W_])?$")
_PHONE_SEPARATORS = re.compile(r"[\s\-‐‑‒–—]")  # spaces and every kind of dash
_PHONE = re.compile(r"^\+[0-9]{8,15}$")


def is_email(text: str) -> bool:
    """Whether ``text`` (already stripped) looks like a deliverable e-mail address:
    one ``@``, a plain local part, a domain of at least two labels of letters, digits
    and inner hyphens, and a top-level label of two letters or more."""
    if len(text) > MAX_EMAIL or text.count("@") != 1:
        return False
    local, domain = text.split("@")
    if not _LOCAL.match(local) or local.startswith(".") or local.endswith(".") or ".." in local:
        return False
    labels = domain.split(".")
    if len(labels) < 2 or not all(_DOMAIN_LABEL.match(label) for label in labels):
        return False
    top = labels[-1]
    return len(top) >= 2 and not top.isdigit()


def normalise_phone(text: str) -> str | None:
    """``text`` as ``+`` and digits when it is a phone number in international form
    (spaces and dashes allowed; digits of any script read as 0-9); ``None`` otherwise."""
    compact = _PHONE_SEPARATORS.sub("", text.strip())
    digits = "".join(
        str(unicodedata.decimal(char)) if char.isdecimal() else char for char in compact
    )
    if digits.startswith("＋"):  # a full-width plus, from some phone keyboards
        digits = "+" + digits[1:]
    return digits if _PHONE.match(digits) else None


MAX_PURPOSE = 500


def contact_purpose(campaign: Any, language: str) -> str:
    """Why a resident reading ``language`` may be contacted: the campaign's own text in
    that language, else the fixed sentence (in the current interface language)."""
    own = str((campaign.contact_purpose or {}).get(language) or "").strip()
    return own or _("We ask only to tell you what comes of this work.")
