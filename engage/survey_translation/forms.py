"""Forms of the survey translation pages.

The editor's text fields depend on the survey, so they are read from the request by
key; the form class carries the CSRF token and the fingerprint of the source texts.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import HiddenField

from engage.web.forms import Form
from surveys.translation_files import FORMATS


class TranslationEditForm(Form):
    digest = HiddenField()


class TranslationImportForm(Form):
    """One per language on the overview page, told apart by ``prefix=<language>``."""

    file = FileField(
        _l("Translated file"),
        description=_l("A .po, .csv or .xlsx file exported from this page."),
        validators=[
            FileRequired(message=_l("Choose a file to import.")),
            FileAllowed(FORMATS, message=_l("Choose a .po, .csv or .xlsx file.")),
        ],
        render_kw={"accept": ",".join(f".{fmt}" for fmt in FORMATS)},
    )


def text_field_name(key: str) -> str:
    """The form field of a text in the editor."""
    return f"text-{key}"
