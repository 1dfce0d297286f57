"""The quote explorer: search a campaign's open feedback by words and narrow it down.

What a workgroup reads here is the masked text (``redacted_text``). Words are matched with
PostgreSQL's full-text search (the ``simple`` configuration, which does not stem, so it
treats every language alike; each word also matches as a prefix: "bus" finds "buses"),
backed by a GIN index; scripts written without spaces (Chinese, Japanese, Thai) are matched
as substrings, since their words are not separated. On SQLite every word is matched as a
substring (case-insensitive for Latin letters only).

Narrowed by sentiment, only answers with a score match: English ones, once the campaign's
feedback has been analysed (see ``engage.themes.sentiment``); VADER's thresholds divide
negative (≤ −0.05), neutral and positive (≥ 0.05).

Narrowed to a group of residents, the words are shown only when at least the campaign's
suppression threshold of residents match, so that nobody can be recognised by their group.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session, aliased
from wtforms.fields.choices import SelectChoice

import analysis
from engage.campaigns.waves import Wave, wave_name, waves_of
from engage.models import (
    AnalysisRun,
    Campaign,
    FeedbackItem,
    Response,
    SurveyVersion,
    Theme,
    ThemeAssignment,
)
from engage.quotes.forms import QuoteFilterForm
from engage.responses.forms import CHANNEL_LABELS
from engage.responses.review import distinct_values
from engage.responses.services import definition_of
from engage.templating import language_name
from engage.themes.services import get_latest_finished_run
from surveys.i18n import text_for
from surveys.results import PREFER_NOT_TO_SAY, dimension_questions

MAX_WORDS = 10
_WORD = re.compile(r"\w+")
# Scripts whose words are not separated by spaces: matched as substrings.
_UNSPACED = re.compile(r"[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
# The expression the GIN index of migration 0019 is built on: queries must use it as is.
_SEARCH_VECTOR = "to_tsvector('simple'::regconfig, feedback_items.redacted_text)"
SENTIMENTS = {
    "negative": _l("Negative"),
    "neutral": _l("Neutral"),
    "positive": _l("Positive"),
}


@dataclass(frozen=True)
class QuoteFilters:
    """What the explorer is narrowed to; ``None`` or empty: any."""

    words: tuple[str, ...] = ()
    theme_ids: tuple[int, ...] = ()
    language: str | None = None
    channel: str | None = None
    area: str | None = None
    group: tuple[str, str] | None = None  # (dimension, group)
    survey_id: int | None = None
    wave: Wave | None = None
    sentiment: str | None = None  # a key of ``SENTIMENTS``


def words_of(text: str | None) -> tuple[str, ...]:
    """The words to look for, lower-cased, without repeats, at most ``MAX_WORDS``."""
    found = dict.fromkeys(word.lower() for word in _WORD.findall(text or ""))
    return tuple(found)[:MAX_WORDS]


def _like_escaped(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _substring(word: str) -> sa.ColumnElement[bool]:
    return FeedbackItem.redacted_text.ilike(f"%{_like_escaped(word)}%", escape="\\")


def _words_condition(dialect: str, words: Sequence[str]) -> list[sa.ColumnElement[bool]]:
    if dialect != "postgresql":
        return [_substring(word) for word in words]
    spaced = [w for w in words if not _UNSPACED.search(w)]
    conditions = [_substring(w) for w in words if _UNSPACED.search(w)]
    if spaced:
        query = " & ".join(f"{word}:*" for word in spaced)  # \w+ holds no tsquery syntax
        tsquery = sa.func.to_tsquery(sa.literal_column("'simple'::regconfig"), query)
        conditions.append(sa.literal_column(_SEARCH_VECTOR).op("@@")(tsquery))
    return conditions


def _group_condition(dialect: str, dimension: str, group: str) -> sa.ColumnElement[bool]:
    """The resident said ``group`` for ``dimension`` (alone, or among several answers)."""
    if dialect == "postgresql":
        document = sa.cast(FeedbackItem.demographics, JSONB)
        return sa.or_(
            document.contains({dimension: group}), document.contains({dimension: [group]})
        )
    path = '$."' + dimension.replace('"', "") + '"'
    values = sa.func.json_each(FeedbackItem.demographics, path).table_valued("value")
    return sa.exists(sa.select(1).select_from(values).where(values.c.value == group))


def _sentiment_condition(sentiment: str) -> sa.ColumnElement[bool]:
    score = FeedbackItem.sentiment
    if sentiment == "positive":
        return score >= analysis.SENTIMENT_POSITIVE
    if sentiment == "negative":
        return score <= analysis.SENTIMENT_NEGATIVE
    return sa.and_(score > analysis.SENTIMENT_NEGATIVE, score < analysis.SENTIMENT_POSITIVE)


def quotes_query(session: Session, campaign: Campaign, filters: QuoteFilters) -> sa.Select[Any]:
    """The campaign's feedback (not from responses set aside) matching ``filters``,
    newest first."""
    dialect = session.get_bind().dialect.name
    # Aliased: ``FeedbackItem.counted()`` correlates a subquery of its own on responses.
    response = aliased(Response)
    query = (
        sa.select(FeedbackItem)
        .outerjoin(response, FeedbackItem.response_id == response.id)
        .where(FeedbackItem.campaign_id == campaign.id, FeedbackItem.counted())
        .order_by(FeedbackItem.created_at.desc(), FeedbackItem.id.desc())
    )
    if filters.words:
        query = query.where(*_words_condition(dialect, filters.words))
    if filters.theme_ids:
        placed = sa.select(ThemeAssignment.feedback_item_id).where(
            ThemeAssignment.theme_id.in_(filters.theme_ids)
        )
        query = query.where(FeedbackItem.id.in_(placed))
    if filters.language:
        query = query.where(FeedbackItem.language == filters.language)
    if filters.channel:
        query = query.where(FeedbackItem.channel == filters.channel)
    if filters.area:
        query = query.where(response.area == filters.area)
    if filters.group:
        query = query.where(_group_condition(dialect, *filters.group))
    if filters.survey_id:
        versions = sa.select(SurveyVersion.id).where(SurveyVersion.survey_id == filters.survey_id)
        query = query.where(response.survey_version_id.in_(versions))
        if filters.wave is not None:
            query = query.where(*filters.wave.conditions(response.submitted_at))
    if filters.sentiment in SENTIMENTS:
        query = query.where(_sentiment_condition(filters.sentiment))
    return query


def unscored_query(session: Session, campaign: Campaign, filters: QuoteFilters) -> sa.Select[Any]:
    """The answers that match every filter but sentiment and have no sentiment score."""
    others = quotes_query(session, campaign, dataclasses.replace(filters, sentiment=None))
    return others.where(FeedbackItem.sentiment.is_(None))


def count_matching(session: Session, query: sa.Select[Any]) -> int:
    matched = query.order_by(None).subquery()
    return session.scalar(sa.select(sa.func.count()).select_from(matched)) or 0


def residents_matching(session: Session, query: sa.Select[Any]) -> int:
    """How many residents the matching feedback comes from (a listening session's note
    counts as one voice)."""
    matched = query.order_by(None).subquery()
    voice = sa.func.coalesce(
        sa.cast(matched.c.response_id, sa.String), "n" + sa.cast(matched.c.id, sa.String)
    )
    return session.scalar(sa.select(sa.func.count(sa.distinct(voice)))) or 0


@dataclass(frozen=True)
class ThemeChoice:
    theme: Theme
    sub_themes: tuple[Theme, ...]


def theme_choices(
    session: Session, campaign: Campaign
) -> tuple[AnalysisRun | None, list[ThemeChoice]]:
    """The themes of the campaign's latest finished analysis, each with its sub-themes."""
    run = get_latest_finished_run(session, campaign.id)
    if run is None:
        return None, []
    children: dict[int, list[Theme]] = {}
    for theme in run.themes:
        if theme.parent_key is not None:
            children.setdefault(theme.parent_key, []).append(theme)
    tops = sorted((t for t in run.themes if t.parent_key is None), key=lambda t: (-t.size, t.key))
    return run, [ThemeChoice(t, tuple(children.get(t.key, ()))) for t in tops]


