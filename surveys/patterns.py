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

try:  # the ``regex`` module can stop a match that takes too long
    import regex as _engine

    _TIMEOUT: dict[str, Any] = {"timeout": 0.05}
except ImportError:  # pragma: no cover - then answers are matched at bounded length
    _engine = re  # type: ignore[assignment]
    _TIMEOUT = {}

MAX_PATTERN = 500
MAX_TEXT = 2000
"""Without a time limit, the longest text matched."""


@functools.lru_cache(maxsize=256)
def _compiled(pattern: str) -> Any:
    return _engine.compile(pattern)


def is_valid_pattern(pattern: Any) -> bool:
    """Whether ``pattern`` is a pattern Engage can match with."""
    if not isinstance(pattern, str) or not pattern or len(pattern) > MAX_PATTERN:
        return False
    try:
        _compiled(pattern)
    except (re.error, _engine.error, RecursionError, OverflowError):  # type: ignore[misc]
        return False
    return True


def matches(pattern: str, text: str) -> bool:
    """Whether ``pattern`` is found in ``text``; a match that takes too long is no match
    (without the ``regex`` module, neither is a text longer than ``MAX_TEXT``)."""
    if not _TIMEOUT and len(text) > MAX_TEXT:
        return False
    try:
        return _compiled(pattern).search(text, **_TIMEOUT) is not None
    except (TimeoutError, re.error, _engine.error):  # type: ignore[misc]
        return False
