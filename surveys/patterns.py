"""Text patterns (XLSForm ``regex()``): checked when a definition is loaded, matched
against answers with a time limit, so that no pattern and no answer can stall a page.

XLSForm patterns are XML Schema / Java regular expressions; the common ones (``^[0-9]{10}$``,
``\\d``, ``[A-Za-z ]+``, ``{n,m}``) mean the same in Python. As in ODK, a pattern matches
when it is found anywhere in the answer (anchor it with ``^…$`` for the whole answer).
"""

from __future__ import annotations

import functools
import re
from typing import Any

import regex  # unlike ``re``, it can stop a match that takes too long

from surveys.digits import ascii_digits

TIMEOUT = 0.05  # seconds a match may take
MAX_PATTERN = 500


@functools.lru_cache(maxsize=256)
def _compiled(pattern: str) -> Any:
    return regex.compile(pattern)


def is_valid_pattern(pattern: Any) -> bool:
    """Whether ``pattern`` is a pattern Engage can match with."""
    if not isinstance(pattern, str) or not pattern or len(pattern) > MAX_PATTERN:
        return False
    try:
        _compiled(pattern)
    except (re.error, regex.error, RecursionError, OverflowError):
        return False
    return True


def matches(pattern: str, text: str) -> bool:
    """Whether ``pattern`` is found in ``text``, its digits of any script read as ASCII
    (``[0-9]`` accepts a phone number typed in Arabic-Indic digits, as number questions
    do); a match that takes too long is no match."""
    try:
        return _compiled(pattern).search(ascii_digits(text), timeout=TIMEOUT) is not None
    except (TimeoutError, re.error, regex.error):
        return False
