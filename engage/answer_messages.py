"""Translated messages for the survey engine's answer error codes."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext

from surveys import AnswerError


def answer_error_message(error: AnswerError) -> str:
    """What to tell a resident about ``error``, in the current language."""
    params = error.params
    code = error.code
    if code == "required":
        return _("Answer this question.")
    if code == "consent_required":
        return _("Tick the box to agree, or you cannot continue.")
    if code == "incomplete_rows":
        return _("Choose an answer in every row.")
    if code == "invalid_choice" or code == "unknown_row":
        return _("Choose one of the answers shown.")
    if code == "exclusive_choice":
        return _("“Prefer not to say” cannot be combined with other answers.")
    if code == "too_many_choices":
        maximum = int(params.get("max") or 0)
        return ngettext(
            "Choose at most %(num)d answer.", "Choose at most %(num)d answers.", maximum
        )
    if code == "other_text_required":
        return _("Say what “other” means for you.")
    if code == "too_long":
        return _("Use at most %(max)d characters.", max=int(params.get("max") or 0))
    if code in ("not_a_number", "not_a_whole_number"):
        if code == "not_a_whole_number":
            return _("Enter a whole number, like 3.")
        return _("Enter a number, like 3.")
    if code == "below_min":
        return _("Enter %(min)s or more.", min=params.get("min", ""))
    if code == "above_max":
        return _("Enter %(max)s or less.", max=params.get("max", ""))
    if code == "invalid_date":
        return _("Enter a real date, like 27 3 2007.")
    return _("This answer could not be accepted. Please check it.")
