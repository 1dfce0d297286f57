"""The interface catalogs: current, complete, compilable, placeholders intact."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from engage.i18n import describe_language

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "translations"
REQUIRED_LANGUAGES = {"es", "ar", "fr", "vi", "zh"}
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]")
CATALOGS = sorted(TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"))


def _load(path: Path):
    """Read a catalog; only a ``<ll>/LC_MESSAGES/messages.po`` names its locale.

    The template (``messages.pot``) has none: its folder's parent is the checkout,
    whose name (``ci-clone``, ``engage-main`` …) is no locale.
    """
    locale = path.parent.parent.name if path.suffix == ".po" else None
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def _ids(catalog) -> set[tuple[str | None, object]]:
    return {(m.context, m.id) for m in catalog if m.id}


def _extraction_keywords() -> list[str]:
    """The ``-k`` options of ``make translations``, so that this test extracts the same."""
    makefile = (ROOT / "Makefile").read_text()
    command = next(line for line in makefile.splitlines() if "pybabel extract" in line)
    words = command.split()
    return [
        arg for i, word in enumerate(words[:-1]) if word == "-k" for arg in ("-k", words[i + 1])
    ]


def test_required_languages_have_catalogs():
    assert {p.parent.parent.name for p in CATALOGS} >= REQUIRED_LANGUAGES


def test_template_is_current(tmp_path):
    """Fails when a string was added or changed without ``make translations``."""
    fresh = tmp_path / "messages.pot"
    subprocess.run(
        [
            str(Path(sys.executable).with_name("pybabel")),
            "extract",
            "--no-location",
            "-F",
            "babel.cfg",
            *_extraction_keywords(),
            "-o",
            str(fresh),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with fresh.open("rb") as handle:
        extracted = _ids(read_po(handle))
    assert extracted == _ids(_load(TRANSLATIONS / "messages.pot"))


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: p.parent.parent.name)
def test_catalog_is_complete_and_matches_the_template(path):
    catalog = _load(path)
    template = _load(TRANSLATIONS / "messages.pot")
    assert _ids(catalog) == _ids(template), "run `make translations`"
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings), f"untranslated: {message.id!r}"
        assert not message.fuzzy, f"fuzzy: {message.id!r}"


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: p.parent.parent.name)
def test_catalog_keeps_every_placeholder(path):
    for message in _load(path):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        expected = set(PLACEHOLDER.findall(ids[-1]))
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for string in strings:
            assert set(PLACEHOLDER.findall(string)) == expected, message.id


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: p.parent.parent.name)
def test_catalog_is_not_a_copy_of_the_english(path):
    messages = [m for m in _load(path) if m.id and isinstance(m.id, str)]
    copied = [m.id for m in messages if m.string == m.id and len(m.id) > 12]
    assert len(copied) <= len(messages) // 20, copied


def test_arabic_is_right_to_left_and_others_left_to_right():
    assert describe_language("ar").direction == "rtl"
    assert {describe_language(c).direction for c in ("en", "es", "fr", "vi", "zh")} == {"ltr"}


def test_languages_are_named_in_their_own_script():
    names = {c: describe_language(c).native_name for c in ("es", "vi", "zh", "ar", "fr")}
    assert names == {
        "es": "Español",
        "vi": "Tiếng Việt",
        "zh": "中文",
        "ar": "العربية",
        "fr": "Français",
    }
