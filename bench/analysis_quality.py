"""Clustering quality of ``analysis.ThemeFinder`` on labelled CSV files.

    .venv/bin/python bench/analysis_quality.py ../shared/data/clustering-dev/*.csv

For each file it prints NMI, ARI and accuracy (Hungarian matching of clusters to labels),
×100, averaged over ``--seeds`` seeds, for:

* ``baseline tfidf+kmeans (k=true)``: scikit-learn ``TfidfVectorizer()`` + ``KMeans`` told the
  true number of labels (the reference in the data README);
* ``baseline MiniLM+kmeans (k=true)``: all-MiniLM-L6-v2 embeddings + ``KMeans`` (if the
  semantic extra is installed);
* ``ThemeFinder`` with the default (tfidf) and the semantic backend, told the true number
  (``--themes``), and choosing it. When it chooses, the result may have two levels; ``fine``
  scores the leaf themes (sub-themes, or themes without sub-themes) and ``top`` the
  top-level themes a workgroup sees first.

Answers ThemeFinder sets aside as non-informative count as one more cluster, so they cost
rather than help. A file with a ``language`` column is also scored within each language
(themes are found per language), against the baseline run within that language.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
from scipy.optimize import linear_sum_assignment
from sklearn.cluster import KMeans
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score
from sklearn.metrics.cluster import contingency_matrix

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis import ThemeFinder, semantic_available
from analysis._vectorize import SentenceEncoder


class CachedEncoder:
    """Encodes each distinct text once per run, so every configuration shares embeddings."""

    def __init__(self) -> None:
        self.encoder = SentenceEncoder()
        self.cache: dict[str, np.ndarray] = {}

    def encode(self, texts: list[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self.cache]
        if missing:
            for text, vector in zip(missing, self.encoder.encode(missing), strict=True):
                self.cache[text] = vector
        return np.stack([self.cache[t] for t in texts])


def accuracy(truth: np.ndarray, pred: np.ndarray) -> float:
    """Share of items whose cluster maps to their label under the best one-to-one matching."""
    table = contingency_matrix(truth, pred)
    rows, cols = linear_sum_assignment(table, maximize=True)
    return float(table[rows, cols].sum() / len(truth))


def scores(truth: np.ndarray, pred: np.ndarray) -> np.ndarray:
    return 100 * np.array(
        [
            normalized_mutual_info_score(truth, pred),
            adjusted_rand_score(truth, pred),
            accuracy(truth, pred),
        ]
    )


def top_level(finder: ThemeFinder) -> np.ndarray:
    parent = {t.id: (t.parent if t.parent is not None else t.id) for t in finder.themes_}
    return np.array([parent.get(int(x), -1) for x in finder.labels_])


def row(name: str, values: list[np.ndarray], extra: str = "") -> None:
    mean = np.mean(values, axis=0)
    print(f"  {name:<44} NMI {mean[0]:5.1f}  ARI {mean[1]:5.1f}  ACC {mean[2]:5.1f}  {extra}")


def run_baselines(texts, truth, k, seeds, embeddings):
    tfidf = TfidfVectorizer().fit_transform(texts)
    out = {"tfidf": [scores(truth, KMeans(k, random_state=s).fit_predict(tfidf)) for s in seeds]}
    if embeddings is not None:
        out["minilm"] = [
            scores(truth, KMeans(k, random_state=s).fit_predict(embeddings)) for s in seeds
        ]
    return out


def evaluate(path: Path, seeds: list[int], backends: list[str], encoder) -> None:
    with path.open(newline="", encoding="utf-8") as handle:
        data = list(csv.DictReader(handle))
    texts = [r["text"] for r in data]
    labels = [r["label"] for r in data]
    langs = [r.get("language") or "en" for r in data]
    multilingual = "language" in data[0] and len(set(langs)) > 1
    codes = {lab: i for i, lab in enumerate(sorted(set(labels)))}
    truth = np.array([codes[lab] for lab in labels])
    k = len(codes)
    print(f"\n== {path.name}: {len(texts)} texts, {k} labels, {len(set(langs))} language(s)")
    embeddings = encoder.encode(texts) if encoder is not None else None
    base = run_baselines(texts, truth, k, seeds, embeddings)
    row("baseline tfidf+kmeans (k=true)", base["tfidf"])
    if "minilm" in base:
        row("baseline MiniLM+kmeans (k=true)", base["minilm"])
    results: dict[tuple[str, str], list[ThemeFinder]] = defaultdict(list)
    for backend in backends:
        for told in (True, False):
            fine, top, timing, counts = [], [], [], []
            for seed in seeds:
                started = time.perf_counter()
                finder = ThemeFinder(
                    k if told and not multilingual else None,
                    backend=backend,
                    encoder=encoder if backend == "semantic" else None,
                    encoder_languages=["en"],  # the bundled model is English-only
                    sentiment=False,
                    random_state=seed,
                )
                if told and multilingual:
                    # Told the true number within each language.
                    finder = _fit_told_per_language(finder, texts, langs, labels)
                else:
                    finder.fit(texts, langs)
                timing.append(time.perf_counter() - started)
                fine.append(scores(truth, finder.labels_))
                top.append(scores(truth, top_level(finder)))
                counts.append((finder.meta_["n_themes"], finder.meta_["n_subthemes"]))
                results[(backend, "told" if told else "auto")].append(finder)
            n_top, n_sub = np.mean(counts, axis=0)
            what = "k=true" if told else "auto"
            extra = f"themes {n_top:.0f}, sub-themes {n_sub:.0f}, {np.mean(timing):.1f} s"
            row(f"ThemeFinder {backend} ({what}) fine", fine, extra)
            if not told and n_sub:
                row(f"ThemeFinder {backend} ({what}) top", top)
    if multilingual:
        _per_language(texts, langs, labels, seeds, results)


def _fit_told_per_language(finder: ThemeFinder, texts, langs, labels) -> ThemeFinder:
    """Fit one finder per language, each told that language's number of labels; merge."""
    merged = np.full(len(texts), -1)
    offset = 0
    themes = 0
    for lang in sorted(set(langs)):
        rows = [i for i, lg in enumerate(langs) if lg == lang]
        k = len({labels[i] for i in rows})
        sub = ThemeFinder(
            k,
            **{p: getattr(finder, p) for p in ("backend", "encoder", "encoder_languages")},
            sentiment=False,
            random_state=finder.random_state,
        )
        sub.fit([texts[i] for i in rows], [lang] * len(rows))
        lab = sub.labels_
        merged[rows] = np.where(lab >= 0, lab + offset, -1)
        offset += len(sub.themes_)
        themes += sub.meta_["n_themes"]
    finder.labels_ = merged
    finder.themes_ = []
    finder.meta_ = {"n_themes": themes, "n_subthemes": 0}
    return finder


