"""Analysis runs: cluster a campaign's feedback (every channel) into themes.

``create_run`` records a queued run (with the configured engine, see
:mod:`engage.themes.engine`) for the job queue; the job (``run_analysis``)
fits the theme finder, stores themes, assignments, the automatic cross-language theme
links and each answer's sentiment score (:mod:`engage.themes.sentiment`), and keeps the
fitted finder (as versioned data, ``ThemeFinder.to_bytes()``) so
that later feedback is placed by ``place_new_feedback`` without a re-run (a job that
storing feedback asks for). ``model_status`` says whether a run's kept finder can still
be used.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

import analysis  # scikit-learn loads on first use (see analysis/__init__.py)
from engage.jobs import enqueue_after_commit
from engage.models import (
    AnalysisRun,
    Campaign,
    FeedbackItem,
    RunStatus,
    Theme,
    ThemeAssignment,
    User,
)
from engage.themes.board import place_later, sync_board
from engage.themes.engine import (
    EngineError,
    EngineSettings,
    build_finder,
    describe_engine,
)
from engage.themes.links import store_automatic_links
from engage.themes.runs import FilterError, RunFilters, check_filters, filter_conditions
from engage.themes.sentiment import score_sentiment

if TYPE_CHECKING:
    from analysis import Encoder, IncompatibleModel, ThemeFinder

log = logging.getLogger(__name__)

ANALYSIS_JOB = "engage.themes.services.run_analysis"
JOB_ROLES = {
    "job_situation": "situation",
    "job_motivation": "motivation",
    "job_outcome": "outcome",
    "job_obstacle": "obstacle",
}
# Which answers are clustered: open feedback and what gets in the way. Situation,
# motivation and outcome answers feed the job statements of those themes instead.
CLUSTERED_ROLES = ("open_feedback", "job_obstacle", None)
MODEL_STATUSES = ("ok", "outdated", "unavailable", "missing")
# IncompatibleModel codes of a finder kept in another format (e.g. pickled before the
# archive format) or unreadable; the other codes are about the sentence encoder.
_OUTDATED_MODEL = frozenset({"model_format_unknown", "model_format_outdated", "model_format_newer"})


class AnalysisError(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def list_runs(session: Session, campaign: Campaign) -> list[AnalysisRun]:
    return list(
        session.scalars(
            sa.select(AnalysisRun)
            .where(AnalysisRun.campaign_id == campaign.id)
            .order_by(AnalysisRun.created_at.desc(), AnalysisRun.id.desc())
        )
    )


def get_latest_finished_run(session: Session, campaign_id: int) -> AnalysisRun | None:
    """The latest finished run over all the feedback (a filtered run is an exploration:
    the board, new feedback and the quote explorer never follow it)."""
    return session.scalar(
        sa.select(AnalysisRun)
        .where(
            AnalysisRun.campaign_id == campaign_id,
            AnalysisRun.status == RunStatus.DONE,
            ~AnalysisRun.is_filtered,
        )
        .order_by(AnalysisRun.finished_at.desc(), AnalysisRun.id.desc())
        .limit(1)
    )


def create_run(
    session: Session,
    *,
    campaign: Campaign,
    created_by: User | None,
    seed: int = 0,
    engine: EngineSettings | None = None,
    filters: RunFilters | None = None,
) -> AnalysisRun:
    """Queue a run over the campaign's feedback with ``engine`` (default: auto, bundled model),
    or over the part of it ``filters`` choose (see :mod:`engage.themes.runs`).

    Raises:
        AnalysisError: ``already_running``, or a filter error code (``unknown_question``…).
    """
    engine = engine or EngineSettings()
    filters = filters or RunFilters()
    try:
        check_filters(session, campaign, filters)
    except FilterError as error:
        raise AnalysisError(error.code) from None
    if session.scalar(
        sa.select(sa.func.count())
        .select_from(AnalysisRun)
        .where(AnalysisRun.campaign_id == campaign.id, AnalysisRun.is_active)
    ):
        raise AnalysisError("already_running")
    parameters: dict[str, Any] = {"seed": seed, "backend": engine.backend, "model": engine.model}
    if filters.any:
        parameters.update(filtered=True, filters=filters.to_parameters())
    run = AnalysisRun(
        campaign=campaign,
        created_by_id=created_by.id if created_by else None,
        parameters=parameters,
    )
    session.add(run)
    session.flush()
    return run


def start_run(
    session: Session,
    *,
    campaign: Campaign,
    created_by: User | None,
    engine: EngineSettings | None = None,
    filters: RunFilters | None = None,
) -> AnalysisRun:
    """Queue a run (see :func:`create_run`) and send it to the job queue once committed."""
    run = create_run(
        session, campaign=campaign, created_by=created_by, engine=engine, filters=filters
    )
    enqueue_after_commit(session, ANALYSIS_JOB, run.id)
    return run


def _clustered_items(
    session: Session, campaign_id: int, filters: RunFilters | None = None
) -> list[FeedbackItem]:
    """The feedback a run clusters: all of the campaign's, or what ``filters`` choose."""
    narrowed = []
    if filters is not None and filters.any:
        try:
            narrowed = filter_conditions(session, session.get(Campaign, campaign_id), filters)
        except FilterError as error:  # e.g. the survey was deleted since
            raise AnalysisError(error.code) from None
    return list(
        session.scalars(
            sa.select(FeedbackItem)
            .where(
                FeedbackItem.campaign_id == campaign_id,
                FeedbackItem.counted(),
                sa.or_(
                    FeedbackItem.analysis_role.in_([r for r in CLUSTERED_ROLES if r]),
                    FeedbackItem.analysis_role.is_(None),
                ),
                *narrowed,
            )
            .order_by(FeedbackItem.id)
        )
    )


