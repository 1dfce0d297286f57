"""Engage: community listening and co-creation.

``create_app`` builds the Flask application; in production
``gunicorn -c gunicorn.conf.py "engage:create_app()"`` serves it (see ``gunicorn.conf.py``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from engage.paths import PACKAGE_DIR, resource_dir
from engage.web.routing import init_routing

__all__ = ["create_app"]


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the application: configuration from the environment, then ``config`` on top.

    Migrations are never run here: ``engage db upgrade`` does that.
    """
    app = Flask(
        __name__,
        template_folder=str(resource_dir("templates")),
        static_folder=str(PACKAGE_DIR / "static"),
        instance_relative_config=True,
    )
    _configure(app, config)
    _init_logging(app)
    _init_extensions(app)
    init_routing(app)  # before the blueprints' routes are built
    _register_blueprints(app)
    _after_blueprints(app)
    return app


def _configure(app: Flask, overrides: Mapping[str, Any] | None) -> None:
    from engage.config import ENV_NAMES, load_config

    instance_path = Path(app.instance_path)
    merged_env: dict[str, str] = dict(os.environ)
    if overrides:
        # Overrides named like environment variables (tests pass DATABASE_URL, ENGAGE_ENV …)
        # are read as the environment is; any other key goes into the config as it is.
        merged_env.update({k: str(v) for k, v in overrides.items() if k in ENV_NAMES})
    app.config.update(load_config(merged_env, instance_path))
    if overrides:
        app.config.update({k: v for k, v in overrides.items() if k not in ENV_NAMES})


def _init_logging(app: Flask) -> None:
    from engage.logs import init_logging
    from engage.web.request_guard import init_request_guard

    init_logging(app.config["LOG_FORMAT"])
    init_request_guard(app)  # first: its hooks see every request, its guard wraps them all


def _init_extensions(app: Flask) -> None:
    from engage import models  # noqa: F401  (registers the tables)
    from engage.accounts.loader import init_login
    from engage.accounts.throttle import init_throttle
    from engage.errors import init_errors
    from engage.extensions import babel, csrf, db, limiter, migrate
    from engage.i18n import (
        available_catalogs,
        ensure_compiled_catalogs,
        remember_explicit_choice,
        select_locale,
    )
    from engage.security import init_security
    from engage.templating import init_templating
    from engage.web import rate_limits  # noqa: F401  (registers the engage+memory:// storage)
    from engage.web.unit_of_work import init_unit_of_work

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PACKAGE_DIR / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    init_login(app)
    init_throttle(app)

    translations = resource_dir("translations")
    compiled = ensure_compiled_catalogs(translations, Path(app.instance_path) / "translations")
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(compiled))
    app.config.setdefault("UI_LANGUAGES", available_catalogs(translations))
    babel.init_app(app, locale_selector=select_locale)
    app.after_request(remember_explicit_choice)

    init_security(app)
    init_errors(app)
    init_templating(app)
    init_unit_of_work(app)  # last: its commit runs before the other response hooks


def _after_blueprints(app: Flask) -> None:
    from engage.web.rate_limits import skip_idle_request_check

    skip_idle_request_check(app)


def _register_blueprints(app: Flask) -> None:
    """One blueprint per feature package, each at its address prefix."""
    from engage.accounts.views import bp as accounts_bp
    from engage.admin.views import bp as admin_bp
    from engage.api.views import bp as api_bp
    from engage.audit.views import bp as audit_bp
    from engage.backlog.views import bp as backlog_bp
    from engage.builder.views import bp as builder_bp
    from engage.campaigns.views import bp as campaigns_bp
    from engage.contacts.views import bp as contacts_bp
    from engage.dashboard.views import bp as dashboard_bp
    from engage.exports.views import bp as exports_bp
    from engage.health import bp as health_bp
    from engage.imports.views import bp as imports_bp
    from engage.interviews.views import bp as interviews_bp
    from engage.invitations.views import bp as invitations_bp
    from engage.listening.views import bp as listening_bp
    from engage.outreach.views import bp as outreach_bp
    from engage.paper.views import bp as paper_bp
    from engage.privacy.views import bp as privacy_bp
    from engage.quotes.views import bp as quotes_bp
    from engage.reportback.views import bp as reportback_bp
    from engage.resident.views import bp as resident_bp
    from engage.responses.views import bp as responses_bp
    from engage.rounds.views import bp as rounds_bp
    from engage.scorecard.views import bp as scorecard_bp
    from engage.survey_translation.views import bp as translations_bp
    from engage.themes.views import bp as themes_bp
    from engage.workgroups.views import bp as workgroups_bp

    app.register_blueprint(resident_bp)
    # The public page is /r/<campaign-slug>; its approval page is under /staff.
    app.register_blueprint(reportback_bp)
    app.register_blueprint(health_bp)
    # Staff routes spell out /staff; one route (prototype pictures) is public.
    app.register_blueprint(rounds_bp)
    app.register_blueprint(accounts_bp, url_prefix="/auth")
    staff_bps = (
        campaigns_bp,
        builder_bp,
        translations_bp,
        invitations_bp,
        themes_bp,
        quotes_bp,
        privacy_bp,
        exports_bp,
        imports_bp,
        responses_bp,
        outreach_bp,
        dashboard_bp,
        listening_bp,
        paper_bp,
        interviews_bp,
        contacts_bp,
        backlog_bp,
        scorecard_bp,
    )
    for staff_bp in staff_bps:
        app.register_blueprint(staff_bp, url_prefix="/staff")
    for admin_area_bp in (admin_bp, workgroups_bp, audit_bp):
        app.register_blueprint(admin_area_bp, url_prefix="/admin")
    app.register_blueprint(api_bp, url_prefix="/api/v1")
