"""Long lists in pages: ``?page=N`` read safely, and Flask-SQLAlchemy's ``paginate``.

A page number that is not a number, or past the end, never fails: it shows the first or
the last page.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import request
from flask_sqlalchemy.pagination import Pagination

from engage.extensions import db

PER_PAGE = 50
_MAX_PAGE = 1_000_000


def requested_page() -> int:
    """The ``page`` query argument, 1 when it is missing or not a page number."""
    raw = request.args.get("page", "")
    return min(int(raw), _MAX_PAGE) if raw.isdigit() and int(raw) > 0 else 1


def paginate(select: sa.Select[Any], *, per_page: int = PER_PAGE) -> Pagination:
    """The requested page of ``select``'s rows (the last page when asked for more)."""
    page = db.paginate(select, page=requested_page(), per_page=per_page, error_out=False)
    if page.pages and page.page > page.pages:
        page = db.paginate(select, page=page.pages, per_page=per_page, error_out=False)
    return page
