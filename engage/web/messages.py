"""Every error code turned into a translated message, in one place.

Services and the ``surveys`` engine report what went wrong as a code and parameters; the
web layer shows the sentence for it. Each kind of code has one :class:`Catalogue`: whole
sentences as message ids, with named placeholders filled from the error's parameters
(lists joined, language codes named in the reader's language). A code a catalogue does
not know gets its fallback sentence, never a stack trace or a bare code.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext, ngettext

from engage.templating import language_name
from surveys import QUESTION_TYPES, AnswerError, DefinitionProblem
from surveys.response_import import RowProblem
from surveys.types import PluralMessage

if TYPE_CHECKING:
    from engage.dashboard.baseline import BaselineProblem

Params = Mapping[str, Any]


Message = Any  # a lazy string, or a PluralMessage (``NP_`` in ``surveys``)


def _shown(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return value if isinstance(value, int | float) else str(value)


def plain_params(params: Params) -> dict[str, Any]:
    return {key: _shown(value) for key, value in params.items()}


def language_params(params: Params) -> dict[str, Any]:
    """Parameters naming languages (``found``, ``expected``, ``language``) get their names."""
    shown = plain_params(params)
    for key in ("found", "expected", "language"):
        if key in params:
            shown[key] = language_name(str(params[key]))
    return shown


class Catalogue:
    """The messages of one kind of error code."""

    def __init__(
        self,
        messages: Mapping[str, Message],
        fallback: Message,
        *,
        prepare: Callable[[Params], dict[str, Any]] = plain_params,
    ) -> None:
        self.messages = dict(messages)
        self.fallback = fallback
        self.prepare = prepare

    def __contains__(self, code: str) -> bool:
        return code in self.messages

    def message(self, code: str, params: Params | None = None) -> str:
        """The translated sentence for ``code``, its placeholders filled from ``params``."""
        template = self.messages.get(code, self.fallback)
        values = self.prepare(params or {})
        try:
            if isinstance(template, PluralMessage):
                count = int(values.get(template.count) or 0)
                return ngettext(template.singular, template.plural, count, **values)
            text = str(template)
            return text % values if "%(" in text else text
        except (KeyError, ValueError, TypeError):
            return str(self.fallback)


# -- survey definitions (the builder) --------------------------------------------------

DEFINITION = Catalogue(
    {
        "invalid_slug": _l(
            "Use only lower-case letters, digits and hyphens for the address, like bus-survey."
        ),
        "slug_taken": _l("Another survey already uses this address."),
        "invalid_language": _l("That is not a language code Engage knows."),
        "duplicate_language": _l("A language is listed twice."),
        "source_language_not_offered": _l("The survey's own language must be one it offers."),
        "source_text_missing": _l("Enter this text in the survey's own language."),
        "unstorable_text": _l(
            "This text contains characters that cannot be saved. Remove them and try again."
        ),
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
        "count_needs_multiple_choice": _l(
            "Counting the answers chosen only works with multiple choice questions."
        ),
        "invalid_count": _l("Enter how many answers are chosen: a whole number, 0 or more."),
        "unknown_option": _l("That question has no option %(values)s."),
        "invalid_condition": _l("This skip logic is incomplete."),
        "unknown_operator": _l("Choose how to compare the answer."),
        "invalid_condition_value": _l("Enter the answer to compare with."),
        "options_required": _l("Add at least one option."),
        "several_specify_options": _l("Only one option can ask people to specify."),
        "specify_label_without_specify": _l(
            "Only an option that asks people to specify has a label for its text box."
        ),
        "rows_required": _l("Add at least one row."),
        "specify_not_supported": _l("A grid cannot ask people to specify."),
        "not_a_number": _l("Enter a number."),
        "minimum_above_maximum": _l("The lowest value must be below the highest."),
        "invalid_scale": _l("Use whole numbers for the ends, at most 20 apart."),
        "invalid_point": _l("Label only points between the lowest and highest value."),
        "invalid_date": _l("Enter a date like 2026-03-31."),
        "invalid_default": _l(
            "The default answer %(default)s is not an answer this question takes."
        ),
        "invalid_attributes": _l("An option's filter values must be text."),
        "invalid_choice_filter": _l("This choice filter is incomplete."),
        "filter_same_page": _l(
            "A choice filter can only look at a question on an earlier page, so that the "
            "page shows the right choices without JavaScript."
        ),
        "filter_needs_other_question": _l(
            "This choice filter does not fit the kind of question %(question)s is."
        ),
        "unknown_filter_attribute": _l("No option has a value for %(attribute)s to filter on."),
        "invalid_calculation": _l("This calculation cannot be read at “%(near)s”."),
        "invalid_pattern": _l("The pattern %(pattern)s cannot be read."),
        "unknown_calculation_reference": _l(
            "The calculation uses %(question)s, which is neither an answer nor an earlier "
            "calculation."
        ),
    },
    _l("This part of the survey is not valid."),
)

_PATH = re.compile(r"\$\.pages\[(\d+)\](?:\.questions\[(\d+)\])?\.?(.*)")


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


def problem_message(problem: DefinitionProblem) -> str:
    return DEFINITION.message(problem.code, problem.params)


# -- survey files: JSON and XLSForm imports ---------------------------------------------

# Bounds on one import (surveys.limits), the same words for survey and translation files.
IMPORT_BOUNDS = {
    "too_many_rows": _l(
        "The file has more than %(limit)s rows, more than can be imported at once. "
        "Import a smaller file."
    ),
    "import_too_slow": _l(
        "Reading the file took longer than %(seconds)s seconds, so it was stopped. "
        "Import a smaller file."
    ),
    "unzipped_too_large": _l(
        "The workbook unpacks to more than %(megabytes)s MB, more than can be imported. "
        "Import a smaller file."
    ),
}

_SKIP_LOGIC_READS = _l(
    "Engage's skip logic reads =, !=, <, <=, >, >=, selected(), count-selected(), contains(), "
    "regex(), not(), and, or."
)

_CALCULATIONS_READ = _l(
    "Engage works out +, -, *, div, mod, =, !=, <, <=, >, >=, and, or, if(), concat(), "
    "count-selected(), selected(), not(), round(), int(), number(), string-length(), "
    "coalesce() and sum() of answers written as ${name}."
)

IMPORT = Catalogue(
    {
        "not_an_xlsx_file": _l("This is not an Excel workbook (.xlsx): it could not be opened."),
        "not_an_xls_file": _l(
            "This is not an Excel 97–2003 workbook (.xls): it could not be opened."
        ),
        "not_a_form_file": _l(
            "This file is not a survey Engage can read. Import an XLSForm (.xlsx, .xls, or "
            "its CSV or Markdown form) or a survey exported from Engage (.json)."
        ),
        "duplicate_column": _l("Two columns of this sheet have the same header."),
        "missing_type_column": _l(
            "The “survey” sheet has no “type” column, so it is not an XLSForm."
        ),
        "missing_sheet": _l(
            "This workbook is not an XLSForm: it has no “survey” sheet. Import an XLSForm "
            "(.xlsx) or a survey exported from Engage (.json)."
        ),
        "no_questions_imported": _l(
            "None of the form's questions could be imported, so no survey was made. The "
            "reasons are listed below."
        ),
        "empty_file": _l("The file is empty."),
        "file_too_large": _l("The file is too large."),
        "import_expired": _l(
            "The preview is more than two hours old, so nothing was imported. Upload the "
            "file again."
        ),
        "import_invalid": _l(
            "This import could not be confirmed, so nothing was imported. Upload the file again."
        ),
        "constraint_unsupported": _l(
            "The constraint “%(constraint)s” is not kept, so residents will not be held to "
            "it. Engage reads limits such as “. >= 0 and . <= 120” or “. < 30” on numbers "
            "(only >= and <= on numbers with decimals), “string-length(.) <= 200” and "
            "“regex(., '^[0-9]{10}$')” on text, "
            "“count-selected(.) <= 3” on multiple choice and “. >= date('2024-01-01')” on dates."
        ),
        "missing_type": _l("The row has no type."),
        "missing_name": _l("The row has no name."),
        "unsupported_type": _l("The type %(type)s is not supported."),
        "unknown_xlsform_type": _l("%(type)s is not an XLSForm question type."),
        "geo_unsupported": _l("Location questions (%(type)s) are not supported."),
        "location_as_area_or_place": _l(
            "The location question (%(type)s) asks for one of the campaign's areas, or "
            "somewhere else with the place typed; it may be left blank."
        ),
        "location_as_text": _l(
            "The location question (%(type)s) is asked as text: residents type the place, "
            "and may leave it blank."
        ),
        "media_unsupported": _l(
            "Questions that take a photo, a sound, a video or a file (%(type)s) are not supported."
        ),
        "hidden_unsupported": _l(
            "Hidden fields (%(type)s) are not supported: residents have nothing to answer."
        ),
        "select_from_file_unsupported": _l(
            "Choices read from a separate file (%(type)s) are not supported."
        ),
        "select_from_file_missing": _l(
            "This question reads its choices from the file %(file)s, which was not given with "
            "the form. Add that file beside the form to keep the question."
        ),
        "select_from_file_unusable": _l(
            "The choices in the file %(file)s cannot be used (its problems are listed below)."
        ),
        "choice_file_no_extension": _l(
            "The file name %(file)s has no extension: write it as %(file)s.csv and upload "
            "that CSV file with the form."
        ),
        "choice_file_not_csv_type": _l(
            "Choices can be read from a CSV file only, not from %(file)s."
        ),
        "choice_file_not_utf8": _l(
            "The file %(file)s is not UTF-8 text. Save it as “CSV UTF-8” and upload it again."
        ),
        "choice_file_not_csv": _l("The file %(file)s is not a CSV file."),
        "choice_file_empty": _l("The file %(file)s has no choices."),
        "choice_file_too_large": _l("The file %(file)s is larger than %(megabytes)s MB."),
        "choice_file_too_many_rows": _l("The file %(file)s has more than %(limit)s rows."),
        "choice_file_columns": _l("The file %(file)s needs a “name” column and a “label” column."),
        "choice_file_missing_name": _l("This row has no name."),
        "choice_file_missing_label": _l("This row has no label."),
        "choice_file_duplicate_name": _l("The name %(name)s is already used on row %(first)s."),
        "choice_file_more_problems": _l(
            "The file %(file)s has %(count)s more problems like these."
        ),
        "choice_file_language_ignored": _l(
            "The form is not written in %(language)s, so these labels are not kept."
        ),
        "unknown_choice_list": _l("There is no choice list called %(list)s."),
        "repeat_unsupported": _l(
            "Repeating groups are not supported: the group %(name)s and all its questions "
            "are left out."
        ),
        "repeat_unsupported_unnamed": _l(
            "Repeating groups are not supported: this group and all its questions are left out."
        ),
        "choice_filter_unsupported_expression": _l(
            "The choice filter “%(filter)s” cannot be read at “%(near)s”, so every choice is "
            "shown. Engage reads filters such as district = ${district}, name != ${first} and "
            "selected(${chosen}, name), joined with and."
        ),
        "choice_filter_unknown_or_later_question": _l(
            "The choice filter “%(filter)s” looks at %(question)s, which is not a question of "
            "this form, so every choice is shown."
        ),
        "choice_filter_later_question": _l(
            "The choice filter “%(filter)s” looks at %(question)s, which comes later in the "
            "form, so every choice is shown."
        ),
        "choice_filter_refers_to_left_out": _l(
            "The choice filter looks at %(question)s, which is left out, so every choice is shown."
        ),
        "choice_filter_needs_selected": _l(
            "The choice filter “%(filter)s” compares %(column)s with %(question)s, which takes "
            "several answers; write selected(${%(question)s}, %(column)s). Every choice is shown."
        ),
        "choice_filter_unknown_column": _l(
            "The choice filter “%(filter)s” uses the column %(column)s, which the question's "
            "choices do not have, so every choice is shown."
        ),
        "choice_filter_not_for_type": _l(
            "This type of question cannot filter its choices, so the filter “%(filter)s” is "
            "not kept."
        ),
        "choice_filter_new_page": _l(
            "The question goes on a new page after %(question)s, so that its choices follow "
            "that answer without JavaScript."
        ),
        "choice_column_not_used": _l("No choice filter uses this column, so it is not kept."),
        "calculation_missing": _l("The calculate row has no calculation, so it is left out."),
        "calculation_empty_expression": _l(
            "The calculate row has no calculation, so it is left out."
        ),
        "calculation_unsupported_expression": _l(
            "The calculation cannot be read at “%(near)s”, so it is left out."
        ),
        "calculation_unsupported_function": _l(
            "The calculation uses %(near)s(), which Engage does not work out, so it is left out."
        ),
        "calculation_wrong_arguments": _l(
            "The calculation gives %(near)s() a number of values it does not take, so it is "
            "left out."
        ),
        "calculation_expression_too_long": _l(
            "The calculation is longer than 2,000 characters, so it is left out."
        ),
        "calculation_cycle": _l(
            "The calculation uses %(question)s, which in turn uses this one, so it is left out."
        ),
        "calculation_refers_to_left_out": _l(
            "The calculation uses %(question)s, which is left out, so it is left out too."
        ),
        "calculation_unknown_question": _l(
            "The calculation uses %(question)s, which is not a question of this form, so it "
            "is left out."
        ),
        "calculation_label_not_shown": _l(
            "Residents do not see calculations, so this label is not kept."
        ),
        "relevant_invalid_pattern": _l(
            "The condition “%(expression)s” uses the pattern %(pattern)s, which cannot be read."
        ),
        "relevant_sum_not_a_number": _l(
            "The condition “%(expression)s” adds up %(question)s, which is not a number "
            "question. sum() adds up the answers of a repeat, and Engage has no repeats."
        ),
        "relevant_count_needs_multiple_choice": _l(
            "The condition “%(expression)s” counts the answers chosen in %(question)s, which "
            "is not a multiple choice question."
        ),
        "relevant_refers_to_calculation": _l(
            "The condition “%(expression)s” looks at the calculation %(question)s, which "
            "Engage works out only when the response is sent, so skip logic cannot use it."
        ),
        "default_expression_unsupported": _l(
            "The default “%(default)s” is a formula, which Engage does not work out: the "
            "question starts blank."
        ),
        "default_not_kept": _l(
            "The default “%(default)s” is not an answer this question takes: the question "
            "starts blank."
        ),
        "default_not_for_type": _l(
            "This type of question starts blank in Engage, so the default “%(default)s” is "
            "not kept."
        ),
        "required_expression_unsupported": _l(
            "“Required” only when “%(required)s” is not supported: the question is optional."
        ),
        "reference_shown_as_written": _l(
            "The text refers to %(reference)s, which is not an earlier question of the "
            "survey; Engage shows it as written."
        ),
        "unbalanced_end": _l("This “end” row has no matching “begin” row; it is skipped."),
        "unclosed_group": _l("A group is not closed with “end group”; it ends with the form."),
        "nested_group_as_page": _l(
            "The group %(name)s inside another group becomes a page of its own, shown when "
            "both groups' conditions hold; the rest of the enclosing group follows on the "
            "next page."
        ),
        "nested_group_flattened": _l(
            "The group %(name)s inside another group is shown on its page, its label as a "
            "heading; its condition applies to each of its questions."
        ),
        "empty_group_left_out": _l("The group %(name)s has no questions."),
        "metadata_ignored": _l(
            "%(type)s is recorded by data-collection apps, not asked; Engage does not need it."
        ),
        "column_ignored": _l("Engage does not use the column %(column)s; its text is not kept."),
        "constraint_message_not_kept": _l(
            "The constraint message is not kept, since there is no constraint Engage keeps "
            "on this row."
        ),
        "unknown_column_ignored": _l("The column is not an XLSForm column; it is not read."),
        "setting_ignored": _l("Engage does not use this setting."),
        "appearance_ignored": _l("The appearance %(appearance)s is not used by Engage."),
        "duplicate_choice": _l("The choice %(name)s appears twice in list %(list)s."),
        "missing_label": _l("The choice %(name)s has no label."),
        "choice_label_missing": _l("The choice %(name)s has no label: its name is shown."),
        "missing_list_name_or_name": _l("The row needs a list name and a name."),
        "choice_missing_list_name_or_name": _l("The choice needs a list name and a name."),
        "unknown_language": _l("The column %(column)s names a language Engage does not know."),
        "unknown_default_language": _l(
            "The default language %(language)s is not one Engage knows; the first language "
            "of the form is used."
        ),
        "default_language_assumed": _l(
            "Columns without a language are read as English, since no default language is set."
        ),
        "source_text_missing": _l("The row has no label in the survey's own language."),
        "yes_no_list_must_be_yes_no": _l("A yes/no list must have exactly the choices yes and no."),
        "scale_list_not_consecutive_numbers": _l("A scale list must be consecutive whole numbers."),
        "range_step_unsupported": _l(
            "A range whose step is %(step)s is not supported: Engage's scales go one by one."
        ),
        "invalid_range_parameters": _l("The range's start, end and step must be numbers."),
        "range_parameter_unknown": _l(
            "A range takes the parameters start, end and step, not %(name)s."
        ),
        "range_bounds_not_whole": _l(
            "A range from %(start)s to %(end)s is not supported: Engage's scales go one by "
            "one between whole numbers."
        ),
        "matrix_row_must_be_select_one": _l(
            "A row of a table-list grid must be a select_one question (here %(type)s)."
        ),
        "matrix_rows_must_share_list": _l(
            "The rows of a table-list grid must use the same choice list (here %(list)s)."
        ),
        "empty_matrix": _l("The table-list grid has no rows."),
        "relevant_on_matrix_row_unsupported": _l(
            "A condition on one row of a grid is not supported: the row is always shown."
        ),
        "relevant_on_nested_group_unsupported": _l(
            "Conditions on nested groups are not supported."
        ),
        "relevant_unsupported_expression": _l(
            "The condition “%(expression)s” cannot be read at “%(near)s”."
        ),
        "relevant_unknown_or_later_question": _l(
            "The condition “%(expression)s” looks at %(question)s, which is not a question "
            "of this form."
        ),
        "relevant_later_question": _l(
            "The condition “%(expression)s” looks at %(question)s, which comes later in the "
            "form; skip logic can only look at earlier questions."
        ),
        "relevant_refers_to_left_out": _l(
            "The condition looks at %(question)s, which is left out."
        ),
        "relevant_not_a_number": _l(
            "The condition “%(expression)s” compares a number with “%(value)s”, which is not "
            "a number."
        ),
        "not_utf8": _l("The file is not UTF-8 text."),
        "invalid_json": _l("The file is not valid JSON (line %(line)s, column %(column)s)."),
        "unsupported_format": _l("This is not an Engage survey file."),
        "json_too_deep": _l("The file is nested too deeply to be an Engage survey."),
        **IMPORT_BOUNDS,
    },
    _l("This row could not be imported."),
)

RELEVANT_MESSAGE = _l("The “relevant” condition could not be read.")

IMPORT_OUTCOMES = {
    "left_out": _l("Left out"),
    "adapted": _l("Changed"),
    "ignored": _l("Not kept"),
}


def import_problem_message(code: str, params: Params) -> str:
    """A translated message for an import problem (XLSForm rows reuse definition codes)."""
    if code.startswith("relevant_") and code not in IMPORT:
        return str(RELEVANT_MESSAGE)
    catalogue = DEFINITION if code not in IMPORT and code in DEFINITION else IMPORT
    message = catalogue.message(code, params)
    if code == "relevant_unsupported_expression":
        message = f"{message} {_SKIP_LOGIC_READS}"
    elif code in ("calculation_unsupported_expression", "calculation_unsupported_function"):
        message = f"{message} {_CALCULATIONS_READ}"
    return message


def import_problem_place(problem: Any) -> str:
    """Where in the file an import problem is: sheet, row and column, as far as known."""
    if problem.sheet.lower().endswith(".csv"):  # a CSV of choices uploaded beside the form
        if problem.row and problem.column:
            return _(
                "File %(file)s, row %(row)d, column %(column)s",
                file=problem.sheet,
                row=problem.row,
                column=problem.column,
            )
        if problem.row:
            return _("File %(file)s, row %(row)d", file=problem.sheet, row=problem.row)
        return ""
    if problem.row and problem.column:
        return _(
            "Sheet %(sheet)s, row %(row)d, column %(column)s",
            sheet=problem.sheet,
            row=problem.row,
            column=problem.column,
        )
    if problem.row:
        return _("Sheet %(sheet)s, row %(row)d", sheet=problem.sheet, row=problem.row)
    return ""


def import_problem_line(problem: Any) -> str:
    """``Sheet survey, row 5, column type: The type geopoint is not supported.``"""
    message = import_problem_message(problem.message_code, problem.params)
    place = import_problem_place(problem)
    return _("%(place)s: %(message)s", place=place, message=message) if place else message


# -- accounts ---------------------------------------------------------------------------

ACCOUNT = Catalogue(
    {
        "email_taken": _l("An account with this email address already exists."),
        "invalid_token": _l("This link is not valid. It may have been used already."),
        "token_expired": _l("This link has expired. Ask an administrator for a new one."),
        "last_admin": _l(
            "This is the only active administrator: make another administrator first."
        ),
        "password_too_short": _l("The password is too short."),
        "password_too_long": _l("The password is too long."),
    },
    _l("That could not be done."),
)


def account_error_message(code: str) -> str:
    return ACCOUNT.message(code)


# -- residents' answers -----------------------------------------------------------------


def _question_type_messages() -> dict[str, Message]:
    """The answer-error messages each question type owns (``N_``-marked in ``surveys``)."""
    found: dict[str, Message] = {}
    for qtype in QUESTION_TYPES.values():
        for code, message in qtype.messages.items():
            found[code] = message if isinstance(message, PluralMessage) else _l(message)
    return found


ANSWER = Catalogue(
    {
        **_question_type_messages(),
        "required": _l("Answer this question."),
        "invalid_choice": _l("Choose one of the answers shown."),
        "unstorable_text": _l(
            "This answer contains characters that cannot be saved. Remove them and try again."
        ),
        "too_long": _l("Use at most %(max)d characters."),
        "below_min": _l("Enter %(min)s or more."),
        "above_max": _l("Enter %(max)s or less."),
    },
    _l("This answer could not be accepted. Please check it."),
    prepare=lambda params: {**plain_params(params), "max": params.get("max") or 0},
)


def answer_error_message(error: AnswerError) -> str:
    """What to tell a resident about ``error``, in the current language."""
    return ANSWER.message(error.code, error.params)


# -- response imports (paper forms, other tools) ----------------------------------------

RESPONSE_IMPORT = Catalogue(
    {
        "unknown_file_type": _l("Choose a .csv or .xlsx file."),
        "not_utf8": _l("The file is not UTF-8 text. Save it as “CSV UTF-8” and try again."),
        "not_a_csv_file": _l("The file could not be read as CSV."),
        "not_an_xlsx_file": _l("This is not an Excel workbook (.xlsx)."),
        "file_too_large": _l("The workbook is too large to read."),
        "too_many_rows": _l("The file has more than %(max)s rows. Split it into smaller files."),
        "no_header": _l("The first row must name the columns."),
        "no_rows": _l("The file has no responses in it."),
        "not_published": _l("Publish the survey before importing responses."),
        "blank_column": _l("Column %(number)s has no name."),
        "repeated_column": _l("The column %(column)s appears twice."),
        "unknown_column": _l("%(column)s is not a question of this survey or a known column."),
        "extra_cells": _l("The row has more cells than the header has columns."),
        "unstorable_text": _l("This cell contains characters that cannot be saved."),
        "unknown_language": _l("The survey is not offered in %(language)s."),
        "unknown_channel": _l(
            "%(channel)s is not a channel: use web, interviewer, paper, session or import."
        ),
        "too_long": _l("Use at most %(max)s characters."),
        "bad_date": _l("Write the date as 2026-03-31 or 2026-03-31T14:05."),
    },
    _l("This row could not be imported."),
    prepare=language_params,
)


def row_problem_message(problem: RowProblem) -> str:
    """The sentence for one problem of a response import (answers use ``ANSWER``)."""
    if problem.answer_error is not None:
        return answer_error_message(problem.answer_error)
    return RESPONSE_IMPORT.message(problem.code, problem.params)


# -- outreach: tracked links ------------------------------------------------------------

OUTREACH = Catalogue(
    {
        "tag_invalid": _l("Use lower-case letters, digits and dashes only, at most 80."),
        "tag_taken": _l("This survey already has a link with this tag: choose another."),
    },
    _l("That could not be done."),
)


def outreach_error_message(code: str) -> str:
    return OUTREACH.message(code)


# -- the community baseline (dashboard) -------------------------------------------------

BASELINE = Catalogue(
    {
        "baseline_header": _l("The first line must be: %(header)s"),
        "baseline_too_many_rows": _l("Give at most %(max)s groups."),
        "baseline_missing_name": _l("Name both the dimension and the group."),
        "baseline_bad_share": _l("“%(value)s” is not a share: write a number such as 30 or 0.3."),
        "baseline_repeated": _l("The group %(group)s appears twice in this dimension."),
        "baseline_empty_dimension": _l("The shares of %(dimension)s add up to nothing."),
    },
    _l("This line could not be read."),
)


def baseline_problem_message(problem: BaselineProblem) -> str:
    """The sentence for a baseline problem, with its line number when it has one."""
    message = BASELINE.message(problem.code, problem.params)
    if problem.row:
        return _("Line %(number)s: %(message)s", number=problem.row, message=message)
    return message


# -- translation files ------------------------------------------------------------------

TRANSLATION_FILE = Catalogue(
    {
        "not_utf8": _l(
            "The file is not in UTF-8. Save it as “CSV UTF-8” or as UTF-8 text, "
            "then import it again."
        ),
        "unknown_encoding": _l("The file uses a character encoding we do not know (%(encoding)s)."),
        "invalid_po": _l("This line is not valid in a PO file."),
        "plural_not_supported": _l("Survey texts have no plural forms."),
        "invalid_csv": _l("This line cannot be read as CSV."),
        "not_an_xlsx_file": _l("The file is not an Excel workbook (.xlsx)."),
        "empty_file": _l("The file is empty."),
        "no_rows": _l("The file has no texts."),
        "missing_column": _l("The column “%(column)s” is missing."),
        "language_missing": _l(
            "The file does not say which language it is a translation into. "
            "Export a new file and translate that one."
        ),
        "wrong_language": _l("The file is a translation into %(found)s, not into %(expected)s."),
        "wrong_source_language": _l(
            "The file was made from texts in %(found)s, but this survey is written in %(expected)s."
        ),
        "missing_key": _l("The row has no key."),
        "unknown_key": _l("This key is not a text of this survey."),
        "duplicate_key": _l("This key appears more than once in the file."),
        "placeholder_missing": _l(
            "The translation lacks %(placeholders)s, which the original text has. "
            "Keep placeholders as they are."
        ),
        "placeholder_unexpected": _l(
            "The translation has %(placeholders)s, which the original text does not have."
        ),
        "source_changed": _l(
            "The original text has changed since the file was exported, so this translation "
            "was not imported. Translate the new text."
        ),
        "fuzzy_ignored": _l(
            "This translation is marked as needing review (fuzzy), so it was not imported."
        ),
        "unstorable_text": _l(
            "This text contains characters that cannot be saved. Remove them and try again."
        ),
        **IMPORT_BOUNDS,
    },
    _l("This could not be read."),
    prepare=language_params,
)


def translation_problem_message(code: str, params: Params) -> str:
    return TRANSLATION_FILE.message(code, params)


# -- analysis runs ----------------------------------------------------------------------

RUN = Catalogue(
    {
        "already_running": _l("An analysis is already running for this campaign."),
        "no_feedback": _l("There is no open-ended feedback to analyse yet."),
        "model_missing": _l(
            "The analysis could not run: the model directory %(path)s does not exist on the "
            "server. An administrator needs to correct ENGAGE_ANALYSIS_MODEL."
        ),
        "model_invalid": _l(
            "The analysis could not run: %(path)s is not a sentence-transformers model "
            "directory, or the model in it cannot be loaded. An administrator needs to correct "
            "ENGAGE_ANALYSIS_MODEL."
        ),
        "semantic_unavailable": _l(
            "The analysis could not run: it is set to use sentence embeddings, but the optional "
            "semantic backend is not installed on the server. An administrator needs to install "
            "it (pip install 'engage[semantic]') or set ENGAGE_ANALYSIS_BACKEND to auto."
        ),
        # Filters of a run over part of the feedback (engage.themes.runs.FILTER_ERRORS).
        "unknown_survey": _l("Choose one of this campaign's surveys."),
        "unknown_question": _l("Choose one of the open questions of this campaign's surveys."),
        "unknown_wave": _l("That survey has no such wave. Choose one of its waves."),
        "wave_needs_survey": _l("Choose a survey too: each survey has waves of its own."),
        "unknown_language": _l("Choose one of the languages offered."),
        "unknown_channel": _l("Choose one of the channels offered."),
        "dates_reversed": _l("The first day must come before the last day."),
    },
    _l("The analysis failed. Please try again; if it fails again, tell an administrator."),
)


def run_error_message(code: str | None, params: Params | None = None) -> str:
    return RUN.message(code or "unexpected", params)


# -- theme links ------------------------------------------------------------------------

THEME_LINK = Catalogue(
    {
        "unknown_theme": _l("Choose a theme to link to."),
        "same_theme": _l("A theme cannot be linked to itself."),
        "same_language": _l(
            "Both themes are in %(language)s. Only themes in different languages can be linked."
        ),
        "duplicate": _l("These themes are already linked."),
    },
    _l("That could not be done."),
    prepare=language_params,
)


def theme_link_error_message(code: str, params: Params | None = None) -> str:
    return THEME_LINK.message(code, params)


# -- the theme board --------------------------------------------------------------------

BOARD = Catalogue(
    {
        "unknown_theme": _l("Choose a theme of this board."),
        "same_theme": _l("Choose another theme: a theme cannot be merged into itself."),
        "theme_merged": _l("This theme was merged into another one. Edit that theme instead."),
        "theme_hidden": _l("This theme is already hidden."),
        "theme_not_hidden": _l("This theme is not hidden."),
        "theme_reviewed": _l("This theme is already marked as reviewed."),
        "theme_not_reviewed": _l("This theme is not marked as reviewed."),
        "unknown_item": _l("Choose a quote of this theme."),
        "too_few_to_split": _l(
            "This theme has too few answers to split. A theme needs at least %(min)s answers."
        ),
        "no_split_found": _l("No clear sub-themes were found in this theme's answers."),
        "theme_not_merged": _l("This theme is not merged into another one."),
        "merge_not_recorded": _l(
            "“%(theme)s” was merged before merges could be undone, so its answers cannot be "
            "told apart from those of “%(into)s”. Move its quotes back one by one instead."
        ),
        "merge_answers_gone": _l(
            "The merge of “%(theme)s” cannot be undone: every answer it brought to "
            "“%(into)s” has since been moved to other themes."
        ),
    },
    _l("That could not be done."),
)


def board_error_message(code: str, params: Params | None = None) -> str:
    return BOARD.message(code, params)


BOARD_EDIT = Catalogue(
    {
        "renamed": _l("Renamed"),
        "job_statement": _l("Job statement written"),
        "merged": _l("Merged"),
        "split": _l("Split into sub-themes"),
        "moved": _l("Quote moved here"),
        "hidden": _l("Hidden as noise"),
        "unhidden": _l("Shown again"),
        "reviewed": _l("Marked as reviewed"),
        "reopened": _l("Marked as not reviewed"),
        "commented": _l("Comment added"),
        "unmerged": _l("Merge undone"),
    },
    _l("Edited"),
)


def board_edit_label(action: str) -> str:
    """What the board's history calls an edit (a ``BoardEdit.action``), translated."""
    return BOARD_EDIT.message(action)


