"""Forms of the response pages: the list's filters, and setting a response aside."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from engage.campaigns.waves import Wave
from engage.web.forms import Form

EXCLUSION_CHOICES = [
    SelectChoice("duplicate", _l("A duplicate of another response")),
    SelectChoice("spam", _l("Spam, a test or nonsense")),
]


class ResponseFilterForm(Form):
    """The filters above the list: read from the address, so a filtered list is a link."""

    class Meta:
        csrf = False

    # The chosen survey's waves by number, set with the choices (see ``listing``).
    wave_periods: dict[str, Wave] = {}

    survey = SelectField(_l("Survey"), default="")
    # Offered when the chosen survey has had several waves.
    wave = SelectField(_l("Wave"), default="")
    status = SelectField(
        _l("Show"),
        choices=[
            SelectChoice("included", _l("Responses counted in the results")),
            SelectChoice("excluded", _l("Responses set aside")),
            SelectChoice("partial", _l("Started and not sent")),
        ],
        default="included",
    )
    channel = SelectField(_l("Channel"), default="")
    language = SelectField(_l("Language"), default="")
    source = SelectField(_l("Source"), default="")
    area = SelectField(_l("Area"), default="")
    interviewer = SelectField(_l("Entered by"), default="")
    place = SelectField(_l("Place"), default="")
    submitted_from = DateField(_l("From"), validators=[Optional()])
    submitted_to = DateField(_l("To"), validators=[Optional()])


class ExcludeForm(Form):
    reason = SelectField(_l("Why set it aside?"), choices=EXCLUSION_CHOICES)
    note = TextAreaField(
        _l("Note (optional)"),
        validators=[Length(max=500)],
        description=_l("For instance which response it duplicates."),
    )


CHANNEL_LABELS = {
    "web": _l("Online"),
    "interviewer": _l("Interview"),
    "paper": _l("Paper form"),
    "session": _l("Listening session"),
    "import": _l("Imported"),
}
EXCLUSION_LABELS = {"duplicate": _l("Duplicate"), "spam": _l("Spam")}
