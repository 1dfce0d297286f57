"""Statistics for dashboards and the backlog.

* :func:`disaggregate` / :func:`suppress`: counts by one or two dimensions with small-cell
  suppression. A cell below the threshold is hidden (primary suppression); then, because
  row and column totals are shown, further cells are hidden (complementary suppression)
  until no row or column has exactly one hidden cell, so a hidden count cannot be
  recovered by subtracting the others from a total.
* :func:`representativeness`: who answered, against the community's baseline shares.
* :func:`rake` and :func:`effective_sample_size`: weights that match known margins
  (iterative proportional fitting) and Kish's effective sample size.
* :func:`opportunity_score`: importance + max(importance − satisfaction, 0), 0–10 scale.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np


def suppress(counts: Any, threshold: int = 10, *, suppress_zeros: bool = False) -> np.ndarray:
    """Which cells of a count table to hide.

    Args:
        counts: a 1-D or 2-D table of non-negative counts.
        threshold: cells with ``0 < count < threshold`` are hidden (primary suppression).
        suppress_zeros: also hide zero cells (by default a zero is shown: it is not a
            small group of people).

    Returns:
        A boolean array shaped like ``counts``; ``True`` means hidden. Complementary cells
        are added greedily (cells that protect two lines at once first, then the smallest)
        until every row and every column has either no hidden cell or at least two.
        Greedy, so not always the fewest cells; always safe against subtraction from
        row and column totals.
    """
    table = np.asarray(counts, dtype=float)
    one_d = table.ndim == 1
    if one_d:
        table = table[None, :]
    if table.ndim != 2:
        raise ValueError("counts must be a 1-D or 2-D table")
    if (table < 0).any():
        raise ValueError("counts must not be negative")
    hidden = (table < threshold) & ((table > 0) | suppress_zeros)
    # Rows and columns are published with totals (a 1-D table has only its total).
    lines = [("row", i) for i in range(table.shape[0])]
    if not one_d:
        lines += [("col", j) for j in range(table.shape[1])]
    changed = True
    while changed:
        changed = False
        for kind, index in lines:
            cells = hidden[index, :] if kind == "row" else hidden[:, index]
            if cells.sum() != 1:
                continue
            values = table[index, :] if kind == "row" else table[:, index]
            candidates = []
            for p in range(len(values)):
                if cells[p]:
                    continue
                # Cells whose crossing line already has one hidden cell fix two lines at
                # once (hidden cells form rectangles); then cells whose crossing line is
                # already safe; last, cells that leave a new lone hidden cell. Among
                # those, the smallest non-zero count (hiding a known zero protects nothing).
                if one_d:
                    priority = 0
                else:
                    crossing = hidden[:, p] if kind == "row" else hidden[p, :]
                    priority = {1: 0, 0: 2}.get(int(crossing.sum()), 1)
                candidates.append((priority, values[p] == 0, values[p], p))
            if not candidates:
                continue
            position = min(candidates)[-1]
            if kind == "row":
                hidden[index, position] = True
            else:
                hidden[position, index] = True
            changed = True
    return hidden[0] if one_d else hidden


@dataclass
class Disaggregation:
    """A count table with suppressed cells as ``None``. ``to_dict()`` gives its JSON form."""

    rows: list[Hashable]
    columns: list[Hashable]
    counts: list[list[int | None]]
    row_totals: list[int]
    column_totals: list[int]
    total: int
    threshold: int
    hidden: np.ndarray

    def to_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "columns": self.columns,
            "counts": self.counts,
            "row_totals": self.row_totals,
            "column_totals": self.column_totals,
            "total": self.total,
            "threshold": self.threshold,
            "n_hidden": int(self.hidden.sum()),
        }


def disaggregate(
    rows: Sequence[Hashable],
    columns: Sequence[Hashable] | None = None,
    *,
    threshold: int = 10,
    row_order: Sequence[Hashable] | None = None,
    column_order: Sequence[Hashable] | None = None,
) -> Disaggregation:
    """Count items by one dimension (``rows``) or two (``rows`` × ``columns``), suppressed.

    Args:
        rows: each item's category on the first dimension (e.g. its theme).
        columns: each item's category on the second dimension (e.g. area); ``None`` for a
            one-column table.
        threshold: smallest count shown (see :func:`suppress`).
        row_order, column_order: categories in display order (default: sorted); listing a
            category that nobody is in shows it with zero.
    """
    if columns is not None and len(columns) != len(rows):
        raise ValueError("rows and columns must have one entry per item")
    cols = list(columns) if columns is not None else ["count"] * len(rows)
    row_keys = list(row_order) if row_order is not None else sorted(set(rows), key=str)
    col_keys = list(column_order) if column_order is not None else sorted(set(cols), key=str)
    r_index = {key: i for i, key in enumerate(row_keys)}
    c_index = {key: j for j, key in enumerate(col_keys)}
    table = np.zeros((len(row_keys), len(col_keys)), dtype=int)
    for r, c in zip(rows, cols, strict=True):
        if r in r_index and c in c_index:
            table[r_index[r], c_index[c]] += 1
    hidden = suppress(table[:, 0] if columns is None else table, threshold)
    if columns is None:
        hidden = hidden[:, None]
    shown = [
        [None if hidden[i, j] else int(table[i, j]) for j in range(table.shape[1])]
        for i in range(table.shape[0])
    ]
    return Disaggregation(
        rows=row_keys,
        columns=col_keys,
        counts=shown,
        row_totals=[int(x) for x in table.sum(axis=1)],
        column_totals=[int(x) for x in table.sum(axis=0)],
        total=int(table.sum()),
        threshold=threshold,
        hidden=hidden,
    )


def representativeness(
    sample: Sequence[Hashable] | Mapping[Hashable, float],
    baseline: Mapping[Hashable, float],
    *,
    under: float = 0.8,
) -> dict[str, Any]:
    """Compare who answered with the community's composition.

    Args:
        sample: each respondent's group, or a mapping group → count.
        baseline: group → share (or count) in the community; normalised to shares.
        under: representation ratio below which a group is flagged as under-heard.

    Returns:
        ``{"groups": [{"group", "count", "share", "baseline_share", "difference",
        "ratio", "under_represented"}], "chi2", "p_value", "n"}``; groups missing from
        the baseline are reported with a ``None`` baseline and left out of the test.
    """
    counts = Counter(sample) if not isinstance(sample, Mapping) else Counter(dict(sample))
    base_total = float(sum(baseline.values()))
    if base_total <= 0:
        raise ValueError("baseline shares must add up to more than zero")
    n = float(sum(counts.values()))
    groups = []
    for group in list(baseline) + [g for g in counts if g not in baseline]:
        count = float(counts.get(group, 0))
        share = count / n if n else 0.0
        base = baseline.get(group)
        base_share = None if base is None else float(base) / base_total
        ratio = share / base_share if base_share else None
        groups.append(
            {
                "group": group,
                "count": count,
                "share": share,
                "baseline_share": base_share,
                "difference": None if base_share is None else share - base_share,
                "ratio": ratio,
                "under_represented": ratio is not None and ratio < under,
            }
        )
    chi2 = p_value = None
    in_base = [g for g in groups if g["baseline_share"]]
    if n and len(in_base) > 1:
        observed = np.array([g["count"] for g in in_base])
        expected = np.array([g["baseline_share"] for g in in_base])
        expected = expected / expected.sum() * observed.sum()
        from scipy import stats as scipy_stats  # on first use: a second to import

        result = scipy_stats.chisquare(observed, expected)
        chi2, p_value = float(result.statistic), float(result.pvalue)
    return {"groups": groups, "chi2": chi2, "p_value": p_value, "n": n}


def rake(
    rows: Sequence[Mapping[str, Hashable]],
    margins: Mapping[str, Mapping[Hashable, float]],
    *,
    max_iter: int = 100,
    tol: float = 1e-8,
    bounds: tuple[float, float] | None = None,
) -> np.ndarray:
    """Raking weights: each dimension's weighted shares match the target margins.

    Args:
        rows: each respondent's category on every dimension in ``margins``.
        margins: dimension → category → target share (or count; normalised per dimension).
        max_iter: most passes over the dimensions.
        tol: stop when every weighted margin is within ``tol`` of its target share.
        bounds: optional (low, high) trimming of the weights relative to their mean.

    Returns:
        One weight per respondent, with mean 1 (so weighted counts add up to ``n``).

    Raises:
        ValueError: a target category has no respondents, or a respondent's category has
            no target, so the margins cannot be met.
    """
    n = len(rows)
    if n == 0:
        return np.zeros(0)
    weights = np.ones(n)
    index: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for dim, target in margins.items():
        cats = list(target)
        position = {c: i for i, c in enumerate(cats)}
        try:
            codes = np.array([position[row[dim]] for row in rows])
        except KeyError as error:
            raise ValueError(f"category {error.args[0]!r} of {dim!r} has no target") from None
        shares = np.array([float(target[c]) for c in cats])
        shares = shares / shares.sum()
        empty = [
            c
            for c, s, have in zip(
                cats, shares, np.bincount(codes, minlength=len(cats)), strict=True
            )
            if s > 0 and have == 0
        ]
        if empty:
            raise ValueError(f"no respondents in {dim!r} categories {empty!r}")
        index[dim] = (codes, shares)
    for _ in range(max_iter):
        for codes, shares in index.values():
            current = np.bincount(codes, weights=weights, minlength=len(shares))
            factor = np.divide(
                shares * weights.sum(), current, out=np.zeros_like(shares), where=current > 0
            )
            weights = weights * factor[codes]
            if bounds is not None:
                mean = weights.mean()
                weights = np.clip(weights, bounds[0] * mean, bounds[1] * mean)
        worst = max(
            float(
                np.abs(
                    np.bincount(codes, weights=weights, minlength=len(shares)) / weights.sum()
                    - shares
                ).max()
            )
            for codes, shares in index.values()
        )
        if worst < tol:
            break
    return weights * n / weights.sum()


def effective_sample_size(weights: Sequence[float]) -> float:
    """Kish's effective sample size, ``(Σw)² / Σw²``."""
    w = np.asarray(weights, dtype=float)
    denominator = float(np.sum(w**2))
    return float(np.sum(w) ** 2 / denominator) if denominator else 0.0


