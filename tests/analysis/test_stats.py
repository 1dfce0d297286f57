"""Statistics: suppression arithmetic, representativeness, raking, opportunity scores."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from analysis.stats import (
    design_effect,
    disaggregate,
    effective_sample_size,
    opportunity_from_ratings,
    opportunity_score,
    rake,
    representativeness,
    suppress,
)


def _recoverable(table: np.ndarray, hidden: np.ndarray) -> bool:
    """True if some hidden cell is the only hidden one in its row or column (so the
    published total minus the visible cells gives it away)."""
    table2 = np.atleast_2d(table)
    hidden2 = np.atleast_2d(hidden)
    lines = [hidden2[i, :] for i in range(hidden2.shape[0])]
    if table.ndim == 2:
        lines += [hidden2[:, j] for j in range(hidden2.shape[1])]
    del table2
    return any(line.sum() == 1 for line in lines)


def test_suppress_one_dimension_hides_small_cell_and_a_complement() -> None:
    counts = np.array([40, 3, 25, 12])
    hidden = suppress(counts, threshold=10)
    assert hidden[1]  # primary
    assert hidden.sum() == 2 and hidden[3]  # the smallest other cell, so 3 = total − rest fails
    assert not _recoverable(counts, hidden)


def test_suppress_two_dimensions_protects_rows_and_columns() -> None:
    counts = np.array([[20, 4, 30], [15, 25, 12], [18, 22, 40]])
    hidden = suppress(counts, threshold=5)
    assert hidden[0, 1]
    assert not _recoverable(counts, hidden)
    assert hidden.sum() == 4  # a 2 × 2 rectangle of hidden cells
    assert not hidden[2].any() or not hidden[:, 2].any()


def test_suppress_leaves_large_cells_and_zeros() -> None:
    counts = np.array([[0, 12], [30, 11]])
    assert not suppress(counts, threshold=10).any()


def test_suppress_random_tables_never_recoverable() -> None:
    rng = np.random.default_rng(0)
    for _ in range(200):
        counts = rng.integers(0, 40, size=(rng.integers(2, 6), rng.integers(2, 6)))
        hidden = suppress(counts, threshold=10)
        assert np.all(hidden[(counts > 0) & (counts < 10)])
        assert not _recoverable(counts, hidden) or hidden.sum() == 0


def test_disaggregate_two_way_table() -> None:
    themes = ["bus"] * 30 + ["rent"] * 30 + ["park"] * 12
    areas = (["north"] * 25 + ["south"] * 5) + (["north"] * 12 + ["south"] * 18) + ["south"] * 12
    table = disaggregate(themes, areas, threshold=10)
    assert table.rows == ["bus", "park", "rent"] and table.columns == ["north", "south"]
    assert table.counts[0][1] is None  # bus/south = 5
    assert table.row_totals == [30, 12, 30] and table.total == 72
    flat = list(itertools.chain.from_iterable(table.counts))
    assert flat.count(None) >= 2
    assert table.to_dict()["n_hidden"] == flat.count(None)


def test_disaggregate_one_way() -> None:
    table = disaggregate(["a"] * 20 + ["b"] * 3 + ["c"] * 15, threshold=5)
    assert [row[0] for row in table.counts] == [20, None, None]


def test_representativeness_flags_under_heard_groups() -> None:
    sample = ["en"] * 70 + ["es"] * 25 + ["ar"] * 5
    result = representativeness(sample, {"en": 50, "es": 30, "ar": 20})
    groups = {g["group"]: g for g in result["groups"]}
    assert groups["ar"]["share"] == pytest.approx(0.05)
    assert groups["ar"]["baseline_share"] == pytest.approx(0.2)
    assert groups["ar"]["ratio"] == pytest.approx(0.25)
    assert groups["ar"]["under_represented"] and not groups["en"]["under_represented"]
    assert result["p_value"] < 0.001


def test_rake_matches_margins_and_kish() -> None:
    rows = (
        [{"sex": "f", "age": "young"}] * 10
        + [{"sex": "f", "age": "old"}] * 40
        + [{"sex": "m", "age": "young"}] * 30
        + [{"sex": "m", "age": "old"}] * 20
    )
    margins = {"sex": {"f": 0.5, "m": 0.5}, "age": {"young": 0.6, "old": 0.4}}
    weights = rake(rows, margins)
    assert weights.mean() == pytest.approx(1.0)
    for dim, target in margins.items():
        for cat, share in target.items():
            got = sum(w for w, r in zip(weights, rows, strict=True) if r[dim] == cat)
            assert got / weights.sum() == pytest.approx(share, abs=1e-6)
    n_eff = effective_sample_size(weights)
    assert n_eff == pytest.approx(weights.sum() ** 2 / (weights**2).sum())
    assert n_eff < len(rows)
    assert design_effect(weights) == pytest.approx(len(rows) / n_eff)


def test_effective_sample_size_equal_weights() -> None:
    assert effective_sample_size([2.0] * 50) == pytest.approx(50)
    assert effective_sample_size([1, 1, 4]) == pytest.approx(36 / 18)


def test_rake_rejects_impossible_margins() -> None:
    with pytest.raises(ValueError, match="no respondents"):
        rake([{"area": "north"}], {"area": {"north": 0.5, "south": 0.5}})
    with pytest.raises(ValueError, match="no target"):
        rake([{"area": "east"}], {"area": {"north": 1.0}})


@pytest.mark.parametrize(
    ("importance", "satisfaction", "score"),
    [(8, 3, 13), (8, 9, 8), (10, 0, 20), (0, 0, 0), (6.5, 4.0, 9.0)],
)
def test_opportunity_score(importance: float, satisfaction: float, score: float) -> None:
    assert opportunity_score(importance, satisfaction) == pytest.approx(score)


def test_opportunity_score_rejects_out_of_scale() -> None:
    with pytest.raises(ValueError):
        opportunity_score(11, 2)


def test_opportunity_from_ratings_uses_means() -> None:
    result = opportunity_from_ratings([8, 10, None, 9], [2, 4, 6, None])
    assert result["importance"] == pytest.approx(9.0)
    assert result["satisfaction"] == pytest.approx(4.0)
    assert result["score"] == pytest.approx(14.0)
    assert result["n_importance"] == 3
