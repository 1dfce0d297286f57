import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.parametrize(
    "module", ["surveys", "surveys.xlsform", "surveys.demographics", "surveys.validation"]
)
def test_surveys_import_brings_no_framework(module: str) -> None:
    code = (
        f"import sys, {module}; "
        "bad = [m for m in ('flask', 'engage', 'analysis', 'sqlalchemy') if m in sys.modules]; "
        "print(','.join(bad))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).parents[2],
    )
    assert result.stdout.strip() == ""
