"""Hypothesis strategies for odd input: text no database stores, bytes that are not
UTF-8, huge and nested values, and HTTP bodies built from them."""

from __future__ import annotations

import unicodedata
from typing import Any
from urllib.parse import quote, quote_plus

from hypothesis import strategies as st

# Characters worth trying on purpose, beside what ``st.text()`` finds by itself.
ODD_CHARACTERS = ["\x00", "\ud800", "\udfff", "\ufeff", "\u202e", "\r\n", "%00", "'", '"', "<"]

# Any code point, lone surrogates included.
any_character = st.characters(exclude_categories=())

short_odd_text = st.one_of(
    st.text(any_character, max_size=40),
    st.lists(st.sampled_from(ODD_CHARACTERS) | st.text(max_size=5), max_size=8).map("".join),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(["", " ", "0", "-1", "1e999", "NaN", "true", "null", "[]", "{}"]),
    st.sampled_from(["é" * 300, "x" * 2000]),
)
"""Text as a URL segment could carry it (a few kilobytes at most, as servers allow)."""

odd_text = short_odd_text | st.builds(
    lambda s, n: s * n, st.text(min_size=1, max_size=3), st.integers(1, 70_000)
)
"""Text as a form field or a JSON string could carry it."""

storable_text = (
    st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=200)
    .map(lambda text: unicodedata.normalize("NFC", text))
    .filter(lambda text: text.strip() and text == text.strip())
)
"""Text every database stores, as the engine keeps it: no control characters, no
surrogates, no outer blanks, NFC-normalised (so "stored as sent" compares like with like;
a compatibility ideograph such as U+F900 is kept as U+8C48)."""


def url_part(text: str) -> str:
    """``text`` as it would arrive in a URL path segment (lone surrogates as raw bytes)."""
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


def form_body(fields: list[tuple[str, str | bytes]]) -> bytes:
    """An ``application/x-www-form-urlencoded`` body, bytes not UTF-8 included."""

    def encode(value: str | bytes) -> str:
        raw = value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")
        return quote_plus(raw)

    return "&".join(f"{encode(name)}={encode(value)}" for name, value in fields).encode("ascii")


form_value = st.one_of(odd_text, st.binary(max_size=30))


def json_values(
    max_leaves: int = 30, text: st.SearchStrategy[str] | None = None
) -> st.SearchStrategy[Any]:
    """Any JSON value, nested a few levels (its strings drawn from ``text``)."""
    strings = odd_text if text is None else text
    scalars = (
        st.none()
        | st.booleans()
        | st.integers(min_value=-(2**80), max_value=2**80)
        | st.floats(allow_nan=False, allow_infinity=False)
        | strings
    )
    return st.recursive(
        scalars,
        lambda children: (
            st.lists(children, max_size=5) | st.dictionaries(strings, children, max_size=5)
        ),
        max_leaves=max_leaves,
    )


header_text = st.text(
    st.characters(min_codepoint=1, max_codepoint=255, exclude_characters="\r\n"), max_size=300
)
"""What an HTTP header can carry (Latin-1, no line breaks)."""
