"""One public address: every absolute link comes from PUBLIC_URL, in a request, a job or a
command, whatever Host or X-Forwarded-* a request carries."""

from __future__ import annotations

import re

import pytest

from festival import create_app
from festival.auth.models import Role
from festival.extensions import db
from festival.mail.services import queue_email
from festival.people import guardians
from festival.public_url import ForwardedOnlyFromProxy, development_public_url
from tests.helpers.mail import text_of

PUBLIC = "https://festival.mediatheque.example"
RESET = "/connexion/nouveau-mot-de-passe/"


def _links(message) -> list[str]:
    return re.findall(r"https?://[^\s<>\"']+", text_of(message))


def _ask_reset(http, csrf_token: str, address: str, host: str, **headers):
    return http.post(
        "/connexion/oubli",
        data={"email": address, "csrf_token": csrf_token},
        headers=headers,
        base_url=f"http://{host}",
        environ_base={"REMOTE_ADDR": "203.0.113.9"},
    )


def _token(http, host: str, **headers) -> str:
    html = http.get(
        "/connexion/oubli",
        headers=headers,
        base_url=f"http://{host}",
        environ_base={"REMOTE_ADDR": "203.0.113.9"},
    ).get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def test_a_reset_asked_with_a_forged_host_links_to_the_public_address(app, smtp_server, make_user):
    app.config["PUBLIC_URL"] = PUBLIC
    staff = make_user(Role.STAFF, login="camille@mediatheque.example")
    staff.email = "camille@mediatheque.example"
    db.session.commit()
    http = app.test_client()
    forged = {"X-Forwarded-Host": "evil.example"}
    token = _token(http, "evil.example", **forged)
    answer = _ask_reset(http, token, staff.email, "evil.example", **forged)
    assert answer.status_code in (200, 302)
    (message,) = smtp_server.to(staff.email)
    links = _links(message)
    assert any(link.startswith(PUBLIC + RESET) for link in links), links
    assert all(link.startswith(PUBLIC + "/") for link in links), links
    assert "evil.example" not in message.as_string()


def test_in_production_the_reset_link_ignores_forwarded_headers_from_a_stranger(
    app, smtp_server, make_user
):
    staff = make_user(Role.ADMIN, login="admin@mediatheque.example")
    staff.email = "admin@mediatheque.example"
    db.session.commit()
    production = create_app(
        {
            "SECRET_KEY": "s" * 64,
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "MEDIA_ROOT": app.config["MEDIA_ROOT"],
            "MAIL_URL": app.config["MAIL_URL"],
            "MAIL_OUTBOX_DIR": app.config["MAIL_OUTBOX_DIR"],
            "PUBLIC_URL": PUBLIC,
            "JOBS_IMMEDIATE": True,
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            "SESSION_COOKIE_SECURE": False,
            # Its own counters: the instance folder's file outlived the run (a third run within
            # the hour was refused a reset, 429).
            "RATELIMIT_STORAGE_URI": "memory://",
        },
        mode="production",
    )
    http = production.test_client()
    host = "festival.mediatheque.example"
    headers = {"X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "http"}
    # A forged Host is refused outright; forwarded headers from a stranger are dropped.
    assert http.get("/connexion/oubli", headers={"Host": "evil.example"}).status_code == 400
    answer = _ask_reset(http, _token(http, host, **headers), staff.email, host, **headers)
    assert answer.status_code in (200, 302), answer.get_data(as_text=True)[-3000:]
    (message,) = smtp_server.to(staff.email)
    assert any(link.startswith(PUBLIC + RESET) for link in _links(message))
    assert "evil.example" not in message.as_string()
    with production.app_context():
        db.session.remove()
        db.engine.dispose()


def test_production_refuses_to_start_without_a_public_address(app):
    with pytest.raises(RuntimeError, match="PUBLIC_URL"):
        create_app(
            {
                "SECRET_KEY": "s" * 64,
                "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                "PUBLIC_URL": "",
            },
            mode="production",
        )


def test_an_https_public_address_gives_https_links_over_plain_http(app, client, edition):
    app.config["PUBLIC_URL"] = PUBLIC
    page = client.get("/", base_url="http://festival.test").get_data(as_text=True)
    assert f'<link rel="canonical" href="{PUBLIC}/"' in page
    assert "http://festival.test" not in page


def test_links_written_outside_a_request_use_the_public_address(app, smtp_server, make_participant):
    """What a job or a command writes (no request at all) links where visitors go."""
    app.config["PUBLIC_URL"] = PUBLIC
    teen = make_participant(age=15, guardian_email="parent@example.org")
    guardians.send_guardian_link(teen)
    queue_email("ana@example.org", "password_reset", reset_url="x", first_name="Ana", hours=2)
    db.session.commit()
    for message in smtp_server.messages:
        links = _links(message)
        assert links and all(link.startswith(PUBLIC + "/") for link in links), links
        assert message["List-Unsubscribe"].startswith(f"<{PUBLIC}/courriels/arret/")


def test_a_command_run_by_hand_links_to_the_address_flask_serve_last_served(tmp_path):
    from festival.cli import remember_served_url

    served = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"}, mode="testing")
    served.instance_path = str(tmp_path)
    assert remember_served_url(served, "127.0.0.1", 8123) == "http://127.0.0.1:8123"
    later = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    later.instance_path = str(tmp_path)
    later.config["SERVER_NAME"] = None  # as a command run by hand has it: no test's name
    assert development_public_url(later) == "http://127.0.0.1:8123"


def _seen_by_the_app(environ_extra: dict, *, proxies: int = 1) -> dict:
    seen = {}

    def app(environ, start_response):
        seen.update(environ)
        start_response("200 OK", [])
        return [b""]

    wrapped = ForwardedOnlyFromProxy(app, proxies=proxies, peers=("127.0.0.1",))
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/",
        "SERVER_NAME": "festival.mediatheque.example",
        "SERVER_PORT": "80",
        "HTTP_HOST": "festival.mediatheque.example",
        "wsgi.url_scheme": "http",
        "HTTP_X_FORWARDED_FOR": "198.51.100.7",
        "HTTP_X_FORWARDED_HOST": "evil.example",
        "HTTP_X_FORWARDED_PROTO": "https",
        **environ_extra,
    }
    wrapped(environ, lambda *_: None)
    return seen


def test_forwarded_headers_count_only_from_the_configured_proxy():
    from_proxy = _seen_by_the_app({"REMOTE_ADDR": "127.0.0.1"})
    assert from_proxy["REMOTE_ADDR"] == "198.51.100.7"
    assert from_proxy["wsgi.url_scheme"] == "https"
    from_stranger = _seen_by_the_app({"REMOTE_ADDR": "203.0.113.9"})
    assert from_stranger["REMOTE_ADDR"] == "203.0.113.9"
    assert from_stranger["HTTP_HOST"] == "festival.mediatheque.example"
    assert "HTTP_X_FORWARDED_FOR" not in from_stranger
    no_proxy = _seen_by_the_app({"REMOTE_ADDR": "127.0.0.1"}, proxies=0)
    assert no_proxy["REMOTE_ADDR"] == "127.0.0.1"
    assert "HTTP_X_FORWARDED_HOST" not in no_proxy
