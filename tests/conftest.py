"""Fixtures: an app on a fresh database, clients that sign in as any role, factories."""

from __future__ import annotations

import contextvars
import copy
import os
import re
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
from flask import session as flask_session
from jinja2 import BytecodeCache
from sqlalchemy import event, text

from festival import create_app
from festival.auth.models import Role, User
from festival.auth.services import create_user
from festival.clock import local_today
from festival.editions.models import Edition
from festival.editions.services import create_edition
from festival.extensions import db, limiter
from festival.jobs import init_jobs
from festival.mail.transport import init_mail
from festival.people.accounts import open_account
from festival.people.models import ConsentKind, Participant
from festival.people.registration import RegistrationData, register_participant
from tests.fixtures.awards import published_ceremony  # noqa: F401
from tests.fixtures.films import film, staff_headers, team, tus_as  # noqa: F401
from tests.fixtures.mail import smtp_server  # noqa: F401
from tests.fixtures.processed import processed_once  # noqa: F401
from tests.fixtures.programme import block, later, make_valid_film, staff_user  # noqa: F401
from tests.helpers import PASSWORD, birth_date_for  # noqa: F401

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Tests marked `long` (a fuzzing run, a demo loaded, a server started) go first: handed
    out last, they kept one process busy for half a minute while the other had finished."""
    items.sort(key=lambda item: item.get_closest_marker("long") is None)


TEST_POSTGRES_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def _xdist_schema() -> str | None:
    """Under pytest-xdist, each worker process gets a PostgreSQL schema of its own."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    return f"tests_{worker}" if worker.isalnum() else None


def database_url(tmp_path_factory) -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        schema = _xdist_schema()
        if url.startswith("postgresql") and schema:
            separator = "&" if "?" in url else "?"
            return f"{url}{separator}options=-csearch_path%3D{schema}"
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


def _prepare_schema(app, url: str) -> None:
    """The schema, made once per run (per worker process); each test empties the tables it
    filled."""
    with app.app_context():
        if url.startswith("postgresql"):
            # Whatever an earlier run (of older code) left goes, whatever its shape.
            schema = _xdist_schema() or "public"
            db.session.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
            db.session.execute(text(f"CREATE SCHEMA {schema}"))
            db.session.commit()
        else:
            db.drop_all()
        db.create_all()
        db.session.remove()


def _test_config(url: str, folder: Path) -> dict:
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": url,
        "MEDIA_ROOT": str(folder / "media"),
        "MAIL_OUTBOX_DIR": str(folder / "outbox"),
        "SERVER_NAME": "festival.test",
        "CACHE_GENERATION_FILE": str(folder / "public-cache-generation"),
        "LOGIN_FAILURE_LIMIT": "5 per minute",
    }


class _TemplatesCompiledOnce(BytecodeCache):
    """Templates compiled once per test process, also for the tests that make an app of their
    own (each app has its own Jinja environment, which would compile them again)."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


_TEMPLATE_CODE = _TemplatesCompiledOnce()


@pytest.fixture(scope="session")
def _database(tmp_path_factory):
    """The test database's address, its schema made."""
    url = database_url(tmp_path_factory)
    maker = create_app(_test_config(url, tmp_path_factory.mktemp("schema")))
    _prepare_schema(maker, url)
    with maker.app_context():
        db.engine.dispose()
    return url


@pytest.fixture(scope="session")
def _shared_app(_database, tmp_path_factory):
    """One app per test process: building one (its URL map, its API description) cost a tenth
    of a second, as much as many tests themselves. Each test gets it back as it was made."""
    app = create_app(_test_config(_database, tmp_path_factory.mktemp("app")))
    app.jinja_env.bytecode_cache = _TEMPLATE_CODE
    return app, copy.deepcopy(dict(app.config)), dict(vars(limiter))


