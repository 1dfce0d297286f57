"""Forms of the listening-session pages."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from engage.builder.forms import CheckboxesField
from engage.models import Campaign
from engage.templating import language_name
from engage.web.forms import Form


class SessionForm(Form):
    held_on = DateField(_l("Date"), validators=[InputRequired(message=_l("Enter the date."))])
    place = StringField(_l("Place"), validators=[Length(max=200)])
    area = SelectField(_l("Area"), default="")
    facilitator = StringField(_l("Facilitator"), validators=[Length(max=120)])
    languages = CheckboxesField(
        _l("Languages of the session"),
        validators=[DataRequired(message=_l("Choose at least one language."))],
        description=_l("Every language spoken, interpretation included."),
    )
    attendance = IntegerField(
        _l("How many people took part"),
        validators=[Optional(), NumberRange(min=0, max=100_000)],
        default=0,
    )
    demographics = TextAreaField(
        _l("Who took part, counted by group (optional CSV)"),
        validators=[Length(max=20_000)],
        description=_l(
            "One line per group: dimension, group, count — for instance “language,es,12”."
        ),
        render_kw={"rows": 5, "dir": "ltr", "spellcheck": "false"},
    )


class NotesForm(Form):
    language = SelectField(_l("Language of these notes"))
    text = TextAreaField(
        _l("Notes"),
        validators=[DataRequired(message=_l("Write at least one note.")), Length(max=100_000)],
        description=_l(
            "One note per paragraph: leave an empty line between two notes. Each note is "
            "read by the analysis like an answer to a survey."
        ),
        render_kw={"rows": 8},
    )


def with_choices(
    form: SessionForm | NotesForm, campaign: Campaign, kept: Sequence[str] = ()
) -> SessionForm | NotesForm:
    """The campaign's languages (and areas) as the form's choices; ``kept`` (a session's
    own languages) stay choices even if the campaign no longer offers them."""
    codes = [*campaign.languages, *(c for c in kept if c not in campaign.languages)]
    choices = [SelectChoice(c, language_name(c)) for c in codes]
    if isinstance(form, SessionForm):
        form.languages.choices = choices
        form.area.choices = [SelectChoice("", "—"), *(SelectChoice(a, a) for a in campaign.areas)]
    else:
        form.language.choices = choices
    return form
