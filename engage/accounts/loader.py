"""Flask-Login wiring: how a session finds its user, and where anonymous visitors go."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from engage.extensions import db, login_manager
from engage.models import User


def init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        if not user_id.isdigit():
            return None
        user = db.session.get(User, int(user_id))
        # A deactivated account is signed out at its next request.
        return user if user is not None and user.is_active_account else None
