"""Masking of personal data (e-mail addresses, URLs, phone numbers, street addresses).

Masking happens before anything else, so that neither the analysis nor what workgroups
read ever contains the masked details. Placeholders are bracketed upper-case words that
the tokenizers of :mod:`analysis._preprocess` drop.
"""

from __future__ import annotations

import re
from collections import Counter

EMAIL = "[EMAIL]"
URL = "[URL]"
PHONE = "[PHONE]"
ADDRESS = "[ADDRESS]"
PLACEHOLDERS = (EMAIL, URL, PHONE, ADDRESS)

_EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}(?!\w)")
_URL_RE = re.compile(
    r"(?:\b[Hh][Tt][Tt][Pp][Ss]?://|\b[Ww][Ww][Ww]\.)[^\s<>\"'()\[\]]+[^\s<>\"'()\[\].,;:!?]"
    # Bare domains only in lower case, so that "ASP.NET" or "Node.js" stay words.
    r"|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|gov|edu|io|info|biz)(?:/[^\s<>\"']*)?\b"
)
# A run of digits with the usual separators; kept only when it has 7-15 digits (so years,
# prices and house numbers stay). Dates (2024-05-01), year ranges (1644-1912) and
# thousands (1.234.567) are excluded below.
_PHONE_RE = re.compile(r"(?<![\w+])(?:\+|00)?\(?\d[\d\s().\-/]{5,}\d(?!\w)")
_DATE_RE = re.compile(r"^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}$")
_THOUSANDS_RE = re.compile(r"^\d{1,3}(?:[.,\s]\d{3})+$")
_YEARS_RE = re.compile(r"^\(?(?:1[0-9]|20)\d\d\s*[-/]\s*(?:(?:1[0-9]|20)\d\d|\d\d)\)?$")
_STREET_WORDS = (
    r"street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|place|pl|way"
    r"|terrace|parkway|pkwy|highway|hwy|circle|cir|square|sq"
)
_ADDRESS_RES = (
    # "1234 N. Main Street", "12 Oak Ave", "221B Baker St"
    re.compile(
        rf"\b\d{{1,6}}[a-z]?\s+(?:[NSEW]\.?\s+)?(?:[A-Z][\w'.-]*\s+){{1,4}}(?:{_STREET_WORDS})\b\.?",
        re.IGNORECASE,
    ),
    # "Calle Mayor 12", "rue de la Paix 5", "Avenida Brasil 1500", "Hauptstraße 5"
    re.compile(
        r"\b(?:calle|avenida|av\.|carrera|rua|rue|boulevard|chemin|via|viale|piazza)"
        r"\s+(?:[\w'.-]+\s+){1,4}?\d{1,5}[a-z]?\b",
        re.IGNORECASE,
    ),
    re.compile(r"\b\d{1,5}[a-z]?,?\s+(?:rue|avenue|boulevard|chemin)\s+(?:[\w'.-]+\s*){1,4}", re.I),
    re.compile(r"\b[\w-]+(?:straße|strasse|weg|gasse|platz|allee)\s+\d{1,5}[a-z]?\b", re.I),
)


def _phone(match: re.Match[str]) -> str:
    candidate = match.group(0)
    digits = sum(ch.isdigit() for ch in candidate)
    stripped = candidate.strip()
    if not 7 <= digits <= 15 or any(
        pattern.match(stripped) for pattern in (_DATE_RE, _THOUSANDS_RE, _YEARS_RE)
    ):
        return candidate
    return PHONE


def mask_pii(text: str, counts: Counter[str] | None = None) -> str:
    """Replace e-mail addresses, URLs, phone numbers and street addresses by placeholders.

    Args:
        text: the text to mask.
        counts: if given, incremented per kind of detail masked (``"email"``, ``"url"``,
            ``"phone"``, ``"address"``).

    Returns:
        The text with each detail replaced by ``[EMAIL]``, ``[URL]``, ``[PHONE]`` or
        ``[ADDRESS]``.
    """
    found: Counter[str] = Counter()

    def sub(pattern: re.Pattern[str], placeholder: str, kind: str, value: str) -> str:
        def replace(match: re.Match[str]) -> str:
            found[kind] += 1
            return placeholder

        return pattern.sub(replace, value)

    text = sub(_EMAIL_RE, EMAIL, "email", text)
    text = sub(_URL_RE, URL, "url", text)

    def phone(match: re.Match[str]) -> str:
        replaced = _phone(match)
        if replaced == PHONE:
            found["phone"] += 1
        return replaced

    text = _PHONE_RE.sub(phone, text)
    for pattern in _ADDRESS_RES:
        text = sub(pattern, ADDRESS, "address", text)
    if counts is not None:
        counts.update(found)
    return text
