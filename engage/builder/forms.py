"""Forms of the campaign and survey pages of the builder (the question editor is separate)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, MultipleFileField
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import (
    URL,
    DataRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from engage.builder.labels import SURVEY_KIND_LABELS
from engage.i18n import describe_language
from engage.resident.contact_details import MAX_PURPOSE
from engage.web.forms import Form

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
# The campaign's small-cell suppression threshold: 1 would hide nothing.
MIN_THRESHOLD, MAX_THRESHOLD = 2, 100
SLUG_MESSAGE = _l("Use only lower-case letters, digits and hyphens, like bus-survey.")

# Languages a campaign can offer: the interface's own and those common in US communities.
COMMUNITY_LANGUAGES = (
    "en", "es", "zh", "vi", "ar", "fr", "tl", "ko", "ru", "ht", "pt", "so", "am", "fa",
    "hi", "bn", "ur", "pl", "uk", "ne", "my", "km", "sw",
)  # fmt: skip


def language_choices(codes: tuple[str, ...] = COMMUNITY_LANGUAGES) -> list[tuple[str, str]]:
    return [(code, describe_language(code).native_name) for code in codes]


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


THRESHOLD_MESSAGE = _l("Enter a whole number from %(min)s to %(max)s.")


class ThresholdField(IntegerField):
    """A whole number; anything else is refused with the same message as out of range."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(
                str(THRESHOLD_MESSAGE) % {"min": MIN_THRESHOLD, "max": MAX_THRESHOLD}
            ) from None


class CampaignForm(Form):
    title = StringField(
        _l("Title"),
        validators=[DataRequired(message=_l("Enter a title.")), Length(max=200)],
    )
    slug = StringField(
        _l("Short name for addresses"),
        description=_l("Lower-case letters, digits and hyphens, like eastside-2026."),
        validators=[
            DataRequired(message=_l("Enter a short name.")),
            Length(max=80),
            Regexp(SLUG_PATTERN, message=SLUG_MESSAGE),
        ],
    )
    purpose = TextAreaField(_l("Purpose"), validators=[Optional(), Length(max=5000)])
    target_population = TextAreaField(
        _l("Who the campaign wants to hear from"), validators=[Optional(), Length(max=5000)]
    )
    areas = TextAreaField(
        _l("Areas or neighbourhoods"),
        description=_l("One per line."),
        validators=[Optional(), Length(max=5000)],
    )
    languages = CheckboxesField(
        _l("Languages offered to residents"),
        validators=[DataRequired(message=_l("Choose at least one language."))],
    )
    opens_on = DateField(_l("Opens on"), validators=[Optional()])
    closes_on = DateField(_l("Closes on"), validators=[Optional()])
    status = SelectField(_l("Status"))
    report_back_url = URLField(
        _l("Report-back page"),
        description=_l(
            "Where residents can see what was heard and what is being done. "
            "Linked from the thank-you page."
        ),
        validators=[
            Optional(),
            Length(max=500),
            URL(require_tld=False, message=_l("Enter a web address starting with https://.")),
        ],
    )
    contacts_retained_until = DateField(
        _l("Keep residents' contact details until"),
        description=_l(
            "The names, e-mail addresses and phone numbers residents leave to hear back are "
            "deleted the day after this date. Their answers are kept, without them. "
            "Leave empty to keep contact details until you delete them."
        ),
        validators=[Optional()],
    )
    # Its description (which names the site's default) is set by the view's form helper.
    suppression_threshold = ThresholdField(
        _l("Hide groups of fewer than this many people"),
        validators=[
            Optional(),
            NumberRange(
                min=MIN_THRESHOLD,
                max=MAX_THRESHOLD,
                message=THRESHOLD_MESSAGE,
            ),
        ],
        render_kw={"inputmode": "numeric", "min": MIN_THRESHOLD, "max": MAX_THRESHOLD},
    )

    def validate_report_back_url(self, field: URLField) -> None:
        if field.data and not field.data.lower().startswith(("https://", "http://")):
            raise ValidationError(str(_l("Enter a web address starting with https://.")))

    def validate_closes_on(self, field: DateField) -> None:
        if field.data and self.opens_on.data and field.data < self.opens_on.data:
            raise ValidationError(str(_l("The closing date must be after the opening date.")))


