"""Forms every feature uses, and the base every form is built on."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

from surveys import is_storable

UNSTORABLE = _l("This contains characters that cannot be saved. Remove them and try again.")


def _unstorable(data: Any) -> bool:
    if isinstance(data, str):
        return not is_storable(data)
    if isinstance(data, list | tuple):
        return any(_unstorable(item) for item in data)
    return False


class Form(FlaskForm):
    """A form whose text fields refuse what no database can keep (NUL, lone surrogates)
    with an error on the field, instead of failing when it is stored."""

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        for field in self:
            if _unstorable(field.data):
                field.errors = [*field.errors, str(UNSTORABLE)]
                valid = False
        return valid


class ActionForm(Form):
    """A button that changes something: only the CSRF token travels with it."""