@pytest.fixture
def app(request, _shared_app, _database, tmp_path):
    """The app with an empty database, its own media and outbox folders and fresh counters.

    Tests marked `own_app` (they change what cannot be put back: routes, extensions) get an
    app made for them alone.
    """
    shared, config, limiter_state = _shared_app
    per_test = _test_config(_database, tmp_path)
    own = request.node.get_closest_marker("own_app") is not None
    if own:
        app = create_app(per_test)
        app.jinja_env.bytecode_cache = _TEMPLATE_CODE
    else:
        app = shared
        app.config.clear()
        app.config.update(copy.deepcopy(config))
        app.config.update(per_test)
        Path(per_test["MEDIA_ROOT"]).mkdir(parents=True, exist_ok=True)
        # An app a test made for itself took over these module-level pieces: they come back.
        vars(limiter).update(limiter_state)
        init_jobs(app)
        init_mail(app)
    limiter.reset()
    with app.app_context():
        yield app
        db.session.rollback()
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
        db.session.commit()
        db.session.remove()
        if own:
            db.engine.dispose()


class Client:
    """A test client that knows how a person uses the site: forms carry their CSRF token.

    Each request runs in an empty context, as on a real server: it gets its own application
    context, database session and `g`, instead of sharing the test's.
    """

    def __init__(self, app):
        self.app = app
        self._client = app.test_client()
        self.http = _Isolated(self._client)

    def get(self, *args, **kwargs):
        return self.http.get(*args, **kwargs)

    def csrf_token(self, page: str = "/connexion") -> str:
        html = self.http.get(page).get_data(as_text=True)
        match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
            r'name="csrf_token" value="([^"]+)"', html
        )
        assert match, f"no CSRF token on {page}"
        return match.group(1)

    def post_form(
        self, url: str, data: dict | None = None, *, token_page: str | None = None, **kwargs
    ):
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf_token(token_page or self._token_page()))
        return self.http.post(url, data=data, **kwargs)

    def _token_page(self) -> str:
        signed_in = contextvars.Context().run(self._signed_in)
        return "/compte/mot-de-passe" if signed_in else "/connexion"

    def _signed_in(self) -> bool:
        with self._client.session_transaction() as session:
            return "_user_id" in session

    def login(self, login: str, password: str = PASSWORD):
        """Through the sign-in form, as a person does."""
        response = self.post_form("/connexion", {"login": login, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
        return response

    def sign_in_as(self, user_id: int) -> None:
        """Signed in as the form would sign in (the same `sign_in`: device session, session
        cookie), without the form's two requests: tests that are not about signing in start
        signed in at a tenth of the cost. The form itself is tested in tests/auth."""
        contextvars.Context().run(self._sign_in_as, user_id)

    def _sign_in_as(self, user_id: int) -> None:
        from festival.auth.views import sign_in

        # The client's own address and User-Agent: Flask-Login ties the session to them.
        with (
            self._client.session_transaction() as cookie_session,
            self.app.test_request_context(environ_base=self._client.environ_base),
        ):
            sign_in(db.session.get(User, user_id))
            cookie_session.clear()
            cookie_session.update(flask_session)

    def __getattr__(self, name):
        return getattr(self.http, name)


class _Isolated:
    """Runs the test client's calls in an empty context, then shows the test fresh data."""

    def __init__(self, client):
        self._client = client

    def __getattr__(self, name):
        attribute = getattr(self._client, name)
        if name not in ("get", "post", "put", "patch", "delete", "head", "options", "open"):
            return attribute

        def call(*args, **kwargs):
            response = contextvars.Context().run(attribute, *args, **kwargs)
            response.get_data()  # buffer the body, then release any file it was streamed from
            response.close()
            db.session.expire_all()
            return response

        return call


@pytest.fixture
def client(app):
    return Client(app)


@pytest.fixture
def make_client(app):
    return lambda: Client(app)


@pytest.fixture
def edition(app) -> Edition:
    """The current edition: workshops every week, five held, ceremony in four months."""
    today = local_today()
    first = today - timedelta(weeks=4, days=1)
    edition = create_edition(
        year=today.year + 1,
        title="Édition de test",
        starts_on=first,
        ends_on=today + timedelta(days=130),
        ceremony_at=datetime.combine(today + timedelta(days=120), time(18, 0)),
        upload_deadline=datetime.combine(today + timedelta(days=90), time(23, 59)),
        ceremony_venue="Auditorium",
    )
    db.session.commit()
    return edition


@pytest.fixture
def make_participant(app, edition):
    counter = {"n": 0}

    def make(
        *,
        age: int = 15,
        online: bool = False,
        account: bool = False,
        consents: dict | None = None,
        **fields,
    ) -> Participant:
        counter["n"] += 1
        n = counter["n"]
        data = RegistrationData(
            first_name=fields.pop("first_name", f"Prénom{n}"),
            last_name=fields.pop("last_name", f"Nom{n}"),
            birth_date=fields.pop("birth_date", birth_date_for(edition, age)),
            email=fields.pop("email", f"participant{n}@example.org"),
            phone=fields.pop("phone", "06 00 00 00 00"),
            guardian_name=fields.pop("guardian_name", f"Parent {n}"),
            guardian_email=fields.pop("guardian_email", f"parent{n}@example.org"),
            guardian_phone=fields.pop("guardian_phone", "07 00 00 00 00"),
            commune=fields.pop("commune", None),
            had_library_card=fields.pop("had_library_card", None),
            consents=consents
            if consents is not None
            else {
                ConsentKind.PARTICIPATION: True,
                ConsentKind.SCREENING: True,
                ConsentKind.ONLINE: False,
            },
        )
        participant = register_participant(
            fields.pop("for_edition", edition), data, recorded_by=None, online=online
        )
        if account:
            open_account(participant, password=PASSWORD)
        db.session.commit()
        return participant

    return make


@pytest.fixture
def make_user(app):
    def make(role: Role, login: str | None = None, display_name: str | None = None) -> User:
        user = create_user(
            login or f"{role.value}-{os.urandom(3).hex()}@example.org",
            role=role,
            password=PASSWORD,
            display_name=display_name or f"{role.value.title()} Test",
        )
        db.session.commit()
        return user

    return make


@pytest.fixture
def login_as(app, make_user, make_client):
    """A signed-in client for a role: login_as(Role.STAFF) or login_as(user)."""

    def sign_in(who) -> Client:
        user = who if isinstance(who, User) else make_user(who)
        client = make_client()
        client.sign_in_as(user.id)
        client.user = user
        return client

    return sign_in


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    path = Path(__file__).resolve().parent.parent / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path


@pytest.fixture(scope="session")
def video_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("videos")


@pytest.fixture(scope="session")
def make_video(video_dir):
    """make_video("name.mp4", seconds=..., size=..., codec=..., rotation=...), cached per run."""
    from tests.media import make_video as encode

    made: dict[tuple, Path] = {}

    def make(name: str, **options) -> Path:
        key = (name, tuple(sorted(options.items())))
        if key not in made:
            # Same name, other options: another file (the name keeps its extension).
            stem, dot, suffix = name.rpartition(".")
            unique = f"{stem}-{len(made)}{dot}{suffix}"
            made[key] = encode(video_dir / unique, **options)
        return made[key]

    return make


@pytest.fixture
def live_server(app):
    """The app served on 127.0.0.1 by a threaded server, for real clients and browsers."""
    import threading

    from werkzeug.serving import make_server

    from festival.serving import CloseEveryResponse

    server = make_server("127.0.0.1", 0, CloseEveryResponse(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def count_queries(app):
    """How many SQL statements an action costs: `count_queries(lambda: client.get(url))`.

    Pages are not cached in tests (NullCache), so this is what a visitor's request costs the
    database when the cache is cold.
    """

    def count(action) -> int:
        statements = []

        def record(*_args):
            statements.append(1)

        event.listen(db.engine, "before_cursor_execute", record)
        try:
            action()
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
        return len(statements)

    return count
