"""Speed and peak memory of ``ThemeFinder`` (default backend, choosing the number of themes).

    .venv/bin/python bench/analysis_speed.py [--sizes 1000 10000 100000] [CSV ...]

Responses are synthesised from labelled short texts (default: the clustering-dev sets next
to this checkout): each is a real text with a few words of another text of the same label
appended, so almost all are distinct (exact duplicates would be collapsed and flatter the
timing). Each size runs in a fresh process, so the peak resident memory printed is that
run's own (ru_maxrss, includes Python and the libraries). Budgets: 10,000 ≤ 15 s,
100,000 ≤ 120 s, ≤ 2 GB.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import random
import resource
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SETS = [
    ROOT.parent / "shared" / "data" / "clustering-dev" / name
    for name in ("banking77.csv", "stackoverflow.csv")
]


def synthesise(paths: list[Path], n: int, seed: int = 0) -> list[str]:
    by_label: dict[str, list[str]] = defaultdict(list)
    for path in paths:
        with path.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                by_label[f"{path.stem}/{row['label']}"].append(row["text"])
    labels = sorted(by_label)
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        group = by_label[rng.choice(labels)]
        words = rng.choice(group).split()
        start = rng.randrange(max(1, len(words) - 3))
        out.append(f"{rng.choice(group)} {' '.join(words[start : start + rng.randint(2, 4)])}")
    return out


def child(n: int, paths: list[Path]) -> None:
    sys.path.insert(0, str(ROOT))
    from analysis import ThemeFinder

    texts = synthesise(paths, n)
    started = time.perf_counter()
    stages: dict[str, float] = {}

    def progress(stage: str, fraction: float) -> None:
        stages[stage] = time.perf_counter() - started

    finder = ThemeFinder(random_state=0).fit(texts, progress=progress)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "n": n,
                "seconds": seconds,
                "peak_mb": peak_mb,
                "themes": finder.meta_["n_themes"],
                "subthemes": finder.meta_["n_subthemes"],
                "unique": finder.meta_["languages"]["en"]["n_unique"],
                "stages": stages,
            }
        )
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("csv", nargs="*", type=Path, default=DEFAULT_SETS)
    parser.add_argument("--sizes", nargs="+", type=int, default=[1000, 3000, 10000, 30000, 100000])
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.csv)
        return 0
    print(
        f"{'responses':>10} {'unique':>8} {'seconds':>8} {'peak MB':>8} {'themes':>7} "
        f"{'sub':>5}  budget"
    )
    previous = None
    for n in args.sizes:
        result = subprocess.run(
            [sys.executable, __file__, "--child", str(n), *map(str, args.csv)],
            capture_output=True,
            text=True,
            check=True,
        )
        r = json.loads(result.stdout.strip().splitlines()[-1])
        budget = {10000: 15, 100000: 120}.get(n)
        verdict = ""
        if budget:
            ok = r["seconds"] <= budget and r["peak_mb"] <= 2048
            verdict = f"≤ {budget} s, ≤ 2048 MB: {'met' if ok else 'NOT MET'}"
        print(
            f"{n:>10} {r['unique']:>8} {r['seconds']:>8.1f} {r['peak_mb']:>8.0f} "
            f"{r['themes']:>7} {r['subthemes']:>5}  {verdict}"
        )
        stages = r["stages"]
        marks = sorted(stages.items(), key=lambda kv: kv[1])
        print("           stages (s since start): " + ", ".join(f"{k} {v:.1f}" for k, v in marks))
        if previous:
            exponent = math.log(r["seconds"] / previous[1]) / math.log(n / previous[0])
            print(f"           time grows as n^{exponent:.2f} from {previous[0]} to {n}")
        previous = (n, r["seconds"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
