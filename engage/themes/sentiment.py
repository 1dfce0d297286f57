"""Each answer's sentiment score, stored when the campaign's feedback is analysed.

The score (VADER's compound score, −1 … 1) is worked out from the masked text the
workgroups read, by the analysis run and by the placement of new feedback, both
background jobs: taking a response never waits for it. Answers in a language that no
sentiment lexicon covers (every language but English) keep ``None``.
"""

from __future__ import annotations

from collections.abc import Collection

import sqlalchemy as sa
from sqlalchemy.orm import Session

import analysis
from engage.models import FeedbackItem

_BATCH = 1000


def score_sentiment(
    session: Session, campaign_id: int, item_ids: Collection[int] | None = None
) -> int:
    """Score the campaign's answers that have no score yet (of ``item_ids`` only, when
    given), where their language is covered; returns how many were scored. Flushes,
    never commits."""
    unscored: tuple[sa.ColumnElement[bool], ...] = (
        FeedbackItem.campaign_id == campaign_id,
        FeedbackItem.sentiment.is_(None),
    )
    if item_ids is not None:
        unscored += (FeedbackItem.id.in_(list(item_ids)),)
    languages = session.scalars(sa.select(FeedbackItem.language).where(*unscored).distinct())
    scored = 0
    for language in [lang for lang in languages if analysis.sentiment_supported(lang)]:
        rows = session.execute(
            sa.select(FeedbackItem.id, FeedbackItem.redacted_text)
            .where(*unscored, FeedbackItem.language == language)
            .order_by(FeedbackItem.id)
        ).all()
        for start in range(0, len(rows), _BATCH):
            batch = rows[start : start + _BATCH]
            scores = analysis.sentiment_scores([text for _, text in batch], language) or []
            session.execute(
                sa.update(FeedbackItem),
                [
                    {"id": item_id, "sentiment": score}
                    for (item_id, _), score in zip(batch, scores, strict=True)
                ],
            )
            scored += len(batch)
    session.flush()
    return scored
