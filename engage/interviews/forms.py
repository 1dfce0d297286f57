"""The form that starts an interview."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.validators import Length

from engage.web.forms import Form


class StartInterviewForm(Form):
    language = SelectField(_l("The resident's language"))
    place = StringField(
        _l("Where are you? (optional)"),
        validators=[Length(max=120)],
        description=_l("For instance “Eastside library” or “Market Street stall”."),
    )
