"""Access rules every blueprint uses."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort
from flask_login import current_user

from festival.auth.models import STAFF_ROLES, Role
from festival.extensions import login_manager


def roles_required(*roles: Role) -> Callable:
    """Anonymous visitors are sent to sign in; signed-in users without the role get a 403."""
    allowed = frozenset(roles)

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


staff_required = roles_required(*STAFF_ROLES)
admin_required = roles_required(Role.ADMIN)
