"""The dashboard's choices (survey, cross-tabulation) and the baseline form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import HiddenField, SelectField, SelectMultipleField, TextAreaField
from wtforms.validators import Length, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from engage.web.forms import Form


class DashboardForm(Form):
    """Read from the address: a dashboard view is a link to share."""

    class Meta:
        csrf = False

    survey = SelectField(_l("Survey"), default="")
    wave = SelectField(_l("Wave"), default="")
    question = SelectField(_l("Question"), default="")
    dimension = SelectField(_l("By"), default="")
    dimension2 = SelectField(
        _l("And by (optional)"),
        default="",
        description=_l("A second group, to see where two meet, such as race and area."),
    )

    # Weighting: the dimensions of the make-up to weight on (all of them until the
    # weighting form is sent: ``weighted`` tells an empty choice from a first visit).
    weight = SelectMultipleField(
        _l("Weight on"),
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    weighted = HiddenField(default="")

    def validate_dimension2(self, field: SelectField) -> None:
        if field.data and field.data == self.dimension.data:
            raise ValidationError(str(_l("Choose a different group from the first one.")))


class BaselineForm(Form):
    text = TextAreaField(
        _l("The community's make-up (CSV)"),
        validators=[Length(max=200_000)],
        description=_l(
            "One line per group: dimension, group, share — for instance "
            "“area,Riverside,30” or “language,es,0.3”. Shares are compared within "
            "each dimension, so percentages, fractions and head counts all work."
        ),
        render_kw={"rows": 12, "dir": "ltr", "spellcheck": "false"},
    )
    file = FileField(
        _l("Or import a CSV file (such as a census table)"), render_kw={"accept": ".csv"}
    )