# -- invitations (the API) --------------------------------------------------------------

INVITATION = Catalogue(
    {
        "required": _l('This survey is by invitation: send the invitation in "invite".'),
        "invalid": _l("This invitation is not valid for this survey."),
        "used": _l("This invitation has already been used."),
    },
    _l("This invitation is not valid for this survey."),
)


def invitation_problem_message(code: str) -> str:
    return INVITATION.message(code)


# -- state transitions ------------------------------------------------------------------

TRANSITION = Catalogue(
    {
        "survey_not_published": _l("This survey is not published, so it cannot be closed."),
        "survey_not_closed": _l("Only a closed survey that was published can be reopened."),
        "response_already_excluded": _l("This response is already set aside."),
        "response_not_excluded": _l("This response already counts in the results."),
        "survey_never_published": _l("Publish the survey before starting a new wave."),
        "wave_already_started": _l("This wave has just been started by someone else."),
        "wave_not_after_previous": _l(
            "A new wave must start after the previous one. Try again in a moment."
        ),
        "round_already_open": _l("This round is already open."),
        "round_has_no_prototypes": _l("Add at least one prototype before opening the round."),
        "round_past_closing": _l(
            "The round's closing date has passed. Change the closing date before opening it."
        ),
        "round_not_open": _l("This round is not open, so it cannot be closed."),
        "round_needs_a_prototype": _l(
            "An open round must show at least one prototype. Add another before removing "
            "this one, or close the round."
        ),
        "round_definition_invalid": _l(
            "The round cannot be opened yet: every prototype needs a title in the "
            "campaign's main language, and the round's own questions must be complete."
        ),
    },
    _l("That could not be done."),
)


