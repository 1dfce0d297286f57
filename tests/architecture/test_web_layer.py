"""The shape of the web layer: short views, one unit of work per request, features apart."""

from __future__ import annotations

import inspect
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from engage import create_app

ROOT = Path(__file__).resolve().parents[2]
MAX_VIEW_LINES = 30


@pytest.fixture(scope="module")
def view_functions(tmp_path_factory):
    database = tmp_path_factory.mktemp("db") / "views.sqlite"
    app = create_app(
        {"DATABASE_URL": f"sqlite:///{database}", "ENGAGE_ENV": "testing", "SECRET_KEY": "x"}
    )
    return {
        endpoint: inspect.unwrap(view)
        for endpoint, view in app.view_functions.items()
        if endpoint != "static"
    }


def test_no_view_function_is_longer_than_30_lines(view_functions):
    too_long = {}
    for endpoint, view in view_functions.items():
        lines, _start = inspect.getsourcelines(view)
        body = [line for line in lines if not line.lstrip().startswith("@")]
        if len(body) > MAX_VIEW_LINES:
            too_long[endpoint] = len(body)
    assert too_long == {}


def test_view_modules_neither_commit_nor_roll_back(view_functions):
    modules = {inspect.getsourcefile(view) for view in view_functions.values()}
    offenders = [
        path
        for path in sorted(modules)
        if re.search(r"\.(commit|rollback)\(\)", Path(path).read_text())
    ]
    assert offenders == []


def test_views_live_in_feature_packages(view_functions):
    """Every view is in ``engage/<feature>/``, one blueprint named after its feature."""
    for endpoint, view in view_functions.items():
        blueprint = endpoint.split(".", 1)[0]
        parts = view.__module__.split(".")
        if blueprint == "health":
            continue
        assert parts[0] == "engage" and parts[1] == blueprint, (endpoint, view.__module__)


@pytest.mark.skipif(
    shutil.which("lint-imports", path=str(Path(sys.executable).parent)) is None,
    reason="import-linter is part of the dev extra",
)
def test_import_contracts_are_kept():
    """The layers (surveys, analysis apart from engage) and features (no view imports)."""
    result = subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports")), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-3000:]
