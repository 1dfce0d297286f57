"""What every template can use: languages, permissions, the signed-in user."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

from flask import Flask, request
from flask_babel import format_date, format_datetime, format_decimal, format_percent, pgettext
from flask_login import current_user

from engage.i18n import current_language, describe_language, ui_languages
from engage.models import CampaignStatus, RunStatus, SurveyStatus
from engage.permissions import Permission, user_can


def url_with_language(code: str) -> str:
    """The current page's address with ``?lang=code``, other query arguments kept."""
    args = request.args.to_dict(flat=False)
    args["lang"] = [code]
    return f"{request.path}?{urlencode(args, doseq=True)}"


def campaign_status_label(status: str) -> str:
    labels = {
        CampaignStatus.DRAFT: pgettext("campaign status", "Draft"),
        CampaignStatus.OPEN: pgettext("campaign status", "Open"),
        CampaignStatus.CLOSED: pgettext("campaign status", "Closed"),
        CampaignStatus.ARCHIVED: pgettext("campaign status", "Archived"),
    }
    return labels.get(status, status)


def language_name(code: str) -> str:
    """A language's name in the reader's language, e.g. "Spanish" or "espagnol"."""
    from babel import Locale, UnknownLocaleError
    from flask_babel import get_locale

    try:
        return Locale.parse(code.replace("-", "_")).get_display_name(get_locale()) or code
    except (ValueError, TypeError, UnknownLocaleError):
        return code


def language_direction(code: str) -> str:
    """``rtl`` or ``ltr`` for text in the language ``code``; ``auto`` when it is unknown."""
    from babel import UnknownLocaleError

    from engage.i18n import describe_language

    try:
        return describe_language(code).direction
    except (ValueError, TypeError, UnknownLocaleError):
        return "auto"


def language_list(codes: Iterable[str]) -> str:
    """Language names joined as in a sentence: "English and Spanish"."""
    from babel.lists import format_list
    from flask_babel import get_locale

    return format_list([language_name(code) for code in codes], locale=get_locale() or "en")


def init_templating(app: Flask) -> None:
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.filters["format_number"] = format_decimal
    app.jinja_env.filters["format_percent"] = format_percent

    @app.context_processor
    def inject_common() -> dict[str, Any]:
        return {
            "ui_language": current_language(),
            "ui_languages": ui_languages(),
            "url_with_language": url_with_language,
            "Permission": Permission,
            "SurveyStatus": SurveyStatus,
            "CampaignStatus": CampaignStatus,
            "RunStatus": RunStatus,
            "campaign_status_label": campaign_status_label,
            "language_name": language_name,
            "language_list": language_list,
            "language_dir": language_direction,
            "format_datetime": format_datetime,
            "format_date": format_date,
            "can": lambda permission: user_can(current_user, permission),
            "language_autonym": lambda code: describe_language(code).native_name,
            "language_direction": lambda code: describe_language(code).direction,
        }