def transition_error_message(code: str) -> str:
    """Why a state change was refused (the code of an ``IllegalTransition``)."""
    return TRANSITION.message(code)


# -- prototype pictures ------------------------------------------------------------------

IMAGE = Catalogue(
    {
        "image_empty": _l("The picture file is empty. Choose another file."),
        "image_too_large": _l("The picture is larger than 8 MB. Choose a smaller file."),
        "image_unreadable": _l(
            "This file could not be read as a picture. Choose a JPEG, PNG, WebP or GIF file."
        ),
        "image_type_not_allowed": _l("The picture must be a JPEG, PNG, WebP or GIF file."),
        "image_too_many_pixels": _l(
            "The picture is too big (more than 12,000 pixels on a side or 40 megapixels). "
            "Choose a smaller picture."
        ),
        "image_too_small": _l("The picture is too small: it must be at least 32 pixels on a side."),
    },
    _l("This picture cannot be used. Choose another file."),
)


def image_problem_message(code: str) -> str:
    """Why an uploaded picture was refused (the code of an ``ImageRefused``)."""
    return IMAGE.message(code)


# -- workgroups (administration) --------------------------------------------------------

WORKGROUP = Catalogue(
    {
        "name_taken": _l("Another workgroup already has this name."),
        "unknown_user": _l("Choose one of the active accounts offered."),
        "already_member": _l("%(name)s is already a member of this workgroup."),
        "not_member": _l("%(name)s is not a member of this workgroup."),
        "unknown_campaign": _l("Choose one of the campaigns offered."),
        "already_assigned": _l("“%(title)s” is already assigned to this workgroup."),
        "not_assigned": _l("“%(title)s” is not assigned to this workgroup."),
    },
    _l("That could not be done."),
)


