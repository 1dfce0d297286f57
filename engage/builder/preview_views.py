"""Preview the draft as a resident would see it on a phone, in any of its languages.

The preview is the resident page itself, in the chosen language, inside a phone-sized
frame. Answers typed are checked as they would be, and never stored.
"""

from __future__ import annotations

from flask import abort, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from engage.i18n import current_language, describe_language, use_page_language
from engage.permissions import Permission, requires
from engage.resident.page_model import (
    build_question_views,
    default_values,
    localized,
    localized_optional,
)
from engage.web.guards import get_survey_or_404
from surveys import SurveyDefinition, validate_form_page
from surveys.parsing import parse_definition


@requires(Permission.MANAGE_CAMPAIGNS)
def survey_preview(survey_id: int) -> ResponseReturnValue:
    survey = get_survey_or_404(survey_id, for_user=current_user)
    definition, problems = parse_definition(survey.draft_definition)
    if definition is None or problems:
        abort(404)
    lang = request.values.get("language", definition.source_language)
    if lang not in definition.languages:
        lang = definition.source_language
    index = _page_number(request.values.get("page"), definition) - 1
    # The frame around the preview stays in the reader's language; the survey is in ``lang``.
    staff_language, chrome = current_language(), _chrome()
    use_page_language(lang)
    g.page_language = describe_language(lang)
    g.switch_languages = []
    values = default_values(definition.pages[index].questions)
    errors = ()
    if request.method == "POST":
        values = request.form.to_dict(flat=False)
        errors = validate_form_page(definition, index, values, {}).errors
        moved = _move(survey.id, lang, index, len(definition.pages), bool(errors))
        if moved is not None:
            return moved
    return render_template(
        "builder/survey_preview.html",
        survey=survey,
        checked=request.method == "POST",
        chrome=chrome,
        staff_language=staff_language,
        **_page_view(definition, index, lang, values, errors),
    ), (400 if errors else 200)


def _move(survey_id: int, lang: str, index: int, total: int, has_errors: bool):  # type: ignore[no-untyped-def]
    """The resident's buttons: Back goes to the page before; Next, once the page is
    valid, to the page after. ``None``: stay (errors to show, or the last page checked)."""
    action = request.form.get("action", "next")
    if action == "back":
        number = max(index, 1)
    elif not has_errors and index + 1 < total:
        number = index + 2
    else:
        return None
    return redirect(
        url_for("builder.survey_preview", survey_id=survey_id, language=lang, page=number)
    )


def _chrome() -> dict[str, str]:
    """The frame's texts, in the staff member's language."""
    return {
        "notice": _("Preview: nothing you enter here is saved."),
        "back": _("Back to the builder"),
        "language": _("Language"),
        "page": _("Page"),
        "show": _("Show"),
        "previous": _("Previous page"),
        "next": _("Next page"),
        "checked": _("The answers on this page are valid."),
        "empty": _("This page has no questions yet."),
        "filtered": _(
            "The preview does not keep the answers of other pages, so a question whose "
            "choices follow an earlier answer shows them all, grouped under that answer. "
            "Residents see only the choices their answer allows."
        ),
    }


def _page_view(definition: SurveyDefinition, index: int, lang: str, values, errors) -> dict:  # type: ignore[no-untyped-def,type-arg]
    """What the phone frame shows of page ``index`` in ``lang``."""
    page = definition.pages[index]
    questions = build_question_views(definition, page.questions, lang, values, errors)
    return {
        "definition": definition,
        "lang": lang,
        "languages": [describe_language(code) for code in definition.languages],
        "title": localized(definition.title, lang, definition),
        "page_title": localized_optional(page.title, lang, definition),
        "page_description": localized_optional(page.description, lang, definition),
        "page": page,
        "number": index + 1,
        "total": len(definition.pages),
        "questions": questions,
        "has_filtered": any(q.filter_hint for q in questions),
        "has_errors": bool(errors),
        "empty_page": not page.questions,
    }


def _page_number(raw: str | None, definition: SurveyDefinition) -> int:
    try:
        number = int(raw or 1)
    except ValueError:
        return 1
    return min(max(number, 1), len(definition.pages))
