"""Import bounds: how fast an oversized spreadsheet is refused.

Issue 10 found that a 3.3 MB XLSForm of 600,000 rows ran past the worker timeout and
ended in the server's bare 500. Imports now stop reading at ``IMPORT_MAX_ROWS`` rows
(default 5,000) or ``IMPORT_MAX_SECONDS``; this measures the time to refusal.

Usage: python bench/import_bounds.py [--rows 600000] [--cache /tmp/xlsform-600k.xlsx]
Builds the workbook once (it is kept at ``--cache``; building takes a while), then times
the XLSForm import and the translation-file import of it, and a zip bomb (a workbook
whose sheet unpacks to 200 MB), with the default bounds.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def build_xlsform(path: Path, rows: int) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    survey = workbook.create_sheet("survey")
    survey.append(["type", "name", "label"])
    for n in range(rows):
        survey.append(["text", f"q{n}", f"Question {n}"])
    workbook.save(path)


def zip_bomb(megabytes: int) -> bytes:
    """A valid-looking workbook whose one sheet unpacks to ``megabytes`` of XML."""
    from openpyxl import Workbook

    buffer = io.BytesIO()
    workbook = Workbook()
    workbook.active.title = "survey"
    workbook.save(buffer)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(buffer) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                padding = b" " * (megabytes * 1024 * 1024)
                data = data.replace(b"<sheetData>", b"<sheetData>" + padding)
            target.writestr(info, data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def refusal(label: str, call) -> None:  # type: ignore[no-untyped-def]
    from surveys import ImportFailed

    started = time.perf_counter()
    try:
        call()
    except ImportFailed as failed:
        codes = ", ".join(f"{p.message_code} {p.params}" for p in failed.problems)
        print(f"{label:<36} refused in {time.perf_counter() - started:6.2f} s: {codes}")
    else:
        print(f"{label:<36} ACCEPTED in {time.perf_counter() - started:6.2f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=600_000)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/engage-xlsform-600k.xlsx"))
    args = parser.parse_args()

    from surveys.limits import ImportLimits
    from surveys.translation_files import read_translation_file
    from surveys.xlsform import import_xlsform

    if not args.cache.exists():
        started = time.perf_counter()
        build_xlsform(args.cache, args.rows)
        print(f"built {args.cache} in {time.perf_counter() - started:.1f} s")
    data = args.cache.read_bytes()
    print(f"workbook: {args.rows:,} rows, {len(data) / 1e6:.1f} MB")
    refusal("XLSForm import", lambda: import_xlsform(data))
    refusal("translation import (xlsx)", lambda: read_translation_file(data, "xlsx"))
    # The same file with the unzipped-size bound lifted: the row bound stops it.
    rows_only = ImportLimits(max_unzipped_bytes=10**12)
    refusal("XLSForm import, rows bound only", lambda: import_xlsform(data, rows_only))
    refusal(
        "translation import, rows bound only",
        lambda: read_translation_file(data, "xlsx", rows_only),
    )
    bomb = zip_bomb(200)
    print(f"zip bomb: {len(bomb) / 1e3:.0f} kB unpacking to 200 MB")
    refusal("XLSForm import of the zip bomb", lambda: import_xlsform(bomb))
    refusal("translation import of the zip bomb", lambda: read_translation_file(bomb, "xlsx"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
