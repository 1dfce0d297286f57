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
  top-level themes a workgroup sees first (the same as ``fine`` when there is one level).

The top level of each choosing run is scored next to ``baseline tfidf+kmeans (k=top)``:
``TfidfVectorizer()`` + ``KMeans`` told as many clusters as that run has top-level themes
(same seed; target: ThemeFinder above it on every set), and with the share of answers in
the largest top-level theme next to the share of the largest true label (one top-level
theme holding a large share of unrelated answers is what the target guards against).

For each ThemeFinder run it also prints how its theme labels read (``labels``): the share of
labels that are phrases found in at least two of the theme's answers, the share that are a span
of one answer (themes whose answers share no phrase), how many fell back to keywords (target:
none), and label-to-theme retrieval: each answer is assigned to the theme
(of its language, at that level) whose label it matches best by TF-IDF cosine (words and word
pairs; characters and character pairs in Chinese/Japanese); accuracy over placed answers,
for the leaf themes and, when there are two levels, the top-level ones.

Answers ThemeFinder sets aside as non-informative count as one more cluster, so they cost
rather than help. A file with a ``language`` column is also scored within each language
(themes are found per language), against k-means told that language's number of labels on
word TF-IDF and on character 2-4-gram TF-IDF (``analyzer="char_wb"``; the target).
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import time
from collections import defaultdict
from itertools import pairwise
from pathlib import Path

import numpy as np
from scipy.optimize import linear_sum_assignment
from sklearn.cluster import KMeans
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score
from sklearn.metrics.cluster import contingency_matrix

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis import ThemeFinder, semantic_available
from analysis._preprocess import language_tools
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


def largest_share(pred: np.ndarray) -> float:
    """Share (%) of all answers in the largest cluster (set-aside answers are no cluster)."""
    placed = pred[pred >= 0]
    return 100 * np.bincount(placed).max() / len(pred) if len(placed) else 0.0


def row(name: str, values: list[np.ndarray], extra: str = "") -> None:
    mean = np.mean(values, axis=0)
    print(f"  {name:<44} NMI {mean[0]:5.1f}  ARI {mean[1]:5.1f}  ACC {mean[2]:5.1f}  {extra}")


def _label_units(text: str, language: str) -> list[str]:
    """Words and word pairs (characters and pairs in CJK scripts) to match answers to labels."""
    tools = language_tools(language)
    units = list(tools.char_text(text)) if tools.is_cjk else tools.surface_tokens(text)
    return units + [f"{a} {b}" for a, b in pairwise(units)]


def _occurs(phrase: str, text: str, language: str) -> bool:
    tools = language_tools(language)
    if tools.is_cjk:
        return tools.char_text(phrase) in tools.char_text(text)
    words = " ".join(tools.surface_tokens(phrase))
    return bool(words) and f" {words} " in f" {' '.join(tools.surface_tokens(text))} "


def _old_label(theme) -> str:
    """The label as it was before phrase labels: the three best keywords."""
    return ", ".join(theme.keywords[:3]) or theme.label


def _retrieval(texts, langs, assigned: np.ndarray, themes, label=lambda t: t.label) -> float:
    """Share of placed answers whose best-matching label (same language) is their theme's."""
    label_of = {t.id: label(t) for t in themes}
    hits = placed = 0
    for lang in sorted({t.language for t in themes}):
        ids = [t.id for t in themes if t.language == lang]
        rows = [i for i in range(len(texts)) if langs[i] == lang and assigned[i] in label_of]
        if not rows or not ids:
            continue
        vectorizer = TfidfVectorizer(analyzer=lambda x, lang=lang: _label_units(x, lang))
        answers = vectorizer.fit_transform([texts[i] for i in rows])
        labels = vectorizer.transform([label_of[i] for i in ids])
        sims = (answers @ labels.T).toarray()
        best = np.array(ids)[np.argmax(sims, axis=1)]
        matched = (best == assigned[rows]) & (sims.max(axis=1) > 0)
        hits += int(matched.sum())
        placed += len(rows)
    return hits / placed if placed else float("nan")


