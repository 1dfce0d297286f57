"""The dashboard's charts: SVG drawn on the server, an image with its figures in words,
each beside its table; hidden groups are not drawn and say so; mirrored in Arabic."""

from __future__ import annotations

import re

from engage.dashboard.charts import PAD, WIDTH, Line, layout
from engage.dashboard.services import Breakdown, Row
from tests.web.test_dashboard import campaign  # noqa: F401 (a fixture)


def _svgs(page: str) -> list[str]:
    return re.findall(r"<svg .*?</svg>", page, flags=re.S)


def test_bars_are_in_proportion_and_mirrored_right_to_left(app):
    lines = [
        Line("North", [20], ["20 · 57% of respondents"]),
        Line("South", [10], ["10 · 29% of respondents"]),
        Line("East", [None], ["hidden"]),
    ]
    with app.test_request_context():
        ltr = layout("t", "T", lines, rtl=False)
        rtl = layout("t", "T", lines, rtl=True)
    north, south, east = (item.bars[0] for item in ltr.items)
    assert north.x == PAD and south.x == PAD
    assert south.width * 2 == north.width
    assert east.hidden and east.width == 0
    # The longest bar leaves no room after it: its value is written inside its end.
    assert north.inside and not south.inside
    assert north.text_x == PAD + north.width - 6 and south.text_x == PAD + south.width + 6
    mirrored = rtl.items[1].bars[0]
    assert mirrored.x + mirrored.width == WIDTH - PAD  # grows from the right edge
    assert rtl.items[0].label_x == WIDTH - PAD
    assert mirrored.text_x < mirrored.x  # its value after its end, to the left


def test_representativeness_draws_both_shares_and_names_the_gap_in_words(app):
    from engage.dashboard.charts import representativeness_chart

    b = Breakdown(
        "area",
        [Row("North", 20, 0.57, 0.4), Row("East", None, None, 0.2, under_heard=True)],
        35,
        1,
    )
    with app.test_request_context():
        chart = representativeness_chart("h", "Area", b, str, rtl=False)
    north, east = chart.items
    assert [bar.kind for bar in north.bars] == ["value", "reference"]
    assert north.bars[0].width > north.bars[1].width
    assert east.bars[0].hidden and not east.bars[1].hidden
    assert east.note == "heard less" and east.highlight
    assert "East: hidden for privacy / 20% of the community (heard less)" in chart.description


def test_every_chart_is_an_image_with_a_name_and_a_table_beside_it(staff, campaign):  # noqa: F811
    page = staff.get(f"/staff/campaigns/{campaign.id}/dashboard").get_data(as_text=True)
    svgs = _svgs(page)
    # by week, by channel, by source, area (against the community), and closed questions
    assert len(svgs) >= 5
    for svg in svgs:
        assert 'role="img"' in svg and "<title id=" in svg and "<desc id=" in svg
        assert "viewBox=" in svg and 'direction="ltr"' in svg
    area = next(svg for svg in svgs if '<title id="chart-heard-area-title">Area' in svg)
    east = re.search(r'<g class="chart-item chart-item--highlight">(.*?)</g>', area, re.S)
    assert east and "East" in east.group(1) and "heard less" in east.group(1)
    # East (3 people) is hidden: it has no bar of respondents, only the community's.
    assert east.group(1).count("chart-bar--value") == 0
    assert "hidden for privacy" in east.group(1)
    assert "20% of the community" in east.group(1)
    assert page.count('class="chart-pair') == len(svgs)  # each beside its table


def test_charts_are_mirrored_in_arabic(staff, campaign):  # noqa: F811
    page = staff.get(f"/staff/campaigns/{campaign.id}/dashboard?lang=ar").get_data(as_text=True)
    svgs = _svgs(page)
    assert svgs and all('direction="rtl"' in svg for svg in svgs)
