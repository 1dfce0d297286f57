"""Forms for finding and deleting one resident's data."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, StringField
from wtforms.validators import Length, Regexp

from engage.web.forms import Form

ID_LIST = r"^[0-9,]{0,4000}$"


class ResidentSearchForm(Form):
    contact = StringField(
        _l("E-mail address or phone number the resident left"),
        description=_l(
            "Finds the contact details they left to hear back, and any answer in which "
            "they wrote this address or number."
        ),
        validators=[Length(max=254, message=_l("Use at most %(max)d characters.", max=254))],
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )
    reference = StringField(
        _l("Response number or resume code"),
        description=_l(
            "A response number from an export, or the resume code the resident was given "
            "when they saved their answers, like K7MX-3PQA."
        ),
        validators=[Length(max=40, message=_l("Use at most %(max)d characters.", max=40))],
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        if (
            valid
            and not (self.contact.data or "").strip()
            and not (self.reference.data or "").strip()
        ):
            self.contact.errors = [
                str(_l("Enter an e-mail address or phone number, or a response number."))
            ]
            return False
        return valid


class DeleteResidentDataForm(Form):
    """The confirmation: deletes exactly the rows that were shown."""

    response_ids = HiddenField(validators=[Regexp(ID_LIST)])
    contact_ids = HiddenField(validators=[Regexp(ID_LIST)])
    found_by = HiddenField(validators=[Regexp(r"^(contact|reference|contact,reference)?$")])


def parse_ids(text: str | None) -> list[int]:
    """``"3,14"`` → ``[3, 14]`` (anything else in the list is skipped)."""
    return [int(part) for part in (text or "").split(",") if part.isdigit() and len(part) < 12]
