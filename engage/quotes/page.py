"""Everything the quote explorer shows, worked out from the address (the view renders it)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy.orm import Session

from engage.models import Campaign, Theme
from engage.quotes.forms import QuoteFilterForm
from engage.quotes.services import (
    QuoteFilters,
    count_matching,
    filter_form,
    filters_of,
    quotes_query,
    residents_matching,
    theme_labels,
    unscored_query,
)
from engage.responses.forms import CHANNEL_LABELS
from engage.web.pagination import paginate


@dataclass
class QuotePage:
    campaign: Campaign
    form: QuoteFilterForm
    filters: QuoteFilters
    threshold: int
    pagination: Pagination | None = None
    # Narrowed to a group of residents with fewer than ``threshold`` matching: words hidden.
    suppressed: bool = False
    themes: dict[int, Theme] = field(default_factory=dict)
    # Narrowed by sentiment: how many answers matching the other filters have no score
    # (``None`` when not narrowed, or when a small group's count is kept from view).
    unscored: int | None = None
    args: dict[str, str] = field(default_factory=dict)
    status: int = 200

    def context(self) -> dict[str, Any]:
        return {
            "campaign": self.campaign,
            "form": self.form,
            "filters": self.filters,
            "pagination": self.pagination,
            "suppressed": self.suppressed,
            "threshold": self.threshold,
            "themes": self.themes,
            "unscored": self.unscored,
            "args": self.args,
            "channel_labels": CHANNEL_LABELS,
        }


def build_page(
    session: Session,
    campaign: Campaign,
    args: Mapping[str, str],
    *,
    lang: str,
    default_threshold: int,
) -> QuotePage:
    form, run, themes = filter_form(session, campaign, args, lang)
    valid = form.validate()
    filters = filters_of(form, themes)
    found = QuotePage(campaign, form, filters, campaign.threshold(default_threshold))
    found.status = 200 if valid else 400
    found.args = {k: v for k, v in args.items() if k != "page" and v}
    query = quotes_query(session, campaign, filters)
    if filters.sentiment:
        unscored = unscored_query(session, campaign, filters)
        # Like the words, the count of a small group of residents is kept from view.
        if not filters.group or residents_matching(session, unscored) >= found.threshold:
            found.unscored = count_matching(session, unscored)
    if filters.group and residents_matching(session, query) < found.threshold:
        found.suppressed = True
        return found
    found.pagination = paginate(query)
    found.themes = theme_labels(session, run, [item.id for item in found.pagination.items])
    return found