def _job_parts(session: Session, items: Sequence[FeedbackItem]) -> dict[str, list[str | None]]:
    """For each clustered item, the same respondent's situation/motivation/outcome."""
    response_ids = {i.response_id for i in items if i.response_id is not None}
    by_response: dict[int, dict[str, str]] = {}
    if response_ids:
        rows = session.execute(
            sa.select(
                FeedbackItem.response_id, FeedbackItem.analysis_role, FeedbackItem.text
            ).where(
                FeedbackItem.response_id.in_(response_ids),
                FeedbackItem.analysis_role.in_(list(JOB_ROLES)),
            )
        )
        for response_id, role, text in rows:
            by_response.setdefault(response_id, {})[JOB_ROLES[role]] = text
    parts: dict[str, list[str | None]] = {part: [] for part in JOB_ROLES.values()}
    for item in items:
        answers = by_response.get(item.response_id or -1, {})
        for part in parts:
            if part == "obstacle" and item.analysis_role == "job_obstacle":
                parts[part].append(item.text)
            else:
                parts[part].append(answers.get(part))
    return parts


def run_analysis(session: Session, run_id: int, *, encoder: Encoder | None = None) -> None:
    """The background job: fit, describe and store the themes of run ``run_id``.

    The run's ``parameters`` say which backend and model to use; ``encoder`` (any object
    with ``encode(list[str]) -> array``) replaces the model directory, for callers that
    bring their own. A run that cannot work ends ``failed`` with an error code.
    """
    run = session.get(AnalysisRun, run_id)
    if run is None or not run.is_active:
        return
    run.start(stage="preprocess")
    session.commit()

    def report(stage: str, fraction: float) -> None:
        # Progress is committed as it goes, so the staff page can show it.
        run.stage, run.progress = stage[:80], float(fraction)
        session.commit()

    try:
        _fit_and_store(session, run, encoder=encoder, progress=report)
        session.commit()
    except Exception as error:
        session.rollback()
        run = session.get(AnalysisRun, run_id)
        run.fail(error.code if isinstance(error, AnalysisError | EngineError) else "unexpected")
        session.commit()
        if isinstance(error, EngineError):
            log.warning("analysis run %s cannot run: %s", run_id, error)
        elif not isinstance(error, AnalysisError):
            log.exception("analysis run %s failed", run_id)
        return


def _fit_and_store(
    session: Session,
    run: AnalysisRun,
    *,
    encoder: Encoder | None = None,
    progress: Callable[[str, float], None] | None = None,
) -> None:
    items = _clustered_items(session, run.campaign_id, RunFilters.from_parameters(run.parameters))
    if not items:
        raise AnalysisError("no_feedback")
    settings = EngineSettings.from_parameters(run.parameters)
    finder = build_finder(settings, seed=int(run.parameters.get("seed", 0)), encoder=encoder)
    finder.fit(
        [i.text for i in items],
        [i.language for i in items],
        job_parts=_job_parts(session, items),
        progress=progress,
    )
    _store_result(session, run, items, finder)
    score_sentiment(session, run.campaign_id)
    run.meta = {**run.meta, "engine": describe_engine(settings, finder, encoder)}


def analyse_now(session: Session, run: AnalysisRun) -> None:
    """Fit and store the queued run ``run`` in the caller's transaction: no job, no
    commit (the demo data loads a finished run this way). Raises ``AnalysisError`` or
    ``EngineError`` when it cannot work; the caller rolls back."""
    run.start(stage="preprocess")
    _fit_and_store(session, run)