def label_quality(finder: ThemeFinder, language: str | None = None) -> np.ndarray:
    """[% labels that are phrases found in ≥ 2 of the theme's answers, % labels that are a
    span of one of the theme's answers (found in it; used when no phrase is shared), % labels
    made of keywords, retrieval accuracy % (leaf), retrieval accuracy % (top; NaN with one
    level), leaf retrieval accuracy % with the three-keyword labels of before]; with
    ``language``, of that language's themes only."""
    texts, langs = finder.redacted_, finder.languages_
    leaf = np.asarray(finder.labels_)
    top = top_level(finder)
    themes = [t for t in finder.themes_ if language is None or t.language == language]
    phrase = span = 0
    for theme in themes:
        own = top if theme.parent is None and theme.subthemes else leaf
        answers = [texts[i] for i in np.flatnonzero(own == theme.id)]
        found = sum(_occurs(theme.label, a, theme.language) for a in answers)
        phrase += theme.label_source == "phrase" and found >= 2
        span += getattr(theme, "label_source", "") == "answer" and found >= 1
    n = len(themes)
    keywords = sum(t.label_source == "keywords" for t in themes)
    leaves = [t for t in themes if not t.subthemes]
    tops = [t for t in themes if t.parent is None]
    two_levels = any(t.subthemes for t in tops)
    return 100 * np.array(
        [
            phrase / n,
            span / n,
            keywords / n,
            _retrieval(texts, langs, leaf, leaves),
            _retrieval(texts, langs, top, tops) if two_levels else float("nan"),
            _retrieval(texts, langs, leaf, leaves, _old_label),
        ]
    )


def label_row(values: list[np.ndarray]) -> None:
    mean = np.mean(values, axis=0)
    top = "" if np.isnan(mean[4]) else f", top {mean[4]:5.1f}"
    print(
        f"    labels: phrases in >= 2 answers {mean[0]:5.1f}%, one answer's span {mean[1]:4.1f}%"
        f" (keywords {mean[2]:4.1f}%)  label->theme retrieval ACC fine {mean[3]:5.1f}{top}"
        f" (keyword labels: fine {mean[5]:5.1f})"
    )


def run_baselines(texts, truth, k, seeds, embeddings):
    tfidf = TfidfVectorizer().fit_transform(texts)
    out = {"tfidf": [scores(truth, KMeans(k, random_state=s).fit_predict(tfidf)) for s in seeds]}
    if embeddings is not None:
        out["minilm"] = [
            scores(truth, KMeans(k, random_state=s).fit_predict(embeddings)) for s in seeds
        ]
    return out


def evaluate(path: Path, seeds: list[int], backends: list[str], encoder, auto_only=False) -> None:
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
    tfidf = TfidfVectorizer().fit_transform(texts)
    largest_class = 100 * np.bincount(truth).max() / len(truth)
    verdicts: list[str] = []
    for backend in backends:
        for told in (False,) if auto_only else (True, False):
            fine, top, timing, counts, labelled = [], [], [], [], []
            top_base, top_share = [], []
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
                tops = top_level(finder)
                top.append(scores(truth, tops))
                counts.append((finder.meta_["n_themes"], finder.meta_["n_subthemes"]))
                if not told:
                    # The baseline told as many clusters as this run has top-level themes.
                    n_top = len(np.unique(tops[tops >= 0]))
                    pred = KMeans(n_top, random_state=seed).fit_predict(tfidf)
                    top_base.append(scores(truth, pred))
                    top_share.append((largest_share(tops), largest_share(pred)))
                if finder.themes_:  # (not the per-language merge of told runs)
                    labelled.append(label_quality(finder))
                results[(backend, "told" if told else "auto")].append(finder)
            n_top, n_sub = np.mean(counts, axis=0)
            what = "k=true" if told else "auto"
            extra = f"themes {n_top:.0f}, sub-themes {n_sub:.0f}, {np.mean(timing):.1f} s"
            row(f"ThemeFinder {backend} ({what}) fine", fine, extra)
            if not told:
                ours, theirs = np.mean(top_share, axis=0)
                row(
                    f"ThemeFinder {backend} ({what}) top",
                    top,
                    f"largest top theme {ours:4.1f}% (largest label {largest_class:.1f}%)",
                )
                row(
                    f"  baseline tfidf+kmeans (k=top, {n_top:.0f})",
                    top_base,
                    f"largest cluster {theirs:4.1f}%",
                )
                margin = np.mean(top, axis=0)[0] - np.mean(top_base, axis=0)[0]
                above = sum(a[0] > b[0] for a, b in zip(top, top_base, strict=True))
                verdicts.append(
                    f"  top-level NMI, {backend}: {margin:+.1f} against tfidf+kmeans (k=top); "
                    f"above it with {above} of {len(seeds)} seeds"
                    f" -> {'met' if above == len(seeds) else 'NOT met'}"
                )
            if backend == "semantic" and "minilm" in base and not multilingual:
                # The target: at or above all-MiniLM-L6-v2 + k-means told the true number.
                margin = np.mean(fine, axis=0)[0] - np.mean(base["minilm"], axis=0)[0]
                at = sum(a[0] >= b[0] for a, b in zip(fine, base["minilm"], strict=True))
                verdicts.append(
                    f"  fine NMI, semantic ({what}): {margin:+.1f} against MiniLM+kmeans (k=true); "
                    f"at or above it with {at} of {len(seeds)} seeds"
                    f" -> {'met' if margin >= 0 else 'NOT met'} (on the mean)"
                )
            if labelled:
                label_row(labelled)
    for line in verdicts:
        print(line)
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