def workgroup_error_message(code: str, params: Params | None = None) -> str:
    """Why a workgroup change was refused (the code of a ``WorkgroupError``)."""
    return WORKGROUP.message(code, params)


# -- the audit log: what each recorded action is called ----------------------------------

AUDIT_ACTION = Catalogue(
    {
        "sign_in": lazy_pgettext("audit action", "Signed in"),
        "sign_in_failed": lazy_pgettext("audit action", "Failed sign-in"),
        "sign_out": lazy_pgettext("audit action", "Signed out"),
        "sign_out_everywhere": lazy_pgettext("audit action", "Signed out everywhere"),
        "password_changed": lazy_pgettext("audit action", "Password changed"),
        "user_invited": lazy_pgettext("audit action", "User invited"),
        "role_changed": lazy_pgettext("audit action", "Role changed"),
        "account_deactivated": lazy_pgettext("audit action", "Account deactivated"),
        "account_reactivated": lazy_pgettext("audit action", "Account reactivated"),
        "workgroup_created": lazy_pgettext("audit action", "Workgroup created"),
        "workgroup_changed": lazy_pgettext("audit action", "Workgroup changed"),
        "member_added": lazy_pgettext("audit action", "Member added to a workgroup"),
        "member_removed": lazy_pgettext("audit action", "Member removed from a workgroup"),
        "campaign_assigned": lazy_pgettext("audit action", "Campaign assigned to a workgroup"),
        "campaign_unassigned": lazy_pgettext(
            "audit action", "Campaign unassigned from a workgroup"
        ),
        "published": lazy_pgettext("audit action", "Published"),
        "wave_started": lazy_pgettext("audit action", "New wave of a survey started"),
        "exported": lazy_pgettext("audit action", "Exported"),
        "responses_imported": lazy_pgettext("audit action", "Responses imported"),
        "response_excluded": lazy_pgettext("audit action", "Response set aside"),
        "response_restored": lazy_pgettext("audit action", "Response counted again"),
        "deleted": lazy_pgettext("audit action", "Deleted"),
        "data_purged": lazy_pgettext("audit action", "Data purged"),
        "resident_data_deleted": lazy_pgettext("audit action", "A resident's data deleted"),
        "contacts_exported": lazy_pgettext("audit action", "Contact details downloaded"),
        "theme_edited": lazy_pgettext("audit action", "Theme edited on the board"),
        "report_back_published": lazy_pgettext("audit action", "Published on the report-back page"),
        "report_back_withdrawn": lazy_pgettext(
            "audit action", "Withdrawn from the report-back page"
        ),
        "round_results_published": lazy_pgettext(
            "audit action", "Co-design round results published on the report-back page"
        ),
        "round_results_withdrawn": lazy_pgettext(
            "audit action", "Co-design round results withdrawn from the report-back page"
        ),
    },
    lazy_pgettext("audit action", "Other action"),
)


