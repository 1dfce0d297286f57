"""``analysis`` is a library: importing it must not bring in Flask or the other packages."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_analysis_imports_without_flask_engage_or_surveys() -> None:
    code = (
        "import sys, analysis, analysis.stats, analysis.__main__\n"
        "from analysis import ThemeFinder\n"
        "ThemeFinder(2, random_state=0).fit(['bus late', 'bus slow', 'rent high', 'rent up'])\n"
        "bad = [m for m in ('flask', 'engage', 'surveys', 'sqlalchemy') if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_analysis_sources_do_not_import_the_app() -> None:
    for path in (ROOT / "analysis").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        for name in ("flask", "engage", "surveys"):
            assert f"import {name}" not in source and f"from {name}" not in source, path