def _kmeans_nmi(truth: np.ndarray, vectors, seeds) -> float:
    k = len(np.unique(truth))
    return float(
        np.mean(
            [
                normalized_mutual_info_score(truth, KMeans(k, random_state=s).fit_predict(vectors))
                for s in seeds
            ]
        )
    )


def _per_language(texts, langs, labels, seeds, results) -> None:
    """NMI within each language against k-means told that language's number of labels, on
    word TF-IDF (``words``) and on character 2-4-gram TF-IDF (``chars``, the issue's target:
    ``TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4))``)."""
    print("  within each language (NMI ×100; baselines told the number within the language):")
    header = "  lang  words  chars  " + "  ".join(f"{b}/{m}" for b, m in results)
    print(header)
    met = dict.fromkeys(results, 0)
    languages = sorted(set(langs))
    for lang in languages:
        rows = np.array([i for i, lg in enumerate(langs) if lg == lang])
        sub_texts = [texts[i] for i in rows]
        sub_labels = [labels[i] for i in rows]
        codes = {lab: i for i, lab in enumerate(sorted(set(sub_labels)))}
        truth = np.array([codes[lab] for lab in sub_labels])
        words = _kmeans_nmi(truth, TfidfVectorizer().fit_transform(sub_texts), seeds)
        chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4)).fit_transform(sub_texts)
        base = _kmeans_nmi(truth, chars, seeds)
        cells = []
        for key, finders in results.items():
            value = np.mean([normalized_mutual_info_score(truth, f.labels_[rows]) for f in finders])
            met[key] += value >= base
            cells.append(f"{100 * value:5.1f}{'*' if value >= base else ' '}")
        print(
            f"  {lang:<5} {100 * words:5.1f}  {100 * base:5.1f}   "
            + "   ".join(f"{c:>10}" for c in cells)
        )
    print("  (* at or above the character 2-4-gram baseline within that language)")
    for (backend, mode), finders in results.items():
        if not finders[0].themes_:
            continue  # told runs are fitted per language and merged: no labels to score
        print(f"  labels within each language, {backend}/{mode}:")
        for lang in languages:
            mean = np.mean([label_quality(f, lang) for f in finders], axis=0)
            print(
                f"    {lang:<5} phrases in >= 2 answers {mean[0]:5.1f}%, one answer's span"
                f" {mean[1]:5.1f}%, keywords {mean[2]:4.1f}%, retrieval ACC fine {mean[3]:5.1f}"
            )
    for (backend, mode), count in met.items():
        verdict = "met" if count == len(languages) else "NOT met"
        print(
            f"  per-language NMI, {backend}/{mode}: at or above tfidf char 2-4-gram + k-means"
            f" in {count} of {len(languages)} languages -> {verdict}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("csv", nargs="+", type=Path)
    parser.add_argument("--seeds", type=int, default=3, help="seeds to average over")
    parser.add_argument("--no-semantic", action="store_true", help="skip the semantic backend")
    parser.add_argument(
        "--auto-only",
        action="store_true",
        help="skip the runs told the true number (one level; the top level does not change them)",
    )
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
        evaluate(path, list(range(args.seeds)), backends, encoder, args.auto_only)
    return 0


if __name__ == "__main__":
    sys.exit(main())
