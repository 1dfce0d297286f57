"""The export form: file format, which responses, codes or labels, and a codebook."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from wtforms import BooleanField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional, ValidationError

from engage.audit.forms import DayField
from engage.campaigns.waves import Wave, wave_name
from engage.exports.services import ExportFilter, ExportOptions
from engage.responses.forms import CHANNEL_LABELS
from engage.templating import language_name
from engage.web.forms import ActionForm

CODES = "codes"


class ExportForm(ActionForm):
    format = SelectField(
        _l("File format"),
        choices=[
            SelectChoice("csv", _l("CSV (any spreadsheet)")),
            SelectChoice("xlsx", _l("Excel (.xlsx)")),
            SelectChoice("json", _l("JSON (answers as stored)")),
        ],
        default="csv",
    )
    submitted_from = DayField(
        lazy_pgettext("date range", "From"),
        validators=[Optional()],
        description=_l("Sent on or after this day (UTC). Leave empty for the first."),
    )
    submitted_to = DayField(
        lazy_pgettext("date range", "To"),
        validators=[Optional()],
        description=_l("Sent on or before this day (UTC). Leave empty for the latest."),
    )
    channel = SelectField(_l("Channel"), default="")
    language = SelectField(_l("Language answered in"), default="")
    wave = SelectField(_l("Wave"), default="")
    values = SelectField(
        _l("Answers as"),
        default=CODES,
        description=_l(
            "Codes are the values stored (the same in every language); labels are the "
            "answers as residents read them. Numbers and ratings stay numbers."
        ),
    )
    codebook = BooleanField(
        _l("Include the codebook (questions, options and columns explained)"),
        default=True,
        description=_l(
            "For CSV you get a .zip with responses.csv and codebook.csv; for Excel a "
            "second sheet; for JSON a “codebook” object."
        ),
    )

    def set_choices(self, languages: list[str], waves: Sequence[Wave] = ()) -> None:
        """Offer the channels, the survey's ``languages`` (its own first) and ``waves``
        (the field is shown only when there are several)."""
        anything = SelectChoice("", _("Any"))
        self.waves = list(waves)
        self.wave.choices = [
            SelectChoice("", _("All waves")),
            *(SelectChoice(str(w.number), wave_name(w)) for w in self.waves),
        ]
        self.channel.choices = [
            anything,
            *(SelectChoice(value, str(label)) for value, label in CHANNEL_LABELS.items()),
        ]
        self.language.choices = [
            anything,
            *(SelectChoice(code, language_name(code)) for code in languages),
        ]
        self.values.choices = [SelectChoice(CODES, _("Codes, as stored (e.g. bus)"))]
        for number, code in enumerate(languages):  # the survey's own language first
            name = language_name(code)
            label = (
                _("Labels in %(language)s, the survey's own language", language=name)
                if number == 0
                else _("Labels in %(language)s", language=name)
            )
            self.values.choices.append(SelectChoice(f"labels:{code}", label))

    def validate_submitted_to(self, field: DayField) -> None:
        if field.data and self.submitted_from.data and field.data < self.submitted_from.data:
            raise ValidationError(_("The end date must be on or after the start date."))

    def options(self) -> ExportOptions:
        """What the valid form asks for."""
        values = self.values.data or CODES
        return ExportOptions(
            format=self.format.data,
            filter=ExportFilter(
                submitted_from=self.submitted_from.data,
                submitted_to=self.submitted_to.data,
                channel=self.channel.data or None,
                language=self.language.data or None,
                wave=next((w for w in self.waves if str(w.number) == self.wave.data), None),
            ),
            labels=None if values == CODES else values.removeprefix("labels:"),
            codebook=bool(self.codebook.data),
        )
