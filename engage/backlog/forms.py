"""Forms of the backlog, voting and sprint pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from wtforms import (
    DateField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from engage.web.forms import Form

EFFORT_CHOICES = [
    SelectChoice("", _l("Not estimated yet")),
    SelectChoice("1", _l("1 – a few hours")),
    SelectChoice("2", _l("2 – a few days")),
    SelectChoice("3", _l("3 – a few weeks")),
    SelectChoice("4", _l("4 – a few months")),
    SelectChoice("5", _l("5 – more than a few months")),
]


def _optional_int(value: object) -> int | None:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**31 else None


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form: object) -> None:
        """Unknown ids are refused by the service, with their own message."""


class OpportunityForm(Form):
    title = StringField(
        _l("Title"),
        validators=[DataRequired(message=_l("Give the opportunity a title.")), Length(max=200)],
    )
    job_statement = TextAreaField(
        _l("Job to be done"),
        validators=[Length(max=5000)],
        description=_l("When … I want to … so I can … — in residents' own words where possible."),
        render_kw={"rows": 3},
    )
    themes = MultiCheckboxField(_l("Themes it comes from"), coerce=int, choices=[])
    quotes = MultiCheckboxField(_l("Quotes to keep as evidence"), coerce=int, choices=[])
    outcome = SelectField(
        _l("Outcome residents rated"),
        choices=[],
        validate_choice=False,
        description=_l("Its importance and satisfaction ratings give the opportunity score."),
    )
    effort = SelectField(_l("Effort"), choices=EFFORT_CHOICES, default="", validate_choice=False)
    owner = SelectField(_l("Owner"), choices=[], default="", validate_choice=False)

    @property
    def effort_value(self) -> int | None:
        """None when not estimated; -1 (refused by the service) when not a number."""
        if self.effort.data in (None, ""):
            return None
        return _optional_int(self.effort.data) or -1

    @property
    def owner_value(self) -> int | None:
        return _optional_int(self.owner.data)


STATUS_CHOICES = [
    SelectChoice("proposed", lazy_pgettext("opportunity status", "Proposed")),
    SelectChoice("next", lazy_pgettext("opportunity status", "Next")),
    SelectChoice("in_sprint", lazy_pgettext("opportunity status", "In a sprint")),
    SelectChoice("done", lazy_pgettext("opportunity status", "Done")),
    SelectChoice("not_now", lazy_pgettext("opportunity status", "Not now")),
]


class StatusForm(Form):
    status = SelectField(_l("New status"), choices=STATUS_CHOICES, validate_choice=False)
    reason = TextAreaField(
        _l("Why?"),
        validators=[Length(max=5000)],
        description=_l("Required for “not now”. It goes into the decision log."),
        render_kw={"rows": 3},
    )
    revisit_on = DateField(
        _l("Look at it again on"),
        validators=[Optional()],
        description=_l("Required for “not now”."),
    )


class RoundForm(Form):
    title = StringField(
        _l("Name of the round"),
        validators=[DataRequired(message=_l("Give the round a name.")), Length(max=120)],
    )
    dots = IntegerField(
        _l("Dots per person"),
        default=3,
        validators=[
            InputRequired(message=_l("Enter a number from 1 to 20.")),
            NumberRange(min=1, max=20, message=_l("Enter a number from 1 to 20.")),
        ],
    )


class SprintForm(Form):
    name = StringField(
        _l("Name"),
        validators=[DataRequired(message=_l("Give the sprint a name.")), Length(max=120)],
    )
    goal = TextAreaField(_l("Goal"), validators=[Length(max=5000)], render_kw={"rows": 3})
    starts_on = DateField(
        _l("Starts on"), validators=[InputRequired(message=_l("Enter a date like 2026-03-31."))]
    )
    ends_on = DateField(
        _l("Ends on"), validators=[InputRequired(message=_l("Enter a date like 2026-03-31."))]
    )


class SprintItemForm(Form):
    opportunity = SelectField(_l("Opportunity"), choices=[])
    owner = SelectField(_l("Owner in this sprint"), choices=[])


class ReviewForm(Form):
    delivered = TextAreaField(_l("What was delivered"), validators=[Length(max=10000)])
    evidence = TextAreaField(_l("Evidence"), validators=[Length(max=10000)])
    residents_said = TextAreaField(
        _l("What residents said about it"), validators=[Length(max=10000)]
    )
    went_well = TextAreaField(_l("What worked (strengths first)"), validators=[Length(max=10000)])
    try_next = TextAreaField(_l("What to try next"), validators=[Length(max=10000)])
    lessons = TextAreaField(
        _l("Lessons for whoever comes after us"), validators=[Length(max=10000)]
    )


class DecisionForm(Form):
    text = TextAreaField(
        _l("Decision and why"),
        validators=[
            DataRequired(message=_l("Write the decision and its reason.")),
            Length(max=5000),
        ],
        render_kw={"rows": 3},
    )
