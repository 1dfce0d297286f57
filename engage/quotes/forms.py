"""The quote explorer's search box and filters: read from the address, so a search is a link."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SearchField, SelectField
from wtforms.validators import Length

from engage.campaigns.waves import Wave
from engage.web.forms import Form

MAX_QUERY_LENGTH = 200


class QuoteFilterForm(Form):
    class Meta:
        csrf = False

    # The chosen survey's waves by number, set with the choices (see ``services``).
    wave_periods: dict[str, Wave] = {}

    q = SearchField(
        _l("Words to look for"),
        validators=[Length(max=MAX_QUERY_LENGTH)],
        description=_l("Every word must appear. Leave empty to see all the feedback."),
    )
    theme = SelectField(_l("Theme"), default="")
    language = SelectField(_l("Language"), default="")
    channel = SelectField(_l("Channel"), default="")
    area = SelectField(_l("Area"), default="")
    group = SelectField(_l("Group of residents"), default="")
    survey = SelectField(_l("Survey"), default="")
    wave = SelectField(_l("Wave"), default="")
    sentiment = SelectField(
        _l("Sentiment"), default="", description=_l("Only answers in English have one.")
    )