CONTACT_PURPOSE_PREFIX = "contact_purpose_"


def with_contact_purposes(languages: list[str], label: Callable[[str], str]) -> type[CampaignForm]:
    """The campaign form with a "why we may contact you" text box per language of
    ``languages`` (named ``contact_purpose_<code>``, labelled ``label(code)``)."""
    fields = {
        f"{CONTACT_PURPOSE_PREFIX}{code}": TextAreaField(
            label(code),
            description=_l(
                "Shown to residents who answer in this language, above the boxes for their "
                "contact details, and kept with each one as what they agreed to. Leave "
                "empty for: “We ask only to tell you what comes of this work.”"
            ),
            validators=[Optional(), Length(max=MAX_PURPOSE)],
            render_kw={"rows": 2},
        )
        for code in languages
    }
    return type("CampaignFormWithPurposes", (CampaignForm,), fields)


class NewSurveyForm(Form):
    title = StringField(
        _l("Title"),
        description=_l("In the survey's own language; residents see it first."),
        validators=[DataRequired(message=_l("Enter a title.")), Length(max=200)],
    )
    slug = StringField(
        _l("Address"),
        description=_l("The survey will be at /s/ followed by this, like /s/bus-survey."),
        validators=[
            DataRequired(message=_l("Enter an address.")),
            Length(max=80),
            Regexp(SLUG_PATTERN, message=SLUG_MESSAGE),
        ],
    )
    kind = SelectField(_l("Kind"), default="listening")
    source_language = SelectField(_l("Written in"))
    languages = CheckboxesField(
        _l("Offered in"),
        description=_l("Translate the survey into these languages before publishing."),
    )
    definition_file = FileField(
        _l("Or start from a file"),
        description=_l(
            "A survey exported from Engage (.json) or an XLSForm (.xlsx, .xls, or its CSV "
            "or Markdown form). You will see what it holds before anything is created."
        ),
    )
    media_files = MultipleFileField(
        _l("Files the form reads its choices from"),
        description=_l(
            "For an XLSForm with select_one_from_file: the CSV files it names, each with a "
            "name column and a label column."
        ),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = list(SURVEY_KIND_LABELS.items())


class ImportConfirmForm(Form):
    """Confirms an import previewed on the import page (the definition is in ``token``)."""

    token = HiddenField()


class SurveySettingsForm(Form):
    title = StringField(
        _l("Title"), validators=[DataRequired(message=_l("Enter a title.")), Length(max=200)]
    )
    description = TextAreaField(
        _l("Introduction"),
        description=_l("Shown on the first page: why you ask and how answers are used."),
        validators=[Optional(), Length(max=5000)],
    )
    slug = StringField(
        _l("Address"),
        validators=[
            DataRequired(message=_l("Enter an address.")),
            Length(max=80),
            Regexp(SLUG_PATTERN, message=SLUG_MESSAGE),
        ],
    )
    source_language = SelectField(_l("Written in"))
    languages = CheckboxesField(_l("Offered in"))


class PageForm(Form):
    title = StringField(_l("Page title"), validators=[Optional(), Length(max=300)])
    description = TextAreaField(
        _l("Text under the title"), validators=[Optional(), Length(max=5000)]
    )
    show_question = SelectField(_l("Show this page only when"), validate_choice=False)
    show_op = SelectField(_l("Comparison"), validate_choice=False)
    show_value = StringField(_l("Answer"), validators=[Optional(), Length(max=200)])


class StartWaveForm(Form):
    """Starting the survey's next wave; ``number`` is the wave the page offered, so a
    second click (or a second tab) does not start yet another one."""

    number = HiddenField()
    label = StringField(
        _l("Name of the wave (optional)"),
        validators=[Optional(), Length(max=80)],
        description=_l("For instance “Spring 2027”. Staff see it beside the wave's number."),
    )
