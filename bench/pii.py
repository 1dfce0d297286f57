"""PII masking: precision and recall per kind and per language, look-alikes, and speed.

Usage: python bench/pii.py [--fixtures tests/analysis/fixtures/pii.json] [--before REV]
       [--repeat 15]

The fixture set (``tests/analysis/fixtures/pii.json``) holds answers with e-mail
addresses, phone numbers, street addresses and URLs, each with its expected masked text,
and look-alikes that must stay as they are (dates, times, date-times, prices, counts,
years, reference numbers, percentages, measurements), in English, Spanish, French,
Arabic, Vietnamese and Chinese.

Per case and per kind, a placeholder in the output that the expected text has is a true
positive, one more than it has a false positive, one fewer a false negative; a look-alike
that comes out changed adds a false positive per placeholder in it. A case counts as
exact when the output is the expected text character for character (a placeholder in the
right place and nothing else changed).

Speed: milliseconds to mask 1,000 typical answers (the demo data's phrase bank in four
languages, with one answer in ten from the fixture set), best of ``--repeat`` runs, for
``mask_pii`` now and, when ``git`` can show it, ``analysis/_pii.py`` at ``--before``.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis import mask_pii  # noqa: E402

FIXTURES = ROOT / "tests" / "analysis" / "fixtures" / "pii.json"
PHRASES = ROOT / "engage" / "demo_data" / "phrases.json"
BEFORE = "33fad77"  # the branch point: mask_pii before the look-alike fixes
KINDS = {"email": "[EMAIL]", "phone": "[PHONE]", "address": "[ADDRESS]", "url": "[URL]"}

Masker = Callable[[str], str]


def load_fixtures(path: Path = FIXTURES) -> dict[str, list[dict[str, str]]]:
    """The fixture set: ``{"pii": [{lang, text, expect}], "lookalikes": [{lang, kind, text}]}``."""
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return {"pii": data["pii"], "lookalikes": data["lookalikes"]}


def score(mask: Masker, fixtures: dict[str, list[dict[str, str]]]) -> dict[str, Any]:
    """Counts of true and false positives and negatives by kind and by language."""
    by_kind: dict[str, Counter[str]] = {k: Counter() for k in KINDS}
    by_lang: dict[str, Counter[str]] = {}
    misses: list[tuple[str, str, str]] = []
    masked_lookalikes: list[tuple[str, str, str]] = []
    cases = [(c, c["expect"]) for c in fixtures["pii"]]
    cases += [(c, c["text"]) for c in fixtures["lookalikes"]]
    for case, expect in cases:
        out = mask(case["text"])
        lang = by_lang.setdefault(case["lang"], Counter())
        for kind, placeholder in KINDS.items():
            got, want = out.count(placeholder), expect.count(placeholder)
            for counter in (by_kind[kind], lang):
                counter["tp"] += min(got, want)
                counter["fp"] += max(0, got - want)
                counter["fn"] += max(0, want - got)
        if "expect" in case:
            lang["cases"] += 1
            lang["exact"] += out == expect
            if out != expect:
                misses.append((case["lang"], case["text"], out))
        elif out != expect:
            masked_lookalikes.append((case["lang"], case["kind"], out))
    return {
        "by_kind": by_kind,
        "by_lang": by_lang,
        "misses": misses,
        "masked_lookalikes": masked_lookalikes,
    }


def _ratio(numerator: int, denominator: int) -> str:
    return f"{100 * numerator / denominator:5.1f}" if denominator else "    –"


def _row(name: str, counts: Counter[str]) -> str:
    tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
    return (
        f"  {name:<8} precision {_ratio(tp, tp + fp)}  recall {_ratio(tp, tp + fn)}"
        f"   (tp {tp:3d}, fp {fp:2d}, fn {fn:2d})"
    )


def report(title: str, result: dict[str, Any], fixtures: dict[str, list[dict[str, str]]]) -> None:
    """Print one implementation's figures."""
    print(
        f"{title}: {len(fixtures['pii'])} answers with PII, "
        f"{len(fixtures['lookalikes'])} look-alikes"
    )
    print(" by kind")
    for kind, counts in result["by_kind"].items():
        print(_row(kind, counts))
    print(_row("all", sum(result["by_kind"].values(), Counter())))
    print(" by language (all kinds; exact = output equals the expected text)")
    for lang, counts in sorted(result["by_lang"].items()):
        print(f"{_row(lang, counts)}  exact {counts['exact']}/{counts['cases']}")
    print(f" look-alikes masked: {len(result['masked_lookalikes'])} (target: none)")
    for lang, kind, out in result["masked_lookalikes"]:
        print(f"   [{lang}, {kind}] {out}")
    print(f" answers with PII not masked exactly: {len(result['misses'])}")
    for lang, text, out in result["misses"]:
        print(f"   [{lang}] {text!r} → {out!r}")


def typical_answers(fixtures: dict[str, list[dict[str, str]]], n: int = 1000) -> list[str]:
    """``n`` answers: the demo phrase bank, with one in ten from the fixture set."""

    def strings(node: Any) -> Iterator[str]:
        if isinstance(node, str):
            yield node
        elif isinstance(node, dict):
            for value in node.values():
                yield from strings(value)
        elif isinstance(node, list):
            for value in node:
                yield from strings(value)

    plain = list(strings(json.loads(PHRASES.read_text(encoding="utf-8"))))
    special = [c["text"] for c in fixtures["pii"] + fixtures["lookalikes"]]
    return [special[i % len(special)] if i % 10 == 9 else plain[i % len(plain)] for i in range(n)]


def load_before(rev: str) -> ModuleType | None:
    """``analysis/_pii.py`` as it was at ``rev``, imported on its own (or None)."""
    try:
        source = subprocess.run(
            ["git", "show", f"{rev}:analysis/_pii.py"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "pii_before.py"
        path.write_text(source, encoding="utf-8")
        spec = importlib.util.spec_from_file_location("pii_before", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    return module


def time_per_1000(mask: Masker, answers: list[str], repeat: int) -> float:
    """Best wall milliseconds to mask ``answers`` (scaled to 1,000)."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        for text in answers:
            mask(text)
        best = min(best, time.perf_counter() - started)
    return 1000 * best * 1000 / len(answers)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--fixtures", type=Path, default=FIXTURES)
    parser.add_argument("--before", default=BEFORE, help=f"git revision (default {BEFORE})")
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    fixtures = load_fixtures(args.fixtures)
    before = load_before(args.before)
    if before is not None:
        report(f"before ({args.before})", score(before.mask_pii, fixtures), fixtures)
        print()
    report("now", score(mask_pii, fixtures), fixtures)
    print()
    answers = typical_answers(fixtures)
    chars = sum(map(len, answers)) / len(answers)
    print(f"speed: 1,000 typical answers (mean {chars:.0f} characters), best of {args.repeat}")
    if before is not None:
        before_ms = time_per_1000(before.mask_pii, answers, args.repeat)
        print(f"  before ({args.before})  {before_ms:6.1f} ms")
    print(f"  now            {time_per_1000(mask_pii, answers, args.repeat):6.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
