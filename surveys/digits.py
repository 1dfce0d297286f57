"""Digits of any script as the ASCII digits that numbers, times and patterns read."""

from __future__ import annotations

import unicodedata


def ascii_digits(text: str) -> str:
    """Map any Unicode decimal digit (Arabic-Indic, Devanagari…) to ASCII."""
    out = []
    for ch in text:
        digit = unicodedata.decimal(ch, None)
        out.append(str(digit) if digit is not None else ch)
    # Arabic decimal separator and thousands separator.
    return "".join(out).replace("\u066b", ".").replace("\u066c", "")
