"""Roles, permissions, and the decorators with which every view declares its access.

Every view function must be wrapped in :func:`requires` or :func:`public`; a test walks
the URL map and fails for a view that declares neither.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user

F = TypeVar("F", bound=Callable[..., Any])

PERMISSION_ATTRIBUTE = "engage_permission"
PUBLIC = "public"


class Role(enum.StrEnum):
    ADMIN = "admin"
    STAFF = "staff"
    INTERVIEWER = "interviewer"
    MEMBER = "member"


class Permission(enum.StrEnum):
    MANAGE_USERS = "manage_users"
    MANAGE_CAMPAIGNS = "manage_campaigns"
    ENTER_RESPONSES = "enter_responses"
    REVIEW_FEEDBACK = "review_feedback"
    USE_STAFF_AREA = "use_staff_area"


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.STAFF: frozenset(
        {
            Permission.MANAGE_CAMPAIGNS,
            Permission.ENTER_RESPONSES,
            Permission.REVIEW_FEEDBACK,
            Permission.USE_STAFF_AREA,
        }
    ),
    Role.INTERVIEWER: frozenset({Permission.ENTER_RESPONSES, Permission.USE_STAFF_AREA}),
    Role.MEMBER: frozenset({Permission.REVIEW_FEEDBACK, Permission.USE_STAFF_AREA}),
}


def role_can(role: str, permission: Permission) -> bool:
    """Whether ``role`` (a role name) grants ``permission``."""
    try:
        return permission in ROLE_PERMISSIONS[Role(role)]
    except ValueError:
        return False


def user_can(user: Any, permission: Permission) -> bool:
    """Whether a signed-in, active ``user`` has ``permission``."""
    return bool(
        getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
        and role_can(user.role, permission)
    )


def requires(permission: Permission) -> Callable[[F], F]:
    """Allow the view only to signed-in users whose role grants ``permission``.

    Anonymous visitors are sent to the sign-in page; signed-in users without the
    permission get 403.
    """

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            from engage.extensions import login_manager

            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not user_can(current_user, permission):
                abort(403)
            return view(*args, **kwargs)

        setattr(wrapped, PERMISSION_ATTRIBUTE, permission.value)
        return wrapped  # type: ignore[return-value]

    return decorator


def public(view: F) -> F:
    """Declare that anybody, signed in or not, may use the view."""
    setattr(view, PERMISSION_ATTRIBUTE, PUBLIC)
    return view


def signed_in(view: F) -> F:
    """Allow the view to any signed-in user, whatever the role."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        from engage.extensions import login_manager

        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        return view(*args, **kwargs)

    setattr(wrapped, PERMISSION_ATTRIBUTE, "signed_in")
    return wrapped  # type: ignore[return-value]
