"""Forms of the report-back approval page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, HiddenField, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from engage.models.reportback import MAX_UPDATE
from engage.web.forms import Form


class EntryForm(Form):
    """Publish or withdraw one thing (a button: the rest is hidden)."""

    kind = HiddenField(validators=[InputRequired()])
    target = HiddenField(validators=[InputRequired()])
    action = HiddenField(validators=[InputRequired()])

    def target_id(self) -> int:
        try:
            return int(self.target.data or "")
        except ValueError:
            return 0


class UpdateForm(Form):
    language = SelectField(_l("Language"), validators=[InputRequired()], choices=[])
    happened_on = DateField(
        _l("Date"),
        validators=[Optional()],
        description=_l("For example 2026-03-31. A translation takes the date of its original."),
    )
    translation_of = SelectField(_l("Translation of"), choices=[], validate_choice=False)
    body = TextAreaField(
        _l("Update"),
        validators=[DataRequired(_l("Write the update.")), Length(max=MAX_UPDATE)],
        description=_l("Plain words residents will read on the public page."),
    )

    def original_id(self) -> int | None:
        """The update this one translates, or None for an original."""
        if not self.translation_of.data:
            return None
        try:
            return int(self.translation_of.data)
        except ValueError:
            return -1  # not an update of the campaign: the service refuses it
