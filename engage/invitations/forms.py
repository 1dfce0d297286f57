"""Forms of the staff invitations page."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import AnyOf

from engage.invitations.services import MAX_INVITES_PER_BATCH, MAX_LABEL_LENGTH
from engage.web.forms import Form


class InviteOnlyForm(Form):
    """One button: make the survey invite-only, or open it to everyone again."""

    invite_only = HiddenField(validators=[AnyOf(["yes", "no"])])


class CreateInvitesForm(Form):
    count = StringField(
        _l("Number of invitations"),
        description=_l("Leave it empty to make one invitation per label."),
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )
    labels = TextAreaField(
        _l("Labels (optional)"),
        description=_l(
            "One per line, for example a panel ID. Only staff see them; they are not "
            "linked to anybody's answers."
        ),
        render_kw={"rows": 6, "spellcheck": "false"},
    )

    def label_list(self) -> list[str]:
        return [line.strip() for line in (self.labels.data or "").splitlines() if line.strip()]

    def invite_count(self) -> int:
        """How many to create: the number given, else one per label (after validation)."""
        text = (self.count.data or "").strip()
        return int(text) if text else len(self.label_list())

    def validate(self, extra_validators: Any = None) -> bool:
        if not super().validate(extra_validators):
            return False
        labels = self.label_list()
        text = (self.count.data or "").strip()
        ok = True
        if text:
            if not text.isdigit() or not 1 <= int(text) <= MAX_INVITES_PER_BATCH:
                self.count.errors.append(
                    _(
                        "Enter a whole number from 1 to %(max)d.",
                        max=MAX_INVITES_PER_BATCH,
                    )
                )
                ok = False
            elif labels and len(labels) != int(text):
                self.count.errors.append(
                    _(
                        "The number of invitations (%(count)d) and the number of labels "
                        "(%(labels)d) differ. Leave the number empty or make them match.",
                        labels=len(labels),
                        count=int(text),
                    )
                )
                ok = False
        elif not labels:
            self.count.errors.append(
                _("Enter how many invitations to create, or labels one per line.")
            )
            ok = False
        if len(labels) > MAX_INVITES_PER_BATCH:
            self.labels.errors.append(
                _("Give at most %(max)d labels at a time.", max=MAX_INVITES_PER_BATCH)
            )
            ok = False
        too_long = [n for n, label in enumerate(labels, 1) if len(label) > MAX_LABEL_LENGTH]
        if too_long:
            self.labels.errors.append(
                _(
                    "Label %(number)d is longer than %(max)d characters.",
                    number=too_long[0],
                    max=MAX_LABEL_LENGTH,
                )
            )
            ok = False
        return ok
