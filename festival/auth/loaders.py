"""How a request finds its user: the session's device token, the remember-me cookie, a bearer
token for the API. Registered on the app by create_app()."""

from __future__ import annotations

from flask import Flask, session
from flask_babel import lazy_gettext as _l
from flask_login import current_user, user_loaded_from_cookie

from festival.auth.services import renew_device_token, user_for_api_token, user_for_device_token
from festival.extensions import db, login_manager


def register_login_loaders(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    login_manager.login_message = _l("Connectez-vous pour accéder à cette page.")
    login_manager.user_loader(load_user)
    login_manager.request_loader(load_user_from_token)
    user_loaded_from_cookie.connect(renew_remembered_browser, app)
    app.context_processor(lambda: {"current_user": current_user})


def load_user(session_id: str):
    # "<user id>:<device token>": the device session must still exist (sign-out and a new
    # password delete them all) and be younger than the longest a browser stays signed in.
    user_id, _sep, token = session_id.partition(":")
    if not (user_id.isascii() and user_id.isdigit()):
        return None
    return user_for_device_token(int(user_id), token)


def renew_remembered_browser(_app, user) -> None:
    """A browser back through its "remember me" cookie gets a new token: a copy of the old
    cookie is worth nothing from now on."""
    renew_device_token(user)
    db.session.commit()
    session["_user_id"] = user.get_id()
    session["_remember"] = "set"


def load_user_from_token(request):
    auth = request.authorization
    if auth is not None and auth.type == "bearer":
        return user_for_api_token(auth.token or "")
    return None
