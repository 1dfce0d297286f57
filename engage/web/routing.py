"""Address converters: an ``<int:…>`` in a route is a database id, so it is bounded.

A number no ``INTEGER`` column can hold (or zero) matches no route: the answer is 404, not
a database error about an integer out of range.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """``int`` limited to the ids a database row can have: 1 to 2**31 - 1."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def init_routing(app: Flask) -> None:
    app.url_map.converters["int"] = IdConverter