def _per_language(texts, langs, labels, seeds, results) -> None:
    print("  within each language (NMI ×100; baseline told the number within the language):")
    header = "  lang  baseline  " + "  ".join(f"{b}/{m}" for b, m in results)
    print(header)
    for lang in sorted(set(langs)):
        rows = np.array([i for i, lg in enumerate(langs) if lg == lang])
        sub_labels = [labels[i] for i in rows]
        codes = {lab: i for i, lab in enumerate(sorted(set(sub_labels)))}
        truth = np.array([codes[lab] for lab in sub_labels])
        tfidf = TfidfVectorizer().fit_transform([texts[i] for i in rows])
        base = np.mean(
            [
                normalized_mutual_info_score(
                    truth, KMeans(len(codes), random_state=s).fit_predict(tfidf)
                )
                for s in seeds
            ]
        )
        cells = []
        for finders in results.values():
            value = np.mean([normalized_mutual_info_score(truth, f.labels_[rows]) for f in finders])
            cells.append(f"{100 * value:5.1f}{'*' if value > base else ' '}")
        print(f"  {lang:<5} {100 * base:7.1f}   " + "   ".join(f"{c:>10}" for c in cells))
    print("  (* above the baseline within that language)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("csv", nargs="+", type=Path)
    parser.add_argument("--seeds", type=int, default=3, help="seeds to average over")
    parser.add_argument("--no-semantic", action="store_true", help="skip the semantic backend")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    encoder = None
    backends = ["tfidf"]
    if not args.no_semantic and semantic_available():
        encoder = CachedEncoder()
        backends.append("semantic")
    elif not args.no_semantic:
        print("(sentence-transformers not installed: semantic backend skipped)")
    print(f"seeds {list(range(args.seeds))}; figures ×100, mean over seeds")
    for path in args.csv:
        evaluate(path, list(range(args.seeds)), backends, encoder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
