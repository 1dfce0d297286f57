"""Translated messages for the survey engine's definition problems, and where they belong.

The engine reports a problem as a code and a path such as
``$.pages[1].questions[0].options[2].value``; the builder shows the message beside the
field the path points at.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from surveys import AnswerError, DefinitionProblem

MESSAGES = {
    "invalid_slug": _l(
        "Use only lower-case letters, digits and hyphens for the address, like bus-survey."
    ),
    "slug_taken": _l("Another survey already uses this address."),
    "invalid_language": _l("That is not a language code Engage knows."),
    "duplicate_language": _l("A language is listed twice."),
    "source_language_not_offered": _l("The survey's own language must be one it offers."),
    "source_text_missing": _l("Enter this text in the survey's own language."),
    "language_not_offered": _l("There is text in a language the survey no longer offers."),
    "no_pages": _l("Add at least one page."),
    "no_questions": _l("This page has no questions yet."),
    "invalid_key": _l("Use letters, digits and underscores, starting with a letter."),
    "duplicate_key": _l("Another page already uses this key."),
    "invalid_code": _l(
        "Use letters, digits and single underscores for the code, starting with a letter."
    ),
    "duplicate_code": _l("Another question already uses this code."),
    "duplicate_outcome": _l("Another question already rates this outcome in the same way."),
    "invalid_value": _l("Use a value without spaces, like north_side."),
    "duplicate_value": _l("Two options have the same value."),
    "unknown_type": _l("Choose a question type."),
    "not_allowed_for_type": _l("This setting does not apply to this type of question."),
    "missing_field": _l("This is needed for the analysis role you chose."),
    "unknown_role": _l("Choose an analysis role from the list."),
    "role_needs_numeric_type": _l(
        "Importance and satisfaction need a rating, 0–10 scale or number question."
    ),
    "not_allowed_for_role": _l("This does not apply to the analysis role you chose."),
    "unknown_dimension": _l("Choose which demographic this question asks about."),
    "unknown_or_later_question": _l(
        "Skip logic can only look at a question that comes earlier in the survey."
    ),
    "question_has_no_answer": _l("Skip logic cannot look at a question that takes no answer."),
    "numeric_op_on_non_number": _l("Greater and less than only work with number questions."),
    "unknown_option": _l("That question has no option %(values)s."),
    "invalid_condition": _l("This skip logic is incomplete."),
    "unknown_operator": _l("Choose how to compare the answer."),
    "invalid_condition_value": _l("Enter the answer to compare with."),
    "options_required": _l("Add at least one option."),
    "several_specify_options": _l("Only one option can ask people to specify."),
    "rows_required": _l("Add at least one row."),
    "specify_not_supported": _l("A grid cannot ask people to specify."),
    "not_a_number": _l("Enter a number."),
    "minimum_above_maximum": _l("The lowest value must be below the highest."),
    "invalid_scale": _l("Use whole numbers for the ends, at most 20 apart."),
    "invalid_point": _l("Label only points between the lowest and highest value."),
    "invalid_date": _l("Enter a date like 2026-03-31."),
}
FALLBACK = _l("This part of the survey is not valid.")

_PATH = re.compile(r"\$\.pages\[(\d+)\](?:\.questions\[(\d+)\])?\.?(.*)")


def problem_message(problem: DefinitionProblem) -> str:
    message = MESSAGES.get(problem.code, FALLBACK)
    params = {k: _format_param(v) for k, v in problem.params.items()}
    try:
        return str(message) % params if "%(" in str(message) else str(message)
    except (KeyError, ValueError):
        return str(FALLBACK)


def _format_param(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def problem_location(problem: DefinitionProblem) -> tuple[int | None, int | None, str]:
    """``(page index, question index, rest of the path)``; ``None`` where not inside one."""
    match = _PATH.match(problem.path)
    if match is None:
        return None, None, problem.path.removeprefix("$.")
    page, question, rest = match.groups()
    return int(page), (int(question) if question is not None else None), rest


def describe_problem(problem: DefinitionProblem, data: Mapping[str, Any]) -> str:
    """The message, prefixed with the page or question it is about."""
    page_index, question_index, _rest = problem_location(problem)
    message = problem_message(problem)
    pages = data.get("pages", [])
    if page_index is None or page_index >= len(pages):
        return message
    page = pages[page_index]
    if question_index is None or question_index >= len(page.get("questions", [])):
        return _("Page %(number)d: %(message)s", number=page_index + 1, message=message)
    code = page["questions"][question_index].get("code", "")
    return _("Question %(code)s: %(message)s", code=code, message=message)


IMPORT_MESSAGES = {
    "not_an_xlsx_file": _l("This is not an Excel workbook (.xlsx)."),
    "missing_sheet": _l("The workbook has no “survey” sheet."),
    "missing_type": _l("The row has no type."),
    "missing_name": _l("The row has no name."),
    "unsupported_type": _l("The type %(type)s is not supported."),
    "unknown_choice_list": _l("There is no choice list called %(list)s."),
    "repeat_unsupported": _l("Repeating groups are not supported."),
    "choice_filter_unsupported": _l("Choice filters are not supported."),
    "unbalanced_end": _l("This “end group” has no matching “begin group”."),
    "unclosed_group": _l("A group is not closed with “end group”."),
    "duplicate_choice": _l("The choice %(name)s appears twice in list %(list)s."),
    "missing_label": _l("The choice %(name)s has no label."),
    "missing_list_name_or_name": _l("The row needs a list name and a name."),
    "unknown_language": _l("The column %(column)s names a language Engage does not know."),
    "yes_no_list_must_be_yes_no": _l("A yes/no list must have exactly the choices yes and no."),
    "scale_list_not_consecutive_numbers": _l("A scale list must be consecutive whole numbers."),
    "relevant_on_nested_group_unsupported": _l("Conditions on nested groups are not supported."),
    "not_utf8": _l("The file is not UTF-8 text."),
    "invalid_json": _l("The file is not valid JSON (line %(line)s, column %(column)s)."),
    "unsupported_format": _l("This is not an Engage survey file."),
}
RELEVANT_MESSAGE = _l("The “relevant” condition could not be read.")
IMPORT_FALLBACK = _l("This row could not be imported.")


def import_problem_message(code: str, params: Mapping[str, Any]) -> str:
    """A translated message for an import problem (XLSForm rows reuse definition codes)."""
    if code.startswith("relevant_"):
        return str(RELEVANT_MESSAGE)
    message = IMPORT_MESSAGES.get(code) or MESSAGES.get(code) or IMPORT_FALLBACK
    text = str(message)
    if "%(" not in text:
        return text
    try:
        return text % {k: _format_param(v) for k, v in params.items()}
    except (KeyError, ValueError):
        return str(IMPORT_FALLBACK)


ACCOUNT_ERRORS = {
    "email_taken": _l("An account with this email address already exists."),
    "invalid_token": _l("This link is not valid. It may have been used already."),
    "token_expired": _l("This link has expired. Ask an administrator for a new one."),
    "last_admin": _l("This is the only active administrator: make another administrator first."),
    "password_too_short": _l("The password is too short."),
    "password_too_long": _l("The password is too long."),
}


def account_error_message(code: str) -> str:
    return str(ACCOUNT_ERRORS.get(code, _l("That could not be done.")))


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


TRANSITION_ERRORS = {
    "survey_not_published": _l("This survey is not published, so it cannot be closed."),
    "survey_not_closed": _l("Only a closed survey that was published can be reopened."),
}


def transition_error_message(code: str) -> str:
    """Why a state change was refused (the code of an ``IllegalTransition``)."""
    return str(TRANSITION_ERRORS.get(code, _l("That could not be done.")))
