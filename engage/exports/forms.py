"""The export button's form: which file format."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

from engage.web.forms import ActionForm


class ExportForm(ActionForm):
    format = SelectField(
        _l("File format"),
        choices=[
            SelectChoice("csv", _l("CSV (any spreadsheet)")),
            SelectChoice("xlsx", _l("Excel (.xlsx)")),
            SelectChoice("json", _l("JSON (answers as stored)")),
        ],
        default="csv",
    )
