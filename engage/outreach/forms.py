"""The form that adds a tracked link."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from engage.web.forms import Form


class LinkForm(Form):
    label = StringField(
        _l("Where will this link be used?"),
        validators=[DataRequired(message=_l("Say where the link will be used.")), Length(max=120)],
        description=_l("For instance “Flyers at the Eastside clinic” or “School newsletter”."),
    )
    tag = StringField(
        _l("Short tag (optional)"),
        validators=[Length(max=80)],
        description=_l(
            "Lower-case letters, digits and dashes; made from the name above when left empty. "
            "Responses through the link carry this tag."
        ),
    )
