"""Where the templates and translations are, in a checkout and in an installed wheel.

The wheel ships the top-level ``templates/`` and ``translations/`` folders inside the
``engage`` package; a checkout keeps them beside it.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """The folder ``name`` (``templates`` or ``translations``) for this installation."""
    inside = PACKAGE_DIR / name
    if inside.is_dir():
        return inside
    return PACKAGE_DIR.parent / name