def _store_result(
    session: Session, run: AnalysisRun, items: Sequence[FeedbackItem], finder: ThemeFinder
) -> None:
    by_key: dict[int, Theme] = {}
    for found in finder.themes_:
        theme = Theme(
            run=run,
            key=found.id,
            parent_key=found.parent,
            language=found.language,
            label=found.label[:300],
            keywords=list(found.keywords),
            size=found.size,
            share=float(found.share),
            representatives=_with_item_ids(found.representatives, items),
            sentiment=found.sentiment,
            job=found.job,
        )
        session.add(theme)
        by_key[found.id] = theme
    session.flush()
    store_automatic_links(session, run, finder.themes_, by_key)
    session.add_all(
        ThemeAssignment(
            run_id=run.id,
            feedback_item_id=item.id,
            theme_id=by_key[int(label)].id if int(label) != analysis.UNASSIGNED else None,
        )
        for item, label in zip(items, finder.labels_, strict=True)
    )
    session.flush()
    if not run.is_filtered:  # an exploration never reshuffles the board
        sync_board(
            session,
            run,
            [
                (item.id, _top(by_key, int(label)) if int(label) != analysis.UNASSIGNED else None)
                for item, label in zip(items, finder.labels_, strict=True)
            ],
        )
    run.model = finder.to_bytes()
    run.meta = _json_safe(finder.meta_)
    run.item_count = len(items)
    run.finish()


def _top(by_key: dict[int, Theme], key: int) -> Theme:
    """The top-level theme of the theme ``key`` (itself, or its parent)."""
    theme = by_key[key]
    return by_key[theme.parent_key] if theme.parent_key is not None else theme


def _with_item_ids(representatives: list[dict[str, Any]], items: Sequence[FeedbackItem]):  # type: ignore[no-untyped-def]
    """The finder names quotes by row; the app names them by feedback item."""
    return [{**quote, "item_id": items[quote["row"]].id} for quote in representatives]


def _json_safe(value: Any) -> Any:
    import json

    return json.loads(
        json.dumps(value, default=lambda v: v.item() if hasattr(v, "item") else str(v))
    )


PLACEMENT_JOB = "engage.themes.services.place_new_feedback_of_campaign"


def has_finished_run(campaign_id: Any) -> sa.Exists:
    """SQL: whether the campaign has themes to place new feedback in (a finished run)."""
    return sa.exists().where(
        AnalysisRun.campaign_id == campaign_id,
        AnalysisRun.status == RunStatus.DONE,
        ~AnalysisRun.is_filtered,
    )


def request_placement(
    session: Session, campaign_id: int, *, has_themes: bool | None = None
) -> None:
    """New feedback of ``campaign_id`` was stored: place it in the latest themes, if any.

    The placing is a job (sent once the feedback is committed), so that taking a
    response stays fast and looking at the themes never writes. ``has_themes``, when the
    caller already asked (see :func:`has_finished_run`), saves a query.
    """
    if has_themes is None:
        has_themes = get_latest_finished_run(session, campaign_id) is not None
    if has_themes:
        enqueue_after_commit(session, PLACEMENT_JOB, campaign_id, coalesce=True)


def place_new_feedback_of_campaign(session: Session, campaign_id: int) -> int:
    """The job: place the campaign's unplaced feedback in its latest finished run.

    One placement of a campaign at a time: two at once (two workers, or two requests
    placing inline without Redis) would both read the same items as unplaced and the
    second would fail on the first's rows. The second waits, then finds them placed.
    """
    _one_placement_at_a_time(session, campaign_id)
    run = get_latest_finished_run(session, campaign_id)
    return place_new_feedback(session, run) if run is not None else 0


_PLACEMENT_LOCK = 7301  # pg_advisory_xact_lock's first key: placing a campaign's feedback


