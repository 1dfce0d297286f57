"""Weighting closed-question results to the community's make-up: the arithmetic against
hand-computed values, people the make-up cannot place, and the page's warnings."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from engage.dashboard.weighting import weights_for
from engage.responses.services import submit_response
from tests.factories import make_campaign, make_survey
from tests.web.test_dashboard import _text
from tests.web.test_dashboard_intersections import BASE, definition_with_race

HALVES = {"area": {"North": 50, "South": 50}}


def _people(*groups: str | None) -> list[dict[str, str | None]]:
    return [{"area": g} for g in groups]


def test_one_dimension_weights_each_group_to_its_share():
    # 3 North, 1 South; the community is half and half. A North weight w_N with
    # 3·w_N = 2 and a South weight w_S = 2 (mean 1): w_N = 2/3, w_S = 2.
    w = weights_for(_people("North", "North", "North", "South"), HALVES)
    assert list(w.weights) == pytest.approx([2 / 3, 2 / 3, 2 / 3, 2])
    # Kish: (Σw)² / Σw² = 16 / (3·4/9 + 4) = 3; design effect 4/3.
    assert w.effective_size == pytest.approx(3)
    assert w.design_effect == pytest.approx(4 / 3)
    assert w.max_weight == pytest.approx(2) and not w.extreme


def test_people_the_make_up_cannot_place_keep_their_own_share():
    # 2 of 6 did not say: they stay a third of the weight (weight 1); North and South
    # share the other two thirds equally: 3·w_N = 2, 1·w_S = 2.
    w = weights_for(_people("North", "North", "North", "South", None, None), HALVES)
    assert list(w.weights) == pytest.approx([2 / 3, 2 / 3, 2 / 3, 2, 1, 1])
    assert w.unplaced == {"area": 2}
    # (Σw)² / Σw² = 36 / (4/3 + 4 + 2) = 108/22.
    assert w.effective_size == pytest.approx(108 / 22)


def test_a_group_nobody_is_in_cannot_be_weighted_up_and_is_named():
    w = weights_for(
        _people("North", "South", "South"), {"area": {"North": 1, "South": 1, "East": 2}}
    )
    # East is dropped from the targets: North and South are matched half and half.
    assert list(w.weights) == pytest.approx([1.5, 0.75, 0.75])
    assert w.unheard == {"area": ["East"]}


def test_extreme_weights_are_flagged():
    # 9 North, 1 South; the community is 10% North, 90% South: w_S = 9, w_N = 1/9.
    w = weights_for(_people(*["North"] * 9, "South"), {"area": {"North": 10, "South": 90}})
    assert w.max_weight == pytest.approx(9)
    assert w.effective_size == pytest.approx(100 / (9 / 81 + 81))
    assert w.extreme


def test_two_dimensions_are_raked_until_both_margins_match():
    cells = [("North", "en")] * 3 + [("North", "es"), ("South", "en"), ("South", "es")]
    people = [{"area": area, "language": language} for area, language in cells]
    targets = {"area": {"North": 1, "South": 1}, "language": {"en": 1, "es": 1}}
    w = weights_for(people, targets).weights
    weighted = dict.fromkeys(("North", "South", "en", "es"), 0.0)
    for weight, cell in zip(w, cells, strict=True):
        for key in cell:
            weighted[key] += weight / w.sum()
    assert weighted == pytest.approx({"North": 0.5, "South": 0.5, "en": 0.5, "es": 0.5})
    # The two mixed cells (North × Spanish, South × English) are alike: one weight.
    assert w[3] == pytest.approx(w[4])
    assert w.mean() == pytest.approx(1)


@pytest.fixture
def skewed(session):
    campaign = make_campaign(session, baseline={"area": {"North": 50, "South": 50}})
    survey = make_survey(session, campaign=campaign, definition=definition_with_race())
    version = survey.versions[0]
    # 6 North who want buses, 2 South who want rent, 2 who did not say their area.
    for area, topic, n in [
        ("north", "bus", 6),
        ("south", "rent", 2),
        ("prefer_not_to_say", "rent", 2),
    ]:
        for _ in range(n):
            answers = {**BASE, "area": area, "topics": [topic]}
            submit_response(session, version=version, answers=answers, language="en")
    session.commit()
    return SimpleNamespace(id=campaign.id)


def test_the_page_shows_raw_and_weighted_shares(staff, skewed):
    page = _text(staff.get(f"/staff/campaigns/{skewed.id}/dashboard"))
    part = page[page.index("Weighted to the community") :]
    # North 6 and South 2 share 80% of the weight equally (the 2 who did not say keep
    # their 20%): w_N = 4/6, w_S = 2, w_? = 1. Buses: 6·4/6 = 4 of 10 = 40%.
    assert "Buses 6 60% 40%" in part
    assert "Rent 4 40% 60%" in part
    # Σw = 10, Σw² = 6·16/36 + 2·4 + 2 = 12.67: about 8 people's worth.
    assert "about 8: the weighted results" in part
    assert "2: one person counts as 2 people" in part
    assert "Area: 2 people could not be placed in the make-up" in part
    assert "the weights are extreme" not in part


def test_weighting_can_be_turned_off_and_extreme_weights_are_explained(staff, skewed, session):
    url = f"/staff/campaigns/{skewed.id}/dashboard"
    page = _text(staff.get(url + "?weighted=1"))
    assert "People weighted" not in page  # no dimension chosen: nothing weighted
    from engage.models import Campaign

    campaign = session.get(Campaign, skewed.id)
    campaign.baseline = {"area": {"North": 5, "South": 95}}
    session.commit()
    page = _text(staff.get(url + "?weighted=1&weight=area"))
    assert "Careful: the weights are extreme." in page
    assert "A few people are made to speak for many" in page


@pytest.mark.parametrize("query", ["weighted=1&weight=nope", "dimension2=nope&dimension=area"])
def test_a_bad_choice_in_the_address_is_named_not_a_500(staff, skewed, query):
    response = staff.get(f"/staff/campaigns/{skewed.id}/dashboard?{query}")
    assert response.status_code == 400
    assert "not a valid choice" in _text(response).lower()


def test_comparing_groups_keeps_the_weighting_chosen(staff, skewed):
    page = staff.get(f"/staff/campaigns/{skewed.id}/dashboard?weighted=1").get_data(as_text=True)
    compare = page[page.index('id="crosstab-title"') :]
    assert '<input type="hidden" name="weighted" value="1">' in compare
    assert 'name="weight"' not in compare  # nothing chosen stays nothing chosen


def test_each_weighted_table_has_a_chart_of_raw_and_weighted_shares(staff, skewed):
    page = staff.get(f"/staff/campaigns/{skewed.id}/dashboard").get_data(as_text=True)
    part = page[page.index('id="weighting-title"') :]
    svgs = re.findall(r"<svg .*?</svg>", part, flags=re.S)
    topics = next(s for s in svgs if 'id="chart-weighted-topics-title"' in s)
    assert 'role="img"' in topics and 'direction="ltr"' in topics
    # The figures in words, as in the table beside it.
    assert "Buses: Share of answers: 60% / Weighted share: 40%" in topics
    assert "Rent: Share of answers: 40% / Weighted share: 60%" in topics
    assert topics.count("chart-bar--reference") == 3  # the legend's and one per answer
    assert part.count('class="chart-pair') == len(svgs)  # each beside its table
    arabic = staff.get(f"/staff/campaigns/{skewed.id}/dashboard?lang=ar").get_data(as_text=True)
    ar = re.findall(r"<svg .*?</svg>", arabic[arabic.index('id="weighting-title"') :], re.S)
    assert ar and all('direction="rtl"' in s for s in ar)
