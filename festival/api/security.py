"""Who is calling the API, and what they may do."""

from __future__ import annotations

from flask import abort, current_app, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint

from festival.auth.models import STAFF_ROLES, Role, User

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def check_cross_site_request() -> None:
    """Refuse a state change carried only by the browser's session cookie without JSON.

    A cross-site form can post form-encoded data with the cookie, never a JSON body or
    a custom header without a CORS preflight, which this API never grants.
    """
    if request.method not in UNSAFE_METHODS or request.authorization is not None:
        return
    if not current_user.is_authenticated:
        return
    if request.is_json or "Tus-Resumable" in request.headers:
        return
    abort(415, _("Envoyez le corps de la requête en JSON (Content-Type: application/json)."))


def require_user() -> User:
    if not current_user.is_authenticated:
        abort(401, _("Connectez-vous : envoyez un jeton dans l'en-tête Authorization."))
    return current_user._get_current_object()


def require_staff() -> User:
    user = require_user()
    if not user.is_staff:
        abort(403, _("Cette opération est réservée à l'équipe de la médiathèque."))
    return user


def for_roles(*roles: Role):
    """Who may call an operation at all, checked before its body is read: an anonymous
    caller gets 401 and another role 403, never a validation message. Put it right on the
    function, under the other decorators (they copy the mark onto their wrappers)."""

    def mark(view):
        view._api_roles = frozenset(roles)
        return view

    return mark


staff_only = for_roles(*STAFF_ROLES)


def public_operation(view):
    """An operation anyone may call without signing in (the lineup, asking for a token).

    Every other operation of the API is private: the guard below refuses an anonymous caller
    before the body is read. Put it right on the function, like for_roles."""
    view._api_public = True
    return view


def guard_operation() -> None:
    """Registered on every API blueprint: who may call this operation, before its body is read.

    An operation marked with for_roles answers 401 to an anonymous caller and 403 to another
    role; one marked public_operation is open; any other needs a signed-in caller. A stranger
    learns nothing from validation messages. Then the cross-site check for cookie callers.
    """
    if request.method == "OPTIONS":  # tus discovery and CORS preflights carry no credentials
        return
    view = current_app.view_functions.get(request.endpoint or "")
    roles = getattr(view, "_api_roles", None)
    if roles:
        user = require_user()
        if user.role not in roles:
            abort(403, _("Cette opération n'est pas ouverte à votre rôle."))
    elif not getattr(view, "_api_public", False):
        require_user()
    check_cross_site_request()


class ApiBlueprint(Blueprint):
    """An API blueprint whose operations are private unless marked public_operation."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.before_request(guard_operation)

    def _document_pagination_metadata(self, spec, resp_doc):
        """`X-Pagination` is JSON text in a header (as flask-smorest writes it): documented as
        the string it is, saying what it holds, not as an object no header can carry."""
        resp_doc.setdefault("headers", {})[self.PAGINATION_HEADER_NAME] = {
            "description": "JSON : total, total_pages, first_page, last_page, page, "
            "previous_page, next_page",
            "schema": {"type": "string"},
        }