def group_choices(campaign: Campaign, lang: str) -> list[tuple[str, str, str]]:
    """Every group a demographic question of the campaign offers: (value, dimension's
    question, group label) with value ``dimension:group``."""
    found: dict[str, tuple[str, str, str]] = {}
    for survey in campaign.surveys:
        version = survey.current_version
        if version is None:
            continue
        definition = definition_of(version)
        for dimension, question in dimension_questions(definition).items():
            title = text_for(question.label, lang, definition.source_language)[0]
            for option in question.options:
                if option.value == PREFER_NOT_TO_SAY:
                    continue
                key = f"{dimension}:{option.value}"
                label = text_for(option.label, lang, definition.source_language)[0]
                found.setdefault(key, (key, title, label))
    return list(found.values())


def filter_form(
    session: Session, campaign: Campaign, args: Mapping[str, str], lang: str
) -> tuple[QuoteFilterForm, AnalysisRun | None, list[ThemeChoice]]:
    """The filters, with the choices this campaign offers, read from ``args``; and the
    analysis run whose themes it offers."""
    form = QuoteFilterForm(formdata=args)  # type: ignore[arg-type]
    any_choice = SelectChoice("", _("Any"))
    run, themes = theme_choices(session, campaign)
    form.theme.choices = [any_choice]
    for choice in themes:
        form.theme.choices.append(SelectChoice(str(choice.theme.id), choice.theme.label))
        for sub in choice.sub_themes:
            form.theme.choices.append(
                SelectChoice(str(sub.id), f"{choice.theme.label} › {sub.label}")
            )
    languages = dict.fromkeys(
        [*campaign.languages, *_distinct(session, campaign, FeedbackItem.language)]
    )
    form.language.choices = [any_choice, *(SelectChoice(c, language_name(c)) for c in languages)]
    form.channel.choices = [
        any_choice,
        *(SelectChoice(value, str(label)) for value, label in CHANNEL_LABELS.items()),
    ]
    areas = dict.fromkeys([*campaign.areas, *distinct_values(session, campaign, Response.area)])
    form.area.choices = [any_choice, *(SelectChoice(a, a) for a in areas)]
    form.group.choices = [
        any_choice,
        *(
            SelectChoice(key, f"{title}: {label}")
            for key, title, label in group_choices(campaign, lang)
        ),
    ]
    form.survey.choices = [any_choice, *(SelectChoice(str(s.id), s.slug) for s in campaign.surveys)]
    chosen = next((s for s in campaign.surveys if str(s.id) == form.survey.data), None)
    waves = waves_of(chosen) if chosen is not None else []
    form.wave_periods = {str(w.number): w for w in waves} if len(waves) > 1 else {}
    form.wave.choices = [
        any_choice,
        *(SelectChoice(key, wave_name(w)) for key, w in form.wave_periods.items()),
    ]
    if form.wave.data not in form.wave_periods:
        form.wave.data = ""
    form.sentiment.choices = [
        any_choice,
        *(SelectChoice(key, str(label)) for key, label in SENTIMENTS.items()),
    ]
    return form, run, themes


