from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from engage.web.forms import Form


class ResumeForm(Form):
    code = StringField(
        _l("Resume code"),
        validators=[DataRequired(message=_l("Enter the code you were given."))],
        description=_l("It has 8 letters and numbers, like K7MX-3PQA."),
        render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"},
    )


class ContactOptInForm(Form):
    name = StringField(
        _l("Your name (optional)"),
        validators=[Length(max=120, message=_l("Use at most %(max)d characters.", max=120))],
        render_kw={"autocomplete": "name"},
    )
    contact = StringField(
        _l("Phone number or email address"),
        validators=[
            DataRequired(message=_l("Enter a phone number or an email address.")),
            Length(max=254, message=_l("Use at most %(max)d characters.", max=254)),
        ],
        render_kw={"autocomplete": "email"},
    )