def audit_action_label(action: str) -> str:
    """What the audit log calls ``action`` (an ``AuditAction`` value), translated."""
    return AUDIT_ACTION.message(action)


def audit_detail_text(action: str, detail: Params) -> str:
    """A short sentence about what an entry changed, for the actions that say more than
    their subject; empty for the others."""
    if action in ("member_added", "member_removed") and detail.get("user_email"):
        return _("Person: %(email)s", email=detail["user_email"])
    if action in ("campaign_assigned", "campaign_unassigned") and detail.get("campaign_title"):
        return _("Campaign: %(title)s", title=detail["campaign_title"])
    if action == "contacts_exported" and "count" in detail:
        return ngettext(
            "%(num)d resident's contact details.",
            "%(num)d residents' contact details.",
            int(detail["count"]),
        )
    if action == "exported" and detail.get("format"):
        return _export_detail_text(detail)
    if action == "wave_started" and detail.get("wave"):
        name = _("Wave %(number)d", number=int(detail["wave"]))
        return f"{name} · {detail['label']}" if detail.get("label") else name
    if action == "theme_edited" and detail.get("edit"):
        return _(
            "Theme “%(theme)s”: %(edit)s.",
            theme=detail.get("theme", ""),
            edit=board_edit_label(str(detail["edit"])).lower(),
        )
    if action == "workgroup_changed" and detail.get("old_name"):
        return _(
            "Renamed from “%(old)s” to “%(new)s”.",
            old=detail["old_name"],
            new=detail.get("new_name", ""),
        )
    return ""