def design_effect(weights: Sequence[float]) -> float:
    """Kish's design effect of weighting, ``n / n_eff``."""
    n_eff = effective_sample_size(weights)
    return len(weights) / n_eff if n_eff else float("nan")


def opportunity_score(importance: float, satisfaction: float) -> float:
    """Ulwick's opportunity score on a 0–10 scale: importance + max(importance − satisfaction, 0).

    Raises:
        ValueError: a rating outside 0–10.
    """
    for name, value in (("importance", importance), ("satisfaction", satisfaction)):
        if not 0 <= value <= 10:
            raise ValueError(f"{name} must be between 0 and 10, got {value}")
    return float(importance + max(importance - satisfaction, 0.0))


def opportunity_from_ratings(
    importance: Sequence[float | None],
    satisfaction: Sequence[float | None],
    weights: Sequence[float] | None = None,
) -> dict[str, float | int | None]:
    """Opportunity score of an outcome from respondents' 0–10 ratings (weighted means).

    Missing ratings (``None``) are left out of that rating's mean.
    """

    def mean(values: Sequence[float | None]) -> tuple[float | None, int]:
        w = np.ones(len(values)) if weights is None else np.asarray(weights, dtype=float)
        keep = np.array([v is not None for v in values])
        if not keep.any():
            return None, 0
        x = np.array([float(v) for v in values if v is not None])
        return float(np.average(x, weights=w[keep])), int(keep.sum())

    imp, n_imp = mean(importance)
    sat, n_sat = mean(satisfaction)
    score = opportunity_score(imp, sat) if imp is not None and sat is not None else None
    return {
        "importance": imp,
        "satisfaction": sat,
        "score": score,
        "n_importance": n_imp,
        "n_satisfaction": n_sat,
    }