def _distinct(session: Session, campaign: Campaign, column: Any) -> list[str]:
    rows = session.scalars(
        sa.select(column).where(FeedbackItem.campaign_id == campaign.id).distinct().order_by(column)
    )
    return [value for value in rows if value]


def filters_of(form: QuoteFilterForm, themes: Sequence[ThemeChoice]) -> QuoteFilters:
    """The filters of the fields that are valid (a bad one is ignored and shown)."""

    def value(field: Any) -> str | None:
        return field.data if not field.errors and field.data else None

    theme_ids: tuple[int, ...] = ()
    chosen = value(form.theme)
    for choice in themes:
        for theme in (choice.theme, *choice.sub_themes):
            if str(theme.id) == chosen:
                parts = choice.sub_themes if theme is choice.theme else ()
                theme_ids = (theme.id, *(sub.id for sub in parts))
    group = value(form.group)
    survey = value(form.survey)
    return QuoteFilters(
        words=words_of(value(form.q)),
        theme_ids=theme_ids,
        language=value(form.language),
        channel=value(form.channel),
        area=value(form.area),
        group=tuple(group.split(":", 1)) if group else None,  # type: ignore[arg-type]
        survey_id=int(survey) if survey else None,
        wave=form.wave_periods.get(form.wave.data or ""),
        sentiment=value(form.sentiment),
    )


def theme_labels(
    session: Session, run: AnalysisRun | None, item_ids: Sequence[int]
) -> dict[int, Theme]:
    """The theme each of ``item_ids`` is placed in by ``run``."""
    if run is None or not item_ids:
        return {}
    rows = session.execute(
        sa.select(ThemeAssignment.feedback_item_id, Theme)
        .join(Theme, Theme.id == ThemeAssignment.theme_id)
        .where(ThemeAssignment.run_id == run.id, ThemeAssignment.feedback_item_id.in_(item_ids))
    )
    return {item_id: theme for item_id, theme in rows}
