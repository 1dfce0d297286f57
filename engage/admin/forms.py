from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import pgettext
from wtforms import EmailField, SelectField
from wtforms.validators import DataRequired, Length, Regexp

from engage.permissions import Role
from engage.web.forms import Form

EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


def role_choices() -> list[tuple[str, str]]:
    labels = {
        Role.ADMIN: pgettext("role", "Administrator"),
        Role.STAFF: pgettext("role", "Staff"),
        Role.INTERVIEWER: pgettext("role", "Interviewer"),
        Role.MEMBER: pgettext("role", "Workgroup member"),
    }
    return [(role.value, labels[role]) for role in Role]


class InviteForm(Form):
    email = EmailField(
        _l("Email address"),
        validators=[
            DataRequired(message=_l("Enter an email address.")),
            Length(max=254, message=_l("Use at most %(max)d characters.", max=254)),
            Regexp(EMAIL_PATTERN, message=_l("Enter an email address like name@example.org.")),
        ],
        render_kw={"spellcheck": "false", "autocomplete": "off"},
    )
    role = SelectField(_l("Role"), validators=[DataRequired()])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.role.choices = role_choices()


class RoleForm(Form):
    role = SelectField(_l("Role"), validators=[DataRequired()])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.role.choices = role_choices()
