"""Uploaded files: the bounds one import may spend, from the configuration."""

from __future__ import annotations

from flask import current_app

from surveys.limits import ImportLimits


def import_limits() -> ImportLimits:
    """``IMPORT_MAX_ROWS``, ``IMPORT_MAX_SECONDS`` and ``IMPORT_MAX_UNZIPPED_BYTES``."""
    config = current_app.config
    return ImportLimits(
        max_rows=config["IMPORT_MAX_ROWS"],
        max_seconds=config["IMPORT_MAX_SECONDS"],
        max_unzipped_bytes=config["IMPORT_MAX_UNZIPPED_BYTES"],
    )
