"""The README's configuration table lists exactly the settings in ``engage.config``."""

from __future__ import annotations

from pathlib import Path

import pytest

from engage.config import SETTINGS, main, markdown_table

README = Path(__file__).resolve().parents[1] / "README.md"
REGENERATE = "regenerate it with `python -m engage.config --markdown`"


def _configuration_table() -> list[str]:
    """The lines of the first table in the README's "## Configuration" section."""
    lines = README.read_text(encoding="utf-8").splitlines()
    start = lines.index("## Configuration")
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    section = lines[start + 1 : end]
    first = next(i for i, line in enumerate(section) if line.startswith("|"))
    table = []
    for line in section[first:]:
        if not line.startswith("|"):
            break
        table.append(line)
    return table


def _rows() -> dict[str, tuple[str, str]]:
    """``variable -> (meaning, default)`` from the README's table."""
    header, rule, *body = _configuration_table()
    assert [cell.strip() for cell in header.strip("|").split("|")] == [
        "variable",
        "meaning",
        "default",
    ]
    assert set(rule) <= set("|-: ")
    rows: dict[str, tuple[str, str]] = {}
    for line in body:
        name, meaning, default = (cell.strip() for cell in line.strip("|").split("|"))
        assert name.startswith("`") and name.endswith("`"), line
        assert name.strip("`") not in rows, f"{name} is listed twice"
        rows[name.strip("`")] = (meaning, default)
    return rows


def test_the_readme_lists_exactly_the_settings():
    assert list(_rows()) == [setting.name for setting in SETTINGS], REGENERATE


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda setting: setting.name)
def test_the_readme_gives_each_settings_meaning_and_default(setting):
    meaning, default = _rows().get(setting.name, ("", ""))
    assert meaning == setting.help, REGENERATE
    assert default == setting.default_markdown(), REGENERATE
    if setting.default is not None:
        assert default.startswith(f"`{setting.default}`"), REGENERATE


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda setting: setting.name)
def test_each_setting_can_be_a_table_row(setting):
    assert "|" not in setting.help + setting.default_markdown()
    assert "\n" not in setting.help + setting.default_markdown()


def test_the_table_is_what_engage_config_markdown_prints(capsys):
    assert main(["--markdown"]) == 0
    printed = capsys.readouterr().out
    assert printed == markdown_table()
    assert printed.splitlines() == _configuration_table(), REGENERATE


def test_engage_config_needs_an_action(capsys):
    with pytest.raises(SystemExit) as exit_:
        main([])
    assert exit_.value.code == 2
    assert "--markdown" in capsys.readouterr().err
