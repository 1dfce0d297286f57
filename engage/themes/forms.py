"""Forms of the staff and workgroup pages."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, Optional

from engage.audit.forms import DayField
from engage.models import BoardTheme
from engage.models.board import MAX_COMMENT, MAX_JOB_STATEMENT, MAX_NAME
from engage.templating import language_direction, language_name
from engage.web.forms import Form
from engage.web.routing import MAX_ID


def _theme_id(value: object) -> int | None:
    """A theme id; ``None`` for the "Choose a theme" placeholder."""
    if value in ("", None):
        return None
    number = int(value)  # type: ignore[call-overload]
    return number if 0 < number <= MAX_ID else None


class LinkThemeForm(Form):
    """Link a board theme to a board theme in another language.

    Which themes may be linked is the service's decision (it explains a refusal), so the
    submitted id is not checked against the offered choices here.
    """

    linked_theme_id = SelectField(
        _l("Link to a theme in another language"),
        coerce=_theme_id,
        validate_choice=False,
        validators=[InputRequired(message=_l("Choose a theme to link to."))],
    )

    @classmethod
    def for_theme(
        cls, theme: BoardTheme, candidates: Mapping[str, Sequence[BoardTheme]]
    ) -> LinkThemeForm:
        """The empty form shown under ``theme``: its candidates grouped by language."""
        form = cls(formdata=None)
        form.linked_theme_id.id = f"link-{theme.id}"  # one such form per theme on the page
        choices: dict[str | None, list[Any]] = {None: [("", _("Choose a theme"))]}
        for language, others in candidates.items():
            choices[language_name(language)] = [
                (
                    other.id,
                    other.display_name,
                    {"lang": language, "dir": language_direction(language)},
                )
                for other in others
            ]
        form.linked_theme_id.choices = choices
        return form


# -- the theme board ------------------------------------------------------------------


def _id(value: object) -> int | None:
    """A database id from a form; ``None`` for anything else (never an error)."""
    try:
        number = int(str(value))
    except ValueError:
        return None
    return number if 0 < number <= MAX_ID else None


def _strip(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


class RenameThemeForm(Form):
    name = StringField(
        _l("Name of the theme"),
        filters=[_strip],
        validators=[
            DataRequired(message=_l("Write a name for the theme.")),
            Length(max=MAX_NAME, message=_l("Use at most %(max)d characters.")),
        ],
    )


class JobStatementForm(Form):
    """The workgroup's own job statement; empty removes it."""

    statement = TextAreaField(
        _l("Job statement, in the workgroup's words"),
        filters=[_strip],
        validators=[Length(max=MAX_JOB_STATEMENT, message=_l("Use at most %(max)d characters."))],
    )


class MergeThemeForm(Form):
    into_id = SelectField(
        _l("Merge into"),
        coerce=_id,
        validate_choice=False,
        validators=[DataRequired(message=_l("Choose a theme of this board."))],
    )


class MoveQuoteForm(Form):
    item_id = RadioField(
        _l("Quote"),
        coerce=_id,
        validate_choice=False,
        validators=[DataRequired(message=_l("Choose a quote of this theme."))],
    )
    to_id = SelectField(
        _l("Move to"),
        coerce=_id,
        validate_choice=False,
        validators=[DataRequired(message=_l("Choose a theme of this board."))],
    )


THEME_STATE_CHANGES = ("hide", "unhide", "review", "reopen")


class ThemeStateForm(Form):
    """Hide or show again, mark reviewed or not: the button pressed says which."""

    change = StringField(
        validators=[AnyOf(THEME_STATE_CHANGES, message=_l("That could not be done."))]
    )


class CommentForm(Form):
    body = TextAreaField(
        _l("Comment"),
        filters=[_strip],
        validators=[
            DataRequired(message=_l("Write a comment.")),
            Length(max=MAX_COMMENT, message=_l("Use at most %(max)d characters.")),
        ],
    )


# -- runs ------------------------------------------------------------------------------


class RunForm(Form):
    """Start an analysis run, over all the feedback or the part the filters choose.

    The choices are set from the campaign (:func:`engage.themes.runs.filter_choices`);
    whether a submitted value is one of them is the service's decision, which says what
    is wrong in words of its own (``validate_choice=False``).
    """

    survey = SelectField(_l("Survey"), default="", validate_choice=False)
    question = SelectField(_l("Question"), default="", validate_choice=False)
    wave = SelectField(_l("Wave"), default="", validate_choice=False)
    language = SelectField(_l("Language"), default="", validate_choice=False)
    channel = SelectField(_l("Channel"), default="", validate_choice=False)
    since = DayField(lazy_pgettext("date range", "From"), validators=[Optional()])
    until = DayField(
        lazy_pgettext("date range", "To"),
        description=_l("Both days included."),
        validators=[Optional()],
    )
