"""The dashboard's charts: horizontal bars laid out here, drawn as SVG by a Jinja macro.

Each chart is a list of items (a group or an answer), each with its label on one line
and its bar(s) below, the value written at the end of the bar, so nothing relies on
colour or on hovering. Geometry is in the units of the SVG ``viewBox`` (so a chart
scales to a phone or a laptop) and is mirrored for right-to-left languages. A hidden
(suppressed) figure is not drawn: its line says it is hidden.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from flask_babel import format_date, format_decimal, format_percent
from flask_babel import gettext as _

from engage.dashboard.labels import column_label, dimension_label, group_label, option_label
from engage.dashboard.services import Breakdown, CrossTab, Dashboard
from engage.dashboard.waves import QuestionChange, WaveChange
from engage.dashboard.weighting import WeightedQuestion, Weighting
from engage.i18n import describe_language
from surveys.i18n import text_for
from surveys.results import QuestionTally
from surveys.schema import Question

WIDTH = 360
PAD = 4
VALUE_SPACE = 100  # room after the longest bar for its value
LABEL_LINE = 18
BAR = 16
GAP = 10
MAX_LABEL = 48
FONT = 14  # the chart's font size, in viewBox units


@dataclass(frozen=True)
class Bar:
    """One bar; ``kind`` is ``value`` (respondents) or ``reference`` (the community)."""

    kind: str
    x: float
    y: float
    width: float
    text: str
    text_x: float
    hidden: bool = False
    inside: bool = False  # the value is written inside the end of a long bar


@dataclass(frozen=True)
class Item:
    label: str
    full_label: str
    label_x: float
    label_y: float
    bars: list[Bar]
    note: str = ""
    highlight: bool = False


@dataclass(frozen=True)
class Key:
    """A legend entry: a swatch of the bar ``kind`` and its name."""

    kind: str
    label: str
    swatch_x: float
    text_x: float


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    items: list[Item]
    height: float
    rtl: bool
    legend: list[Key] = field(default_factory=list)
    width: int = WIDTH

    @property
    def description(self) -> str:
        """Every figure in words, for a screen reader (the table beside says the same)."""
        return "; ".join(
            f"{item.full_label}: {' / '.join(bar.text for bar in item.bars)}"
            + (f" ({item.note})" if item.note else "")
            for item in self.items
        )


@dataclass(frozen=True)
class Line:
    """A figure to chart: ``values`` (one per bar kind) in the same unit; None is hidden."""

    label: str
    values: Sequence[float | None]
    texts: Sequence[str]
    note: str = ""
    highlight: bool = False


def _text_width(text: str) -> float:
    """Roughly how wide ``text`` is drawn (wide characters count twice)."""
    return sum(FONT if unicodedata.east_asian_width(char) in "WF" else FONT * 0.55 for char in text)


def _short(label: str) -> str:
    """The label cut to what fits on its line (wide characters count twice)."""
    used = 0
    for index, char in enumerate(label):
        used += 2 if unicodedata.east_asian_width(char) in "WF" else 1
        if used > MAX_LABEL:
            return label[: max(index - 1, 1)].rstrip() + "…"
    return label


def layout(
    key: str,
    title: str,
    lines: Sequence[Line],
    *,
    rtl: bool,
    kinds: Sequence[str] = ("value",),
    legend: Sequence[tuple[str, str]] = (),
) -> Chart:
    """Place each line's label and bars; bar lengths are in proportion to the largest."""
    scale = max((v for line in lines for v in line.values if v is not None), default=0) or 1
    span = WIDTH - 2 * PAD - VALUE_SPACE
    start = WIDTH - PAD if rtl else PAD
    sign = -1 if rtl else 1
    y = float(PAD + (LABEL_LINE + 4 if legend else 0))
    items = []
    for line in lines:
        label_y = y + LABEL_LINE - 4
        y += LABEL_LINE
        bars = []
        for kind, value, text in zip(kinds, line.values, line.texts, strict=True):
            width = 0.0 if value is None else round(span * value / scale, 1)
            x = start - width if rtl else start
            room_after = WIDTH - 2 * PAD - width - 6
            # The value after the bar, or inside its end when only there it fits.
            inside = room_after < _text_width(text) <= width - 12
            text_x = start + sign * (width - 6 if inside else width + 6)
            bars.append(Bar(kind, x, y, width, text, text_x, value is None, inside))
            y += BAR + 2
        items.append(
            Item(
                _short(line.label),
                line.label,
                start,
                label_y,
                bars,
                line.note,
                line.highlight,
            )
        )
        y += GAP
    keys = []
    for number, (kind, name) in enumerate(legend):
        offset = number * (WIDTH // 2)
        swatch = start - offset - BAR if rtl else start + offset
        keys.append(Key(kind, name, swatch, swatch - 6 if rtl else swatch + BAR + 6))
    return Chart(key, title, items, y + PAD, rtl, keys)


def hidden_text() -> str:
    return _("hidden for privacy")


def _count_text(count: int, share: float | None) -> str:
    if share is None:
        return format_decimal(count)
    return f"{format_decimal(count)} · {format_percent(share)}"


def breakdown_chart(
    key: str, title: str, breakdown: Breakdown, label: Callable[[str], str], *, rtl: bool
) -> Chart:
    """People by group (channel, source, area…), hidden groups said to be hidden."""
    lines = [
        Line(
            label(row.key),
            [row.count],
            [hidden_text() if row.count is None else _count_text(row.count, row.share)],
        )
        for row in breakdown.rows
    ]
    return layout(key, title, lines, rtl=rtl)


def week_chart(key: str, title: str, weeks: Sequence[tuple[date, int]], *, rtl: bool) -> Chart:
    """Responses per week, oldest first."""
    lines = [Line(format_date(week), [n], [format_decimal(n)]) for week, n in weeks]
    return layout(key, title, lines, rtl=rtl)


def representativeness_chart(
    key: str, title: str, breakdown: Breakdown, label: Callable[[str], str], *, rtl: bool
) -> Chart:
    """Each group's share of respondents (solid) over its share of the community
    (outlined); the groups heard less than their share are marked in words."""
    lines = []
    for row in breakdown.rows:
        respondents = (
            hidden_text()
            if row.share is None
            else _("%(share)s of respondents", share=format_percent(row.share))
        )
        community = (
            _("not in the make-up")
            if row.baseline_share is None
            else _("%(share)s of the community", share=format_percent(row.baseline_share))
        )
        lines.append(
            Line(
                label(row.key),
                [row.share, row.baseline_share],
                [respondents, community],
                note=_("heard less") if row.under_heard else "",
                highlight=row.under_heard,
            )
        )
    legend = [("value", _("Respondents")), ("reference", _("Community"))]
    return layout(key, title, lines, rtl=rtl, kinds=("value", "reference"), legend=legend)


def question_chart(
    key: str, title: str, tally: QuestionTally, label: Callable[[str], str], *, rtl: bool
) -> Chart | None:
    """A closed question's answers as shares of those who answered (None for grids)."""
    if tally.rows or not tally.answered:
        return None
    counts = tally.counts
    lines = [
        Line(
            label(k),
            [counts.get(k, 0)],
            [_count_text(counts.get(k, 0), counts.get(k, 0) / tally.answered)],
        )
        for k in tally.keys
    ]
    return layout(key, title, lines, rtl=rtl)


@dataclass
class DashboardCharts:
    """Every chart of a dashboard, keyed as the tables they stand beside."""

    week: Chart | None = None
    channel: Chart | None = None
    source: Chart | None = None
    representativeness: dict[str, Chart] = field(default_factory=dict)
    groups: dict[str, Chart] = field(default_factory=dict)
    questions: dict[str, Chart] = field(default_factory=dict)
    compare: list[Chart] = field(default_factory=list)  # beside "Compare groups"' counts
    compare_means: Chart | None = None  # beside its means
    waves: dict[str, Chart] = field(default_factory=dict)  # beside "Wave over wave", by code
    weighting: dict[str, Chart] = field(default_factory=dict)  # beside the weighted tables


def dashboard_charts(board: Dashboard, lang: str) -> DashboardCharts:
    """The charts of ``board`` in the reader's language ``lang``."""
    rtl = describe_language(lang).direction == "rtl"
    charts = DashboardCharts()
    if board.by_week:
        charts.week = week_chart("week", _("Responses per week"), board.by_week, rtl=rtl)
    for key, breakdown, title in (
        ("channel", board.by_channel, _("By channel")),
        ("source", board.by_source, _("By source")),
    ):
        if breakdown is not None and breakdown.rows:
            setattr(
                charts,
                key,
                breakdown_chart(key, title, breakdown, _labeller(breakdown, lang), rtl=rtl),
            )
    for b in board.representativeness:
        name = dimension_label(b.dimension, b.question, lang)
        charts.representativeness[b.dimension] = representativeness_chart(
            f"heard-{b.dimension}", name, b, _labeller(b, lang), rtl=rtl
        )
    for b in board.groups:
        name = dimension_label(b.dimension, b.question, lang)
        charts.groups[b.dimension] = breakdown_chart(
            f"group-{b.dimension}", name, b, _labeller(b, lang), rtl=rtl
        )
    if board.tally is not None:
        for code, tally in board.tally.questions.items():
            q = tally.question
            chart = question_chart(
                f"question-{code}",
                text_for(q.label, lang)[0] or code,
                tally,
                lambda key, q=q: option_label(q, key, lang),
                rtl=rtl,
            )
            if chart is not None:
                charts.questions[code] = chart
    return charts


def _labeller(breakdown: Breakdown, lang: str) -> Callable[[str], str]:
    return lambda key: group_label(breakdown.dimension, breakdown.question, key, lang)


def _group_bars_line(
    label: str, groups: Sequence[str], values: Sequence[float | None], texts: Sequence[str]
) -> Line:
    """One answer (or option, or question) with a bar per group, each bar's value
    written with its group's name, so that no bar relies on colour to say whose it is."""
    return Line(
        label,
        list(values),
        [f"{group}: {text}" for group, text in zip(groups, texts, strict=True)],
    )


def compare_charts(table: CrossTab, lang: str) -> tuple[list[Chart], Chart | None]:
    """The charts beside "Compare groups": counts by group (one chart per grid row for
    a grid; first choices for a ranking) and means by group. A hidden cell is not drawn
    and says it is hidden, never zero; the charts count people, as the tables do."""
    rtl = describe_language(lang).direction == "rtl"
    question = table.question
    question_name = text_for(question.label, lang)[0] or question.code
    charts: list[Chart] = []
    means_chart = None
    if table.table is not None:
        t = table.table
        groups = [
            column_label(table.dimensions, table.dimension_questions, c, lang) for c in t.columns
        ]
        blocks: dict[str, list[Line]] = {}
        for row, counts in zip(t.rows, t.counts, strict=True):
            if isinstance(row, tuple):
                block, answer = str(row[0]), option_label(question, str(row[1]), lang)
            else:
                block, answer = "", option_label(question, str(row), lang)
            texts = [hidden_text() if n is None else format_decimal(n) for n in counts]
            blocks.setdefault(block, []).append(_group_bars_line(answer, groups, counts, texts))
        for number, (block, lines) in enumerate(blocks.items()):
            if table.kind == "ranking":
                title = _("%(question)s: ranked first, by group", question=question_name)
            elif block:
                title = _(
                    "%(question)s, %(row)s: answers by group",
                    question=question_name,
                    row=option_label(question, block, lang),
                )
            else:
                title = _("%(question)s: answers by group", question=question_name)
            kinds = ["value"] * len(groups)
            charts.append(layout(f"compare-{number}", title, lines, rtl=rtl, kinds=kinds))
    if table.means is not None:
        m = table.means
        groups = [
            column_label(table.dimensions, table.dimension_questions, c, lang) for c in m.columns
        ]
        lines = []
        for row, cells in zip(m.rows, m.cells, strict=True):
            label = question_name if table.kind == "means" else option_label(question, row, lang)
            # A mean is drawn from zero (a negative mean of a number has no bar).
            values = [None if c.hidden or c.mean is None else max(c.mean, 0.0) for c in cells]
            # How many answered each mean is in the table beside (kept short to fit).
            texts = [
                hidden_text()
                if c.hidden
                else _("no answers")
                if c.mean is None
                else format_decimal(round(c.mean, 1))
                for c in cells
            ]
            lines.append(_group_bars_line(label, groups, values, texts))
        title = (
            _("%(question)s: mean rank by group (1 = ranked first)", question=question_name)
            if table.kind == "ranking"
            else _("%(question)s: mean by group", question=question_name)
        )
        kinds = ["value"] * len(groups)
        means_chart = layout("compare-means", title, lines, rtl=rtl, kinds=kinds)
    return charts, means_chart


def _share_text(name: str, share: float | None) -> str:
    return f"{name}: {hidden_text() if share is None else format_percent(share)}"


def _paired_shares_chart(
    key: str,
    title: str,
    question: Question,
    answers: Sequence[tuple[str, str | None, float | None, float | None]],
    names: tuple[str, str],
    lang: str,
    *,
    rtl: bool,
) -> Chart:
    """Each answer ``(key, grid row, first share, second share)`` as two bars, the first
    outlined and the second solid, each figure written with its name (``names``); a
    hidden share (``None``) is not drawn and says it is hidden."""
    first, second = names
    lines = []
    for answer, row, one, other in answers:
        label = option_label(question, answer, lang)
        if row:
            label = f"{option_label(question, row, lang)}: {label}"
        lines.append(
            Line(label, [one, other], [_share_text(first, one), _share_text(second, other)])
        )
    return layout(
        key,
        title,
        lines,
        rtl=rtl,
        kinds=("reference", "value"),
        legend=[("reference", first), ("value", second)],
    )


def wave_chart(change: QuestionChange, names: tuple[str, str], lang: str, *, rtl: bool) -> Chart:
    """A compared question's options (a grid's row and option; a ranking's first choices)
    as shares in the previous wave (outlined) and this one (solid)."""
    question = change.question
    name = text_for(question.label, lang)[0] or question.code
    answers = [(o.key, o.row, o.before.share, o.after.share) for o in change.options]
    title = _("%(question)s: share in each wave", question=name)
    return _paired_shares_chart(
        f"wave-{question.code}", title, question, answers, names, lang, rtl=rtl
    )


def wave_charts(change: WaveChange, lang: str) -> dict[str, Chart]:
    """A chart beside each compared question with options, keyed by its code. Its waves
    are named by number ("Wave 2"), to fit: the table beside gives their full names."""
    rtl = describe_language(lang).direction == "rtl"
    names = (
        _("Wave %(number)d", number=change.previous.number),
        _("Wave %(number)d", number=change.current.number),
    )
    return {
        q.question.code: wave_chart(q, names, lang, rtl=rtl) for q in change.questions if q.options
    }


def weighted_chart(q: WeightedQuestion, lang: str, *, rtl: bool) -> Chart:
    """A weighted question's answers (a grid's row and answer; a ranking's first choices)
    as their raw share (outlined) and weighted share (solid)."""
    question = q.question
    name = text_for(question.label, lang)[0] or question.code
    answers = [(a.key, a.row, a.share, a.weighted_share) for a in q.answers]
    names = (_("Share of answers"), _("Weighted share"))
    title = _("%(question)s: raw and weighted shares", question=name)
    return _paired_shares_chart(
        f"weighted-{question.code}", title, question, answers, names, lang, rtl=rtl
    )


def weighting_charts(weighting: Weighting, lang: str) -> dict[str, Chart]:
    """A chart beside each weighted question's answers, keyed by its code (a rating's or
    a number's table of answers has one too; its means are in the caption)."""
    rtl = describe_language(lang).direction == "rtl"
    return {
        q.question.code: weighted_chart(q, lang, rtl=rtl) for q in weighting.questions if q.answers
    }
