"""Forms of the workgroup administration pages."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from engage.models import Campaign, User
from engage.web.forms import Form
from engage.web.routing import MAX_ID


def _chosen_id(value: object) -> int | None:
    """An id from a select; ``None`` for the placeholder or anything that is not an id."""
    text = str(value or "").strip()
    if not text.isdigit() or len(text) > 10:
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


class WorkgroupForm(Form):
    name = StringField(
        _l("Name"),
        validators=[
            DataRequired(message=_l("Enter a name for the workgroup.")),
            Length(max=120, message=_l("Use at most %(max)d characters.", max=120)),
        ],
    )
    description = TextAreaField(
        _l("Description"),
        description=_l("What the workgroup works on, and who is in it."),
        validators=[
            Optional(),
            Length(max=2000, message=_l("Use at most %(max)d characters.", max=2000)),
        ],
    )


class AddMemberForm(Form):
    """Add a person. Whether they can be added is the service's decision (it says why not),
    so the submitted id is not checked against the offered choices here."""

    user_id = SelectField(
        _l("Person to add"),
        coerce=_chosen_id,
        validate_choice=False,
        validators=[InputRequired(message=_l("Choose a person to add."))],
    )

    def offer(self, users: Sequence[User]) -> AddMemberForm:
        self.user_id.choices = [("", _("Choose a person"))] + [
            (user.id, f"{user.name} ({user.email})") for user in users
        ]
        return self


class AssignCampaignForm(Form):
    campaign_id = SelectField(
        _l("Campaign to assign"),
        coerce=_chosen_id,
        validate_choice=False,
        validators=[InputRequired(message=_l("Choose a campaign to assign."))],
    )

    def offer(self, campaigns: Sequence[Campaign]) -> AssignCampaignForm:
        self.campaign_id.choices = [("", _("Choose a campaign"))] + [
            (campaign.id, campaign.title) for campaign in campaigns
        ]
        return self
