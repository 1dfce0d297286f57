"""Forms of the staff and workgroup pages."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.validators import InputRequired

from engage.models import Theme
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
    """Link a theme to a theme in another language.

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
    def for_theme(cls, theme: Theme, candidates: Mapping[str, Sequence[Theme]]) -> LinkThemeForm:
        """The empty form shown under ``theme``: its candidates grouped by language."""
        form = cls(formdata=None)
        form.linked_theme_id.id = f"link-{theme.id}"  # one such form per theme on the page
        choices: dict[str | None, list[Any]] = {None: [("", _("Choose a theme"))]}
        for language, others in candidates.items():
            choices[language_name(language)] = [
                (other.id, other.label, {"lang": language, "dir": language_direction(language)})
                for other in others
            ]
        form.linked_theme_id.choices = choices
        return form
