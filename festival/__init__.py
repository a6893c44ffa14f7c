"""Un Trait Amateur: the platform of a public library's youth film festival."""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, has_request_context, request, session
from flask_login import current_user, user_loaded_from_cookie
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.routing import IntegerConverter

from festival.config import DEFAULT_SECRET_KEY, config_for
from festival.extensions import babel, cache, csrf, db, limiter, login_manager, migrate
from festival.models_base import MAX_ROW_ID


def create_app(test_config: dict[str, Any] | None = None, mode: str | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    if mode is None and test_config and test_config.get("TESTING"):
        mode = "testing"
    app.config.from_object(config_for(mode))
    if test_config:
        app.config.update(test_config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    _check_production_settings(app)
    _apply_public_url(app)
    if app.config["SECRET_KEY"] == DEFAULT_SECRET_KEY:
        app.config["SECRET_KEY"] = _instance_secret_key(Path(app.instance_path))
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = (
            f"sqlite:///{Path(app.instance_path) / 'festival.sqlite3'}"
        )
    Path(app.config["MEDIA_ROOT"]).mkdir(parents=True, exist_ok=True)

    _init_extensions(app)
    app.url_map.converters["int"] = DatabaseIntConverter
    _register_blueprints(app)

    from festival.cli import register_cli
    from festival.error_handlers import register_error_handlers
    from festival.jobs import init_jobs
    from festival.security_headers import register_security_headers
    from festival.templating import register_template_helpers
    from festival.translate import register_translate_commands

    register_error_handlers(app)
    register_template_helpers(app)
    register_security_headers(app)
    register_cli(app)
    register_translate_commands(app)
    init_jobs(app)
    if app.config["TRUSTED_PROXIES"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        proxies = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    return app


class DatabaseIntConverter(IntegerConverter):
    """`<int:…>` in addresses: a number no database column can hold is simply not found."""

    def __init__(self, map, *args, **kwargs):  # noqa: A002 - werkzeug's name
        kwargs.setdefault("max", MAX_ROW_ID)
        super().__init__(map, *args, **kwargs)


def _check_production_settings(app: Flask) -> None:
    if app.config.get("PRODUCTION") and app.config["SECRET_KEY"] in (DEFAULT_SECRET_KEY, "", None):
        raise RuntimeError(
            "Refusing to start in production with the default SECRET_KEY: set SECRET_KEY to a "
            "long random value, for example the output of "
            "`python -c 'import secrets; print(secrets.token_hex(32))'`."
        )


def _instance_secret_key(instance: Path) -> str:
    """Outside production, a random key kept in the instance folder: never a shared default."""
    key_file = instance / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """WAL lets readers and the writer work at once; foreign keys are off by default."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=15000")
    with contextlib.suppress(Exception):  # an in-memory database has no WAL; nothing to do
        cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def _select_locale() -> str:
    supported = current_app_languages()
    if not has_request_context():  # CLI and jobs speak the default language
        return supported[0]
    lang = session.get("lang")
    if lang in supported:
        return lang
    return request.accept_languages.best_match(supported) or supported[0]


def current_app_languages() -> list[str]:
    from flask import current_app

    return list(current_app.config["LANGUAGES"])


def _init_extensions(app: Flask) -> None:
    from festival import models  # noqa: F401 - every model registered before migrations look

    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=str(Path(__file__).resolve().parent.parent / "migrations"),
        render_as_batch=True,
        compare_type=True,
    )
    csrf.init_app(app)
    cache.init_app(app)
    babel.init_app(app, locale_selector=_select_locale)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"

    from flask_babel import lazy_gettext as _l

    login_manager.login_message = _l("Connectez-vous pour accéder à cette page.")

    @login_manager.user_loader
    def load_user(session_id: str):
        # "<user id>:<device token>": the device session must still exist (sign-out and a new
        # password delete them all) and be younger than the longest a browser stays signed in.
        from festival.auth.services import user_for_device_token

        user_id, _sep, token = session_id.partition(":")
        if not (user_id.isascii() and user_id.isdigit()):
            return None
        return user_for_device_token(int(user_id), token)

    @user_loaded_from_cookie.connect_via(app)
    def renew_remembered_browser(_app, user):
        """A browser back through its "remember me" cookie gets a new token: a copy of the old
        cookie is worth nothing from now on."""
        from festival.auth.services import renew_device_token

        renew_device_token(user)
        db.session.commit()
        session["_user_id"] = user.get_id()
        session["_remember"] = "set"

    @login_manager.request_loader
    def load_user_from_token(req):
        from festival.auth.services import user_for_api_token

        auth = req.authorization
        if auth is not None and auth.type == "bearer":
            return user_for_api_token(auth.token or "")
        return None

    @app.context_processor
    def inject_user():
        return {"current_user": current_user}


def _apply_public_url(app: Flask) -> None:
    """Absolute URLs from PUBLIC_URL; in production, requests for any other host are refused
    (a forged Host header could otherwise end up in a page cached for every visitor)."""
    public_url = app.config.get("PUBLIC_URL")
    if not public_url:
        return
    parts = urlsplit(public_url)
    app.config["SERVER_NAME"] = parts.netloc
    app.config["PREFERRED_URL_SCHEME"] = parts.scheme or "https"
    if app.config["PRODUCTION"] and app.config.get("TRUSTED_HOSTS") is None:
        extra = [h.strip() for h in os.environ.get("TRUSTED_HOSTS", "").split(",") if h.strip()]
        # localhost stays allowed for health checks and the operator on the machine itself.
        app.config["TRUSTED_HOSTS"] = [parts.hostname, "localhost", "127.0.0.1", *extra]


def _register_blueprints(app: Flask) -> None:
    from festival.api import init_api
    from festival.api.security import check_cross_site_request, require_authentication_first
    from festival.auth.views import bp as auth_bp
    from festival.awards.views import bp as awards_bp
    from festival.editions.views import bp as editions_bp
    from festival.films.views import bp as films_bp
    from festival.people.views import bp as people_bp
    from festival.programme.views import bp as programme_bp
    from festival.public.views import bp as public_bp
    from festival.workshops.views import bp as workshops_bp

    blueprints = (
        public_bp,
        auth_bp,
        people_bp,
        editions_bp,
        workshops_bp,
        films_bp,
        programme_bp,
        awards_bp,
    )
    for blueprint in blueprints:
        app.register_blueprint(blueprint)
    init_api(app)

    @app.before_request
    def _api_guard():
        if request.path.startswith("/api/"):
            require_authentication_first()
            check_cross_site_request()
