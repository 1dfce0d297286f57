"""``python -m analysis INPUT.csv --text-column text --output OUT.json``: themes from a CSV.

Pure analysis: no database, no web app. The output is
``{"themes": [...], "assignments": [theme id or null per row, in input order], "meta": {...}}``;
``meta["backend"]`` is the backend actually used (``--backend auto``, the default, falls
back to TF-IDF when the semantic backend is not installed or its model cannot be loaded,
and says why in ``meta["backend_fallback"]``).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from analysis._jobs import ROLES
from analysis.themes import ThemeFinder


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m analysis",
        description="Cluster open-ended feedback in a CSV file into themes.",
    )
    parser.add_argument("input", type=Path, help="UTF-8 CSV file with a header row")
    parser.add_argument("--text-column", required=True, help="column holding the feedback")
    parser.add_argument("--language-column", help="column holding each row's language code")
    parser.add_argument(
        "--default-language", default="en", help="language of rows without one (default: en)"
    )
    parser.add_argument("--themes", type=int, help="number of themes per language (default: auto)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    parser.add_argument(
        "--backend",
        choices=("tfidf", "semantic", "auto"),
        default="auto",
        help="auto (default): sentence embeddings where installed and suited to the language, "
        "TF-IDF elsewhere; the output's meta says which was used",
    )
    parser.add_argument("--model", help="local sentence-transformers model directory")
    parser.add_argument(
        "--job-column",
        action="append",
        default=[],
        metavar="ROLE=COLUMN",
        help=f"a job-part column, ROLE one of {', '.join(ROLES)} (repeatable)",
    )
    parser.add_argument("--no-pii-masking", action="store_true", help="do not mask PII")
    parser.add_argument("--output", type=Path, required=True, help="where to write the JSON")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    return parser


def _engine(meta: dict[str, Any]) -> str:
    used = meta["backend"]
    if used == "semantic":
        used += f" ({', '.join(meta['semantic_languages'])})"
    if meta.get("backend_fallback"):
        used += f"; semantic backend unavailable: {meta['backend_fallback']}"
    return used


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; returns the exit status (2 for bad arguments or input)."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.themes is not None and args.themes < 1:
        parser.error("--themes must be at least 1")
    try:
        columns, rows = _read(args.input)
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        parser.error(f"cannot read {args.input}: {error}")
    wanted = [args.text_column] + ([args.language_column] if args.language_column else [])
    job_columns: dict[str, str] = {}
    for spec in args.job_column:
        role, _, column = spec.partition("=")
        if role not in ROLES or not column:
            parser.error(f"--job-column wants ROLE=COLUMN with ROLE in {', '.join(ROLES)}")
        job_columns[role] = column
        wanted.append(column)
    missing = [c for c in wanted if c not in columns]
    if missing:
        parser.error(f"no column {', '.join(map(repr, missing))} in {args.input}")

    def report(stage: str, fraction: float) -> None:
        if not args.quiet:
            print(f"[{fraction:4.0%}] {stage}", file=sys.stderr)

    texts = [row.get(args.text_column) or "" for row in rows]
    languages = [row.get(args.language_column) for row in rows] if args.language_column else None
    job_parts = {role: [row.get(col) for row in rows] for role, col in job_columns.items()}
    finder = ThemeFinder(
        args.themes,
        backend=args.backend,
        model=args.model,
        mask_pii=not args.no_pii_masking,
        default_language=args.default_language,
        random_state=args.seed,
    )
    started = time.perf_counter()
    try:
        finder.fit(texts, languages, job_parts=job_parts or None, progress=report)
    except ImportError as error:
        parser.error(str(error))
    result: dict[str, Any] = finder.to_dict()
    result["meta"].update(
        {
            "input": str(args.input),
            "text_column": args.text_column,
            "language_column": args.language_column,
        }
    )
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    if not args.quiet:
        meta = result["meta"]
        print(
            f"{meta['n_themes']} themes ({meta['n_subthemes']} sub-themes) over "
            f"{meta['n_assigned']} of {meta['n_items']} rows in "
            f"{time.perf_counter() - started:.1f} s with {_engine(meta)} → {args.output}",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