_EXPORT_OPTIONS = ("from", "to", "channel", "language", "wave", "labels")


def _export_detail_text(detail: Params) -> str:
    """The format of a response export, and the options it was made with."""
    text = _("Format: %(format)s.", format=str(detail["format"]).upper())
    options = [f"{name}={detail[name]}" for name in _EXPORT_OPTIONS if detail.get(name)]
    if detail.get("codebook"):
        options.append("codebook")
    if options:
        text += " " + _("Options: %(options)s.", options=", ".join(options))
    return text


# -- interviews taken down offline --------------------------------------------------------

OFFLINE_INTERVIEW = Catalogue(
    {
        "invalid_json": _l("This interview could not be read. It stays on this phone."),
        "key_required": _l("This interview could not be read. It stays on this phone."),
        "unknown_language": _l("This survey is not offered in that language."),
        "key_reused": _l(
            "Another interview with other answers was already sent under this one's number. "
            "This one was not stored."
        ),
        "survey_closed": _l("This survey is not taking answers now."),
        "invalid_answers": _l("Some answers could not be accepted."),
        "other_interviewer": _l(
            "Another interviewer took this interview down. It stays on this phone and is "
            "sent when they sign in here."
        ),
    },
    _l("This interview could not be read. It stays on this phone."),
)


