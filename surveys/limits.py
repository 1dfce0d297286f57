"""Bounds on what one import may cost: rows read, seconds spent, bytes unzipped.

A spreadsheet is read row by row and refused as soon as a bound is passed, so an
oversized file costs a fraction of a second instead of running past the server's worker
timeout. Each refusal is an :class:`~surveys.errors.ImportProblem` with a code:

- ``too_many_rows`` (``limit``): more rows than ``max_rows`` in a sheet or file;
- ``import_too_slow`` (``seconds``): reading took longer than ``max_seconds``;
- ``unzipped_too_large`` (``megabytes``): an ``.xlsx`` whose parts add up to more than
  ``max_unzipped_bytes`` once decompressed (a "zip bomb").
"""

from __future__ import annotations

import time
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, TypeVar

from surveys.errors import ImportFailed, ImportProblem

T = TypeVar("T")

DEFAULT_MAX_ROWS = 5_000
DEFAULT_MAX_SECONDS = 10.0
DEFAULT_MAX_UNZIPPED_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class ImportLimits:
    """How much one import may read; ``start()`` begins its clock."""

    max_rows: int = DEFAULT_MAX_ROWS
    max_seconds: float = DEFAULT_MAX_SECONDS
    max_unzipped_bytes: int = DEFAULT_MAX_UNZIPPED_BYTES

    def start(self) -> ImportBudget:
        """A budget for one import, its clock running from now."""
        return ImportBudget(self, time.monotonic() + self.max_seconds)


@dataclass
class ImportBudget:
    """One import's spending against its :class:`ImportLimits`."""

    limits: ImportLimits
    deadline: float

    def check_time(self, sheet: str = "") -> None:
        """Refuse the import if its time is up."""
        if time.monotonic() > self.deadline:
            seconds = _plain_number(self.limits.max_seconds)
            raise ImportFailed([ImportProblem(sheet, 0, "import_too_slow", {"seconds": seconds})])

    def rows(self, rows: Iterable[T], sheet: str = "") -> Iterator[T]:
        """``rows`` as they are read, refused past ``max_rows`` or past the deadline."""
        limit = self.limits.max_rows
        for number, row in enumerate(rows, start=1):
            if number > limit:
                raise ImportFailed([ImportProblem(sheet, 0, "too_many_rows", {"limit": limit})])
            if number % 64 == 0:
                self.check_time(sheet)
            yield row
        self.check_time(sheet)

    def check_zip(self, source: IO[bytes]) -> None:
        """Refuse an archive that unpacks to more than ``max_unzipped_bytes``.

        The sizes are those the archive declares; Python's ``zipfile`` never inflates an
        entry past its declared size (the CRC check fails instead), so they are a bound.
        A file that is no zip archive at all is left for the reader to refuse.
        """
        try:
            with zipfile.ZipFile(source) as archive:
                total = sum(info.file_size for info in archive.infolist())
        except (zipfile.BadZipFile, OSError, EOFError, ValueError):
            return
        finally:
            source.seek(0)
        if total > self.limits.max_unzipped_bytes:
            megabytes = _plain_number(self.limits.max_unzipped_bytes / (1024 * 1024))
            raise ImportFailed(
                [ImportProblem("", 0, "unzipped_too_large", {"megabytes": megabytes})]
            )


def _plain_number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(value, 1)
