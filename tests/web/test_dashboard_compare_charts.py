"""Charts beside "Compare groups": counts by group (a chart per grid row, first choices
for a ranking) and means by group, an image named with its figures in words; a hidden
cell is said to be hidden and has no bar, never a zero; mirrored in Arabic."""

from __future__ import annotations

import re

from tests.web.test_dashboard_compare import people  # noqa: F401 (a fixture)


def _compare_svgs(page: str) -> list[str]:
    section = page[page.index('aria-labelledby="crosstab-title"') :]
    return re.findall(r"<svg .*?</svg>", section, flags=re.S)


def _items(svg: str) -> dict[str, str]:
    """Each drawn item by its label: its markup."""
    items = re.findall(r'<g class="chart-item[^"]*">(.*?)</g>', svg, flags=re.S)
    return {re.search(r'class="chart-label"[^>]*>([^<]*)', i).group(1): i for i in items}


def _bars(item: str) -> int:
    return item.count("<rect ")


def test_a_choice_by_group_is_charted_beside_its_table(staff, people):  # noqa: F811
    url = f"/staff/campaigns/{people.id}/dashboard?question=topics&dimension=area&lang=en"
    page = staff.get(url).get_data(as_text=True)
    (svg,) = _compare_svgs(page)
    assert 'role="img"' in svg and 'direction="ltr"' in svg
    assert ": answers by group</title>" in svg
    assert "North: 8" in svg  # every North resident chose buses
    # South (5) and East (2) with it: East is under the threshold of 3.
    bus = _items(svg)["Buses"]
    assert "East: hidden for privacy" in bus and "East: 0" not in bus
    assert _bars(bus) == 1  # North's bar only; hidden groups are not drawn
    assert "East: 0" in _items(svg)["Other"]  # a true zero (nobody) is said as zero
    assert "<desc id=" in svg and "North: 8" in re.search(r"<desc[^>]*>(.*?)</desc>", svg).group(1)


def test_a_grid_has_a_chart_per_grid_row(staff, people):  # noqa: F811
    url = f"/staff/campaigns/{people.id}/dashboard?question=grid&dimension=area"
    page = staff.get(url).get_data(as_text=True)
    svgs = _compare_svgs(page)
    assert len(svgs) == 2
    # Each chart's name is also written above it, so a sighted reader knows its row.
    assert '<p class="chart-heading">How safe is it?, By day: answers by group</p>' in page
    day, night = svgs
    assert "By day: answers by group" in day and "At night: answers by group" in night
    a = _items(day)["A"]
    assert "North: 8" in a and "South: hidden for privacy" in a and "East: hidden for privacy" in a
    assert _bars(a) == 1


def test_a_ranking_charts_first_choices_and_mean_ranks(staff, people):  # noqa: F811
    url = f"/staff/campaigns/{people.id}/dashboard?question=order&dimension=area"
    svgs = _compare_svgs(staff.get(url).get_data(as_text=True))
    first, means = svgs
    assert "ranked first, by group" in first
    assert "mean rank by group (1 = ranked first)" in means
    assert "North: 1.2" in _items(means)["Buses"]


def test_a_scale_charts_its_mean_by_group_and_not_the_hidden_ones(staff, people):  # noqa: F811
    url = f"/staff/campaigns/{people.id}/dashboard?question=bus_importance&dimension=area"
    (svg,) = _compare_svgs(staff.get(url).get_data(as_text=True))
    (item,) = _items(svg).values()
    assert "North: 7.5" in item
    assert "South: hidden for privacy" in item and "East: hidden for privacy" in item
    assert _bars(item) == 1


def test_a_pair_of_dimensions_is_charted_by_intersection(staff, people):  # noqa: F811
    url = (
        f"/staff/campaigns/{people.id}/dashboard?question=bus_importance"
        "&dimension=area&dimension2=language"
    )
    page = staff.get(url).get_data(as_text=True)
    (svg,) = _compare_svgs(page)
    assert "North × English: 7.5" in svg


def test_the_comparison_charts_are_mirrored_in_arabic(staff, people):  # noqa: F811
    url = f"/staff/campaigns/{people.id}/dashboard?question=grid&dimension=area&lang=ar"
    svgs = _compare_svgs(staff.get(url).get_data(as_text=True))
    assert svgs and all('direction="rtl"' in svg for svg in svgs)
