"""Clustering unit vectors into themes, choosing how many, and grouping them in two levels.

The number of fine themes is the one with the best silhouette (cosine) on a sample,
searched over a geometric grid; on the development sets the silhouette optimum landed
near or above the true number of labels, where NMI is high. When that number is more
than a workgroup can read, the fine themes become sub-themes of a few top-level themes
(Ward linkage of the fine centroids).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.cluster import AgglomerativeClustering, KMeans
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import normalize

_FULL_FIT_LIMIT = 30_000


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


def group_top_level(
    vectors: np.ndarray,
    fine: np.ndarray,
    weights: np.ndarray,
    *,
    max_top: int,
    sample_size: int,
    random_state: int,
) -> np.ndarray:
    """Parent (top-level) cluster of each fine cluster, ``0..T-1`` with ``T <= max_top``.

    The fine centroids are merged by Ward linkage; ``T`` maximises the silhouette of the
    texts under the merged labels (on a sample), between 3 and ``max_top``.
    """
    k = int(fine.max()) + 1
    cents = centroids(vectors, fine, weights, k)
    rng = np.random.RandomState(random_state)
    rows = np.sort(rng.choice(len(fine), min(sample_size, len(fine)), replace=False))
    best: tuple[float, np.ndarray] | None = None
    for top in range(min(3, k - 1), min(max_top, k - 1) + 1):
        parents = AgglomerativeClustering(top, linkage="ward").fit_predict(cents)
        merged = parents[fine[rows]]
        if len(np.unique(merged)) < 2:
            continue
        score = float(silhouette_score(vectors[rows], merged, metric="cosine"))
        if best is None or score > best[0]:
            best = (score, parents)
    if best is None:
        return np.zeros(k, dtype=int)
    return best[1]
