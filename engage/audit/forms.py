"""The audit log's filter form: a GET form, so it carries no CSRF token."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext, to_utc
from wtforms import DateField, SelectField, StringField
from wtforms.validators import Length, Optional, ValidationError

from engage.audit.queries import AuditFilter
from engage.models import AuditAction
from engage.web.forms import Form
from engage.web.messages import audit_action_label

BAD_DATE = _l("Enter a date like 2026-03-31.")


class DayField(DateField):
    """A date (``<input type=date>``) whose error is ours, in the reader's language."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(str(BAD_DATE)) from None


def _start_of(day: date) -> datetime:
    """Midnight at the start of ``day`` in the reader's time zone, as an aware UTC time."""
    return to_utc(datetime.combine(day, time.min)).replace(tzinfo=UTC)


class AuditFilterForm(Form):
    class Meta:
        csrf = False

    action = SelectField(_l("Action"), validate_choice=False, validators=[Optional()])
    actor = StringField(
        _l("Who (part of an email address)"),
        validators=[
            Optional(),
            Length(max=254, message=_l("Use at most %(max)d characters.", max=254)),
        ],
        render_kw={"spellcheck": "false", "autocomplete": "off"},
    )
    since = DayField(lazy_pgettext("date range", "From"), validators=[Optional()])
    until = DayField(
        lazy_pgettext("date range", "To"),
        description=_l("Both days included."),
        validators=[Optional()],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = sorted((audit_action_label(a), a.value) for a in AuditAction)
        self.action.choices = [("", _("Any action"))] + [(v, label) for label, v in labels]

    def validate_action(self, field: SelectField) -> None:
        if field.data and field.data not in {a.value for a in AuditAction}:
            raise ValidationError(_("Choose an action from the list."))

    def validate_until(self, field: DayField) -> None:
        if self.since.data and field.data and field.data < self.since.data:
            raise ValidationError(_("The end date must be on or after the start date."))

    def filters(self) -> AuditFilter:
        """What the (valid) form asks for."""
        until = self.until.data
        return AuditFilter(
            action=self.action.data or None,
            actor=(self.actor.data or "").strip(),
            since=_start_of(self.since.data) if self.since.data else None,
            # The end day is included: entries before the start of the next day.
            before=_start_of(until + timedelta(days=1)) if until and until < date.max else None,
        )

    def query_args(self) -> dict[str, str]:
        """The filters as query arguments, for the links to other pages of the list."""
        return {name: str(value) for name, value in self.data.items() if value}
