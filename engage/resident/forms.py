from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, RadioField, StringField, TelField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from engage.resident.contact_details import is_email, normalise_phone
from engage.web.forms import Form


class ResumeForm(Form):
    code = StringField(
        _l("Resume code"),
        validators=[DataRequired(message=_l("Enter the code you were given."))],
        description=_l("It has 8 letters and numbers, like K7MX-3PQA."),
        render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"},
    )


EMAIL = "email"
PHONE = "phone"


class ContactOptInForm(Form):
    """A name (optional) and one way to reach the resident: an e-mail address or a phone
    number in international form. Both boxes are shown (no script needed); only the
    chosen one is checked and kept. Typing in one box alone chooses it."""

    name = StringField(
        _l("Your name (optional)"),
        validators=[Length(max=120, message=_l("Use at most %(max)d characters.", max=120))],
        render_kw={"autocomplete": "name"},
    )
    method = RadioField(
        _l("How should we contact you?"),
        choices=[
            SelectChoice(EMAIL, _l("By email")),
            SelectChoice(PHONE, _l("By phone or text message")),
        ],
        validate_choice=False,
    )
    email = EmailField(
        _l("Email address"),
        validators=[Length(max=254, message=_l("Use at most %(max)d characters.", max=254))],
        render_kw={
            "autocomplete": "email",
            "spellcheck": "false",
            "autocapitalize": "none",
            "dir": "ltr",  # an address reads left to right on a right-to-left page too
        },
    )
    phone = TelField(
        _l("Phone number, with your country code"),
        description=_l("Start with + and your country code, like +1 555 010 2030."),
        validators=[Length(max=40, message=_l("Use at most %(max)d characters.", max=40))],
        render_kw={"autocomplete": "tel", "dir": "ltr"},
    )

    def chosen_method(self) -> str | None:
        """The way chosen, or the only box typed in when none was chosen."""
        if self.method.data in (EMAIL, PHONE):
            return str(self.method.data)
        typed = [m for m, f in ((EMAIL, self.email), (PHONE, self.phone)) if (f.data or "").strip()]
        return typed[0] if len(typed) == 1 else None

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        method = self.chosen_method()
        if method is None:
            self.method.errors = [str(_l("Choose email or phone, and fill in that box."))]
            return False
        if method == EMAIL:
            problem = _email_problem((self.email.data or "").strip())
            field = self.email
        else:
            problem = _phone_problem(self.phone.data or "")
            field = self.phone
        if problem:
            field.errors = [*field.errors, problem]
        return valid and not problem

    def contact(self) -> str:
        """The contact details to keep: the e-mail address, or the phone as + and digits."""
        if self.chosen_method() == EMAIL:
            return (self.email.data or "").strip()
        return normalise_phone(self.phone.data or "") or ""


def _email_problem(text: str) -> str:
    if not text:
        return str(_l("Enter your email address."))
    if not is_email(text):
        return str(_l("Enter an email address like name@example.org."))
    return ""


def _phone_problem(text: str) -> str:
    if not text.strip():
        return str(_l("Enter your phone number."))
    if normalise_phone(text) is None:
        return str(
            _l(
                "Enter a phone number in international form: + and your country code, "
                "then the number (8 to 15 digits in all), like +1 555 010 2030."
            )
        )
    return ""
