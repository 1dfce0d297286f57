"""The response import form: a file, and the channel its rows came through."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

from engage.web.forms import Form


class ResponseImportForm(Form):
    file = FileField(
        _l("File of responses (.csv or .xlsx)"),
        validators=[FileRequired(message=_l("Choose a file to import."))],
        description=_l(
            "One row per response; the columns are those of a response download: question "
            "codes, and optionally language, channel, source, area and submitted_at."
        ),
        render_kw={"accept": ".csv,.xlsx"},
    )
    channel = SelectField(
        _l("Where the responses came from, for rows that do not say"),
        choices=[
            SelectChoice("paper", _l("Paper forms")),
            SelectChoice("interviewer", _l("Interviews")),
            SelectChoice("session", _l("A listening session")),
            SelectChoice("import", _l("Another tool")),
        ],
        default="paper",
    )
