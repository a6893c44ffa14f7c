"""Un Trait Amateur: the platform of a public library's youth film festival."""

from __future__ import annotations

import contextlib
import secrets
from pathlib import Path
from typing import Any

from flask import Flask, current_app, has_request_context, request, session
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.routing import IntegerConverter

from festival import models  # noqa: F401 - every model registered before migrations look
from festival.api import init_api
from festival.auth import commands as auth_commands
from festival.auth import views as auth_views
from festival.auth.loaders import register_login_loaders
from festival.awards import tasks as awards_tasks  # noqa: F401 - workers know every task
from festival.awards import views as awards_views
from festival.cli import register_cli
from festival.collection import commands as collection_commands
from festival.collection import views as collection_views
from festival.config import DEFAULT_SECRET_KEY, config_for
from festival.editions import views as editions_views
from festival.error_handlers import register_error_handlers
from festival.extensions import babel, cache, compress, csrf, db, limiter, migrate
from festival.films import commands as films_commands
from festival.films import erasure as films_erasure  # noqa: F401 - hears people erased
from festival.films import tasks as films_tasks  # noqa: F401 - workers know every task
from festival.films import views as films_views
from festival.input_guard import register_input_guard
from festival.jobs import init_jobs
from festival.limit_storage import storage_uri
from festival.mail import views as mail_views
from festival.mail.transport import init_mail
from festival.models_base import MAX_ROW_ID
from festival.people import commands as people_commands
from festival.people import tasks as people_tasks  # noqa: F401 - workers know every task
from festival.people import views as people_views
from festival.programme import tasks as programme_tasks  # noqa: F401 - workers know every task
from festival.programme import views as programme_views
from festival.public import views as public_views
from festival.public_url import ForwardedOnlyFromProxy, apply_public_url
from festival.report import views as report_views
from festival.security_headers import register_security_headers
from festival.static_files import init_static_files
from festival.templating import register_template_helpers
from festival.translate import register_translate_commands
from festival.workshops import tasks as workshops_tasks  # noqa: F401 - workers know every task
from festival.workshops import views as workshops_views


def create_app(test_config: dict[str, Any] | None = None, mode: str | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    if mode is None and test_config and test_config.get("TESTING"):
        mode = "testing"
    app.config.from_object(config_for(mode))
    if test_config:
        app.config.update(test_config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    _check_production_settings(app)
    apply_public_url(app)
    if app.config["SECRET_KEY"] == DEFAULT_SECRET_KEY:
        app.config["SECRET_KEY"] = _instance_secret_key(Path(app.instance_path))
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = (
            f"sqlite:///{Path(app.instance_path) / 'festival.sqlite3'}"
        )
    Path(app.config["MEDIA_ROOT"]).mkdir(parents=True, exist_ok=True)

    _init_extensions(app)
    app.url_map.converters["int"] = DatabaseIntConverter
    register_login_loaders(app)
    init_mail(app)
    _register_domains(app)
    register_error_handlers(app)
    register_input_guard(app)
    register_template_helpers(app)
    register_security_headers(app)
    register_cli(app)
    register_translate_commands(app)
    init_jobs(app)
    init_static_files(app)
    app.wsgi_app = ForwardedOnlyFromProxy(
        app.wsgi_app,
        proxies=app.config["TRUSTED_PROXIES"],
        peers=app.config["TRUSTED_PROXY_ADDRESSES"],
    )
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
    return list(current_app.config["LANGUAGES"])


def _init_extensions(app: Flask) -> None:
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
    compress.init_app(app)
    babel.init_app(app, locale_selector=_select_locale)
    app.config["RATELIMIT_STORAGE_URI"] = storage_uri(app.config, app.instance_path)
    limiter.init_app(app)


def _register_domains(app: Flask) -> None:
    """Each domain's pages, then its own commands; the API last (its guard is its own)."""
    blueprints = (
        public_views.bp,
        auth_views.bp,
        mail_views.bp,
        people_views.bp,
        editions_views.bp,
        workshops_views.bp,
        films_views.bp,
        programme_views.bp,
        awards_views.bp,
        collection_views.bp,
        report_views.bp,
    )
    for blueprint in blueprints:
        app.register_blueprint(blueprint)
    for register_commands in (
        auth_commands.register_commands,
        people_commands.register_commands,
        films_commands.register_commands,
        collection_commands.register_commands,
    ):
        register_commands(app)
    init_api(app)
