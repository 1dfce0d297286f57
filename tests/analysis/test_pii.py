"""PII masking over the fixture set: real details masked, look-alikes left alone.

The fixture set (``fixtures/pii.json``, also read by ``bench/pii.py``) holds answers in
English, Spanish, French, Arabic, Vietnamese and Chinese.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from analysis import mask_pii
from analysis._pii import PLACEHOLDERS

FIXTURES = json.loads((Path(__file__).parent / "fixtures" / "pii.json").read_text("utf-8"))
KINDS = {"[EMAIL]": "email", "[URL]": "url", "[PHONE]": "phone", "[ADDRESS]": "address"}


def _id(case: dict[str, str]) -> str:
    return f"{case['lang']}:{case.get('kind', '')}:{case['text'][:40]}"


@pytest.mark.parametrize("case", FIXTURES["pii"], ids=_id)
def test_real_details_are_masked(case: dict[str, str]) -> None:
    counts: Counter[str] = Counter()
    assert mask_pii(case["text"], counts) == case["expect"]
    assert counts == Counter({KINDS[p]: case["expect"].count(p) for p in PLACEHOLDERS}) - Counter()


@pytest.mark.parametrize("case", FIXTURES["lookalikes"], ids=_id)
def test_lookalikes_stay_as_written(case: dict[str, str]) -> None:
    counts: Counter[str] = Counter()
    assert mask_pii(case["text"], counts) == case["text"]
    assert not counts


def test_fixture_set_covers_every_kind_in_several_languages() -> None:
    for placeholder in PLACEHOLDERS:
        langs = {c["lang"] for c in FIXTURES["pii"] if placeholder in c["expect"]}
        assert langs == {"en", "es", "fr", "ar", "vi", "zh"}, placeholder
    kinds = {c["kind"] for c in FIXTURES["lookalikes"]}
    assert {"date", "time", "datetime", "price", "count", "year", "id"} <= kinds
    assert {"percent", "measure"} <= kinds


def test_the_issue_examples_stay() -> None:
    assert mask_pii("08/11/2014 05:47 GMT") == "08/11/2014 05:47 GMT"
    assert mask_pii("said 30 died in road accidents") == "said 30 died in road accidents"


def test_masking_compiles_no_pattern_per_call(monkeypatch: pytest.MonkeyPatch) -> None:
    """It runs on the intake path: every pattern is compiled once, at import."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("re.compile called while masking")

    text = " ".join(c["text"] for c in FIXTURES["pii"] + FIXTURES["lookalikes"])
    monkeypatch.setattr(re, "compile", refuse)
    monkeypatch.setattr(re, "_compile", refuse)
    assert "[PHONE]" in mask_pii(text)