def offline_interview_message(code: str) -> str:
    """Why an interview sent from a phone's queue was not stored."""
    return OFFLINE_INTERVIEW.message(code)


# -- the backlog, voting and sprints --------------------------------------------------------

BACKLOG = Catalogue(
    {
        "title_required": _l("Give it a title."),
        "effort_invalid": _l("Choose an effort from the list."),
        "unknown_outcome": _l("Choose an outcome that the campaign's surveys ask about."),
        "unknown_owner": _l("Choose an owner among the members of the campaign's workgroups."),
        "owner_required": _l("Choose who owns this in the sprint."),
        "unknown_theme": _l("One of the chosen themes is not a theme of this campaign."),
        "unknown_quote": _l("One of the chosen quotes is not an answer to this campaign."),
        "unknown_status": _l("Choose a status from the list."),
        "opportunity_same_status": _l("The opportunity already has this status."),
        "opportunity_status_not_allowed": _l("The opportunity cannot go to that status from here."),
        "not_now_needs_reason": _l("Say why the workgroup decided not to do this now."),
        "not_now_needs_revisit_date": _l("Choose when to look at it again."),
        "revisit_date_not_future": _l("The date to look at it again must be after today."),
        "round_already_open": _l("A voting round is already open: close it first."),
        "round_closed": _l("This voting round is closed."),
        "dots_invalid": _l("Enter a number from 1 to 20."),
        "too_many_dots": _l("You placed more dots than the round gives you."),
        "unknown_opportunity": _l("Choose an opportunity of this campaign's backlog."),
        "sprint_dates_required": _l("Enter a date like 2026-03-31."),
        "sprint_ends_before_start": _l("The sprint must end on or after the day it starts."),
        "sprint_too_long": _l("A sprint lasts at most three months: keep it short."),
        "sprint_finished": _l("This sprint is finished: its board no longer changes."),
        "sprint_not_started": _l("Start the sprint before reviewing it."),
        "sprint_not_planned": _l("This sprint has already started."),
        "sprint_not_running": _l("Only a running sprint can be finished."),
        "already_in_sprint": _l("This opportunity is already in the sprint."),
        "unknown_state": _l("Choose a column of the board."),
        "reason_required": _l("Write the decision and its reason."),
    },
    _l("This change could not be made."),
)


def backlog_error_message(code: str) -> str:
    """Why a backlog, voting or sprint change was refused."""
    return BACKLOG.message(code)


# -- the report-back page and its approval ---------------------------------------------

REPORT_BACK = Catalogue(
    {
        "unknown_kind": _l("Choose something offered on this page."),
        "unknown_item": _l("This is not part of this campaign, or it no longer exists."),
        "theme_not_publishable": _l("A hidden or merged theme cannot be published."),
        "quote_not_publishable": _l(
            "This quote cannot be published: its response was set aside, or it is empty."
        ),
        "round_not_publishable": _l(
            "This round has not been opened to residents yet: it has no results to publish."
        ),
        "already_published": _l("This is already on the public page."),
        "not_published": _l("This is not on the public page."),
        "update_required": _l("Write the update."),
        "update_too_long": _l("An update can be at most 4,000 characters long."),
        "unknown_language": _l("Choose one of the campaign's languages."),
        "bad_translation": _l("Translate an original update into another language."),
        "date_required": _l("Enter a date like 2026-03-31."),
    },
    _l("This change could not be made."),
)


def report_back_error_message(code: str) -> str:
    """Why a report-back publication or update was refused."""
    return REPORT_BACK.message(code)
