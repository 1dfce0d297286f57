"""Workgroups link a theme to a theme heard in another language, and remove links."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from engage.admin.forms import ActionForm
from engage.extensions import db
from engage.models import AnalysisRun, Theme
from engage.permissions import Permission, requires
from engage.services import theme_links
from engage.staff.forms import LinkThemeForm
from engage.staff.views import bp
from engage.templating import language_name

LINK_ERRORS = {
    "unknown_theme": lambda theme: _("Choose a theme to link to."),
    "same_theme": lambda theme: _("A theme cannot be linked to itself."),
    "other_run": lambda theme: _(
        "That theme belongs to another analysis. Link themes found by the same analysis."
    ),
    "same_language": lambda theme: _(
        "Both themes are in %(language)s. Only themes in different languages can be linked.",
        language=language_name(theme.language),
    ),
    "duplicate": lambda theme: _("These themes are already linked."),
}


def get_theme_or_404(campaign_id: int, theme_id: int) -> Theme:
    theme = db.get_or_404(Theme, theme_id)
    if db.session.get(AnalysisRun, theme.run_id).campaign_id != campaign_id:
        abort(404)
    return theme


def _back_to(theme: Theme, campaign_id: int) -> ResponseReturnValue:
    return redirect(url_for("staff.themes", campaign_id=campaign_id, _anchor=f"theme-{theme.id}"))


@bp.post("/campaigns/<int:campaign_id>/themes/<int:theme_id>/links")
@requires(Permission.REVIEW_FEEDBACK)
def link_theme(campaign_id: int, theme_id: int) -> ResponseReturnValue:
    theme = get_theme_or_404(campaign_id, theme_id)
    form = LinkThemeForm()
    if not form.validate_on_submit():
        flash(LINK_ERRORS["unknown_theme"](theme), "error")
        return _back_to(theme, campaign_id)
    other = db.session.get(Theme, form.linked_theme_id.data)
    try:
        theme_links.link_themes(db.session, theme=theme, other=other, created_by=current_user)
        db.session.commit()
    except theme_links.ThemeLinkError as error:
        db.session.rollback()
        flash(LINK_ERRORS[error.code](theme), "error")
    except IntegrityError:  # the same pair linked at the same moment by someone else
        db.session.rollback()
        flash(LINK_ERRORS["duplicate"](theme), "error")
    else:
        flash(
            _(
                "“%(theme)s” is now linked to “%(other)s”.",
                theme=theme.label,
                other=other.label if other else "",
            ),
            "success",
        )
    return _back_to(theme, campaign_id)


@bp.post("/campaigns/<int:campaign_id>/themes/<int:theme_id>/links/<int:link_id>/delete")
@requires(Permission.REVIEW_FEEDBACK)
def unlink_theme(campaign_id: int, theme_id: int, link_id: int) -> ResponseReturnValue:
    theme = get_theme_or_404(campaign_id, theme_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    link = theme_links.get_link_of_theme(db.session, theme, link_id)
    if link is None:
        abort(404)
    theme_links.delete_link(db.session, link)
    db.session.commit()
    flash(_("The link is removed."), "success")
    return _back_to(theme, campaign_id)