def _one_placement_at_a_time(session: Session, campaign_id: int) -> None:
    """Hold the campaign's placement lock until this transaction ends (its first
    statement: on SQLite, a write takes the database's write lock before any read)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.select(sa.func.pg_advisory_xact_lock(_PLACEMENT_LOCK, campaign_id)))
    else:
        session.execute(
            sa.update(Campaign)
            .where(Campaign.id == campaign_id)
            .values(updated_at=Campaign.updated_at)  # writes nothing new
        )


def model_status(run: AnalysisRun, *, encoder: Encoder | None = None) -> str:
    """Whether ``place_new_feedback`` can use the theme finder ``run`` kept.

    One of ``MODEL_STATUSES``:

    - ``"ok"``: new feedback is placed in the run's themes.
    - ``"outdated"``: the finder was saved in an older format (a pickle from before the
      versioned archive, or another ``format_version``) or cannot be read. New feedback
      stays unplaced; the page says "This run was saved in an older format: analyse
      again to place new feedback."
    - ``"unavailable"``: saved in the current format, but the sentence-transformers model
      its themes were found with is not available in this process (or ``encoder`` is not
      that one). New feedback is placed once it is available again.
    - ``"missing"``: the run has not finished, or kept no finder.

    Reads the archive's header only (never loads a sentence-transformers model).
    """
    if run.status != "done" or run.model is None:
        return "missing"
    try:
        analysis.check_model(run.model, encoder=encoder)
    except analysis.IncompatibleModel as error:
        return _status_of(error)
    return "ok"


def _status_of(error: IncompatibleModel) -> str:
    return "outdated" if error.code in _OUTDATED_MODEL else "unavailable"


def place_new_feedback(
    session: Session, run: AnalysisRun, *, encoder: Encoder | None = None
) -> int:
    """Put feedback that arrived after ``run`` into its themes, without a re-run.

    Returns how many new items found a theme (the placement job calls it). When the
    run's kept finder cannot be used (see
    ``model_status``), nothing is placed and a warning is logged: the new items stay
    outside the run until the campaign is analysed again (or the model is available).

    Args:
        encoder: the sentence encoder the run was analysed with, for runs given one by
            their caller; runs of a sentence-transformers model load it themselves.
    """
    if run.status != RunStatus.DONE or run.model is None or run.is_filtered:
        return 0
    assigned = set(
        session.scalars(
            sa.select(ThemeAssignment.feedback_item_id).where(ThemeAssignment.run_id == run.id)
        )
    )
    new_items = [i for i in _clustered_items(session, run.campaign_id) if i.id not in assigned]
    if not new_items:
        return 0
    # Only what arrived: the run scored the rest (a whole-campaign scan on every
    # placement would repeat itself for every answer no lexicon covers).
    score_sentiment(session, run.campaign_id, item_ids=[i.id for i in new_items])
    try:
        finder = analysis.ThemeFinder.from_bytes(run.model, encoder=encoder)
        labels = finder.predict([i.text for i in new_items], [i.language for i in new_items])
    except analysis.IncompatibleModel as error:
        if _status_of(error) == "outdated":
            log.warning(
                "analysis run %s was saved in an older format (%s): %s new items are not "
                "placed in its themes until the campaign is analysed again",
                run.id,
                error,
                len(new_items),
            )
        else:
            log.warning(
                "analysis run %s needs a sentence encoder that is not available here (%s): "
                "%s new items are not placed in its themes until it is",
                run.id,
                error,
                len(new_items),
            )
        return 0
    themes = {t.key: t for t in run.themes}
    placed: list[tuple[int, Theme]] = []
    for item, label in zip(new_items, labels, strict=True):
        theme = themes.get(int(label)) if int(label) != analysis.UNASSIGNED else None
        session.add(
            ThemeAssignment(
                run_id=run.id,
                feedback_item_id=item.id,
                theme_id=theme.id if theme else None,
                placed_later=True,
            )
        )
        if theme is not None:
            placed.append((item.id, theme))
    session.flush()
    place_later(session, run, placed)
    return len(placed)


def count_items_by_theme(session: Session, run: AnalysisRun) -> dict[int | None, int]:
    rows = session.execute(
        sa.select(ThemeAssignment.theme_id, sa.func.count())
        .where(ThemeAssignment.run_id == run.id)
        .group_by(ThemeAssignment.theme_id)
    )
    return {theme_id: count for theme_id, count in rows}


def theme_tree(
    run: AnalysisRun, first_language: str | None = None
) -> tuple[list[Theme], dict[int, list[Theme]]]:
    """A run's top-level themes and each one's sub-themes.

    Top-level themes come by language: ``first_language`` (the reader's) first, then the
    language heard most, and so on; within a language, largest first.
    """
    top: list[Theme] = []
    children: dict[int, list[Theme]] = {}
    heard: dict[str, int] = {}
    for theme in run.themes:
        if theme.parent_key is None:
            top.append(theme)
            heard[theme.language] = heard.get(theme.language, 0) + theme.size
        else:
            children.setdefault(theme.parent_key, []).append(theme)
    top.sort(key=lambda t: (t.language != first_language, -heard[t.language], t.language, -t.size))
    return top, children
