"""Clustering unit vectors into themes, choosing how many, and grouping them in two levels.

The number of fine themes is the one with the best silhouette (cosine) on a sample,
searched over a geometric grid; on the development sets the silhouette optimum landed
near or above the true number of labels, where NMI is high. When that number is more
than a workgroup can read at once, fine themes about the same thing become sub-themes of
one top-level theme (complete linkage of the themes' centred mean vectors, cut at a
similarity); a fine theme like no other stays a top-level theme by itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse
from scipy.cluster.hierarchy import cut_tree, linkage
from scipy.spatial.distance import squareform
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import normalize

_FULL_FIT_LIMIT = 30_000
# Least similarity (:func:`theme_similarity`) of every two sub-themes of a top-level theme.
TOP_LEVEL_SIMILARITY = 0.3
# Least similarity of every two sub-themes of a top-level theme when the top level is cut lower
# to bound its length (see :func:`group_top_level`).
TOP_LEVEL_FLOOR = 0.15


@dataclass
class KChoice:
    """How the number of themes was chosen: candidates tried and their silhouettes."""

    k: int
    candidates: list[int]
    scores: list[float]
    sample_size: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "chosen": self.k,
            "criterion": "silhouette (cosine) on a sample",
            "sample_size": self.sample_size,
            "candidates": dict(
                zip(self.candidates, [round(s, 4) for s in self.scores], strict=True)
            ),
        }


def candidate_ks(n: int, max_k: int) -> list[int]:
    """A geometric grid of cluster counts from 2 to ``min(max_k, n // 10)``.

    At least ten answers per theme on average: below that, silhouette keeps rising with
    the number of clusters on small sets of long answers, without finding topics.
    """
    upper = max(2, min(max_k, n // 10))
    grid = np.unique(np.round(np.geomspace(2, upper, num=18)).astype(int))
    return [int(k) for k in grid if 2 <= k < n]


def choose_k(
    vectors: np.ndarray,
    weights: np.ndarray,
    *,
    max_k: int,
    sample_size: int,
    random_state: int,
) -> KChoice:
    """Pick the number of clusters with the best silhouette on a (weighted) sample."""
    n = vectors.shape[0]
    rng = np.random.RandomState(random_state)
    if n > sample_size:
        # Sample in proportion to how many answers each unique text stands for.
        p = weights / weights.sum()
        rows = np.sort(rng.choice(n, sample_size, replace=False, p=p))
    else:
        rows = np.arange(n)
    sample = vectors[rows]
    candidates = candidate_ks(len(rows), max_k)
    if not candidates:
        return KChoice(1, [], [], len(rows))
    scores: list[float] = []
    for k in candidates:
        labels = KMeans(k, n_init=2, random_state=random_state).fit_predict(sample)
        if len(np.unique(labels)) < 2:
            scores.append(-1.0)
            continue
        scores.append(float(silhouette_score(sample, labels, metric="cosine")))
    best = max(scores)
    # Prefer the fewest themes among near-ties: a workgroup reads every one of them.
    chosen = next(k for k, s in zip(candidates, scores, strict=True) if s >= best - 0.002)
    return KChoice(chosen, candidates, scores, len(rows))


def kmeans(vectors: np.ndarray, weights: np.ndarray, k: int, random_state: int) -> np.ndarray:
    """Weighted k-means labels; large inputs are fitted on a sample, then refined on all."""
    n = vectors.shape[0]
    k = max(1, min(k, n))
    if k == 1:
        return np.zeros(n, dtype=int)
    if n <= _FULL_FIT_LIMIT:
        # More restarts where they are cheap: small sets have more bad local optima.
        model = KMeans(k, n_init=10 if n <= 5000 else 3, random_state=random_state)
        return model.fit_predict(vectors, sample_weight=weights)
    rng = np.random.RandomState(random_state)
    rows = np.sort(rng.choice(n, _FULL_FIT_LIMIT, replace=False))
    seed = KMeans(k, n_init=1, random_state=random_state)
    seed.fit(vectors[rows], sample_weight=weights[rows])
    model = KMeans(k, init=seed.cluster_centers_, n_init=1, max_iter=30, random_state=random_state)
    return model.fit_predict(vectors, sample_weight=weights)


def centroids(vectors: np.ndarray, labels: np.ndarray, weights: np.ndarray, k: int) -> np.ndarray:
    """Unit-length weighted mean vector of each cluster ``0..k-1``."""
    out = np.zeros((k, vectors.shape[1]), dtype=np.float64)
    np.add.at(out, labels, vectors * weights[:, None])
    return normalize(out).astype(np.float32)


def relabel_by_size(labels: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Renumber clusters so 0 is the largest (ties: the one seen first)."""
    uniq = np.unique(labels)
    sizes = {c: float(weights[labels == c].sum()) for c in uniq}
    first = {c: int(np.argmax(labels == c)) for c in uniq}
    order = sorted(uniq, key=lambda c: (-sizes[c], first[c]))
    mapping = {c: i for i, c in enumerate(order)}
    return np.array([mapping[c] for c in labels], dtype=int)


def theme_similarity(vectors: np.ndarray, labels: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """How much the answers of two themes are about the same thing, for every pair of themes.

    The cosine of the two themes' mean vectors, after the mean of all answers is taken off
    both. The cosine of two mean vectors is the mean similarity of an answer of one theme
    to an answer of the other, over the geometric mean of each theme's own mean similarity
    between its answers; taking off the overall mean first measures it against a typical
    answer of this data, so what every answer shares (the subject of the whole survey, or
    the general direction a sentence encoder gives all sentences) does not count as a
    shared topic: unrelated themes come out near 0, themes about the same thing near 1
    (after a correction for the number of themes, which matters only when it is small).
    """
    k = int(labels.max()) + 1
    n = len(labels)
    member = sparse.csr_matrix((weights.astype(np.float64), (labels, np.arange(n))), shape=(k, n))
    sums = np.asarray(member @ vectors.astype(np.float64))
    sizes = np.bincount(labels, weights=weights, minlength=k)
    means = sums / np.maximum(sizes, 1e-12)[:, None]
    overall = sums.sum(axis=0) / max(float(sizes.sum()), 1e-12)
    centred = normalize(means - overall)
    cosine = centred @ centred.T
    # k directions taken off their own mean are at -1/(k-1) of each other on average when
    # unrelated: rescale so that unrelated is 0 and the same is 1 whatever the number.
    bias = 1.0 / (k - 1) if k > 1 else 0.0
    return np.clip((cosine + bias) / (1.0 + bias), -1.0, 1.0)


def group_top_level(
    vectors: np.ndarray,
    fine: np.ndarray,
    weights: np.ndarray,
    *,
    min_similarity: float = TOP_LEVEL_SIMILARITY,
    max_groups: int | None = None,
    floor: float = TOP_LEVEL_FLOOR,
) -> np.ndarray:
    """Parent (top-level) group of each fine cluster, ``0..T-1``.

    Fine themes are joined by complete linkage on :func:`theme_similarity`, only while
    *every* two fine themes in a group are at least ``min_similarity`` alike: a top-level
    theme gathers sub-themes about the same thing, and a fine theme like no other stays a
    top-level theme of its own. ``T`` is therefore whatever the data supports, not a fixed
    number. (Ward linkage cut at a silhouette-chosen 3–12 groups, used before, had to join
    unrelated themes when the data had more than 12 subjects: one top-level theme held 41%
    of a 150-intent set.)

    With ``max_groups``, when that leaves more than ``max_groups`` top-level themes, the
    same tree is cut lower — the least different groups are joined first — until there are
    ``max_groups``, but never below ``floor``: every two sub-themes of a top-level theme stay
    at least ``floor`` alike, so a long top level stays long rather than lumping unrelated
    themes together.
    """
    k = int(fine.max()) + 1
    if k < 2:
        return np.zeros(k, dtype=int)
    distance = 1.0 - theme_similarity(vectors, fine, weights)
    np.fill_diagonal(distance, 0.0)
    distance = np.clip((distance + distance.T) / 2.0, 0.0, None)
    tree = linkage(squareform(distance, checks=False), method="complete")
    # Merge heights are the largest distance inside the merged group (complete linkage).
    heights = tree[:, 2]
    joins = int(np.sum(heights < 1.0 - min_similarity))
    if max_groups is not None and k - joins > max_groups:
        allowed = int(np.sum(heights <= 1.0 - floor))
        joins = max(joins, min(k - max_groups, allowed))
    # Groups after the first ``joins`` merges, numbered in order of their first leaf.
    return cut_tree(tree, n_clusters=k - joins)[:, 0].astype(int)
