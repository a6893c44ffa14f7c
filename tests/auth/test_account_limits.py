"""Accounts hold: a stranger cannot lock the owner out, limits count once for every process,
and the forgotten-password form tells nobody whether an account exists nor floods an inbox."""

from __future__ import annotations

import contextvars
import re
import subprocess
import sys
import time

from festival.auth import tasks
from festival.auth.models import Role
from festival.extensions import db
from festival.limit_storage import SCHEME, SharedFileStorage
from tests.helpers import PASSWORD

STRANGER, OWNER = "203.0.113.66", "198.51.100.20"


def _sign_in(http, login: str, password: str, address: str):
    """Each request in an empty context, as on a real server (no `g` shared between them)."""

    def request(method, **options):
        return contextvars.Context().run(
            getattr(http, method), "/connexion", environ_base={"REMOTE_ADDR": address}, **options
        )

    page = request("get").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    return request("post", data={"login": login, "password": password, "csrf_token": token})


def test_a_stranger_who_guesses_locks_out_only_himself(app, make_user):
    user = make_user(Role.STAFF)
    stranger = app.test_client()
    for _ in range(5):
        _sign_in(stranger, user.login, "devinette", STRANGER)
    refused = _sign_in(stranger, user.login, PASSWORD, STRANGER)
    assert refused.status_code == 429
    page = refused.get_data(as_text=True)
    assert "/connexion/oubli" in page  # a way in by email, even now
    owner = _sign_in(app.test_client(), user.login, PASSWORD, OWNER)
    assert owner.status_code == 302, re.findall(r"(?s)<main.*</main>", owner.get_data(as_text=True))
    assert "/equipe" in owner.location


def test_limits_count_once_for_every_process(tmp_path):
    """Counters in the shared file: what one process counted, another process sees (gunicorn
    runs three; in memory, each limit was tripled)."""
    uri = f"{SCHEME}:///{tmp_path / 'limits.sqlite3'}"
    here = SharedFileStorage(uri)
    assert [here.incr("sign-in/account:lea", 60) for _ in range(3)] == [1, 2, 3]
    elsewhere = subprocess.run(  # noqa: S603 - a Python of our own, fixed arguments
        [
            sys.executable,
            "-c",
            "import sys; from festival.limit_storage import SharedFileStorage as S; "
            "print(S(sys.argv[1]).incr('sign-in/account:lea', 60))",
            uri,
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert elsewhere.stdout.strip() == "4"
    assert here.get("sign-in/account:lea") == 4
    here.clear("sign-in/account:lea")
    assert here.get("sign-in/account:lea") == 0


def test_an_expired_window_starts_again(tmp_path):
    storage = SharedFileStorage(f"{SCHEME}:///{tmp_path / 'limits.sqlite3'}")
    assert storage.incr("k", 0) == 1  # a window of no length: over at once
    assert storage.incr("k", 60) == 1 and storage.incr("k", 60) == 2
    assert storage.get_expiry("k") > time.time() + 50


def test_the_embedded_default_keeps_limits_in_the_instance_folder(app):
    from festival.limit_storage import storage_uri

    assert storage_uri({}, "/srv/instance") == f"{SCHEME}:////srv/instance/limits.sqlite3"
    assert storage_uri({"QUEUE_URL": "redis://cache:6379/0"}, "/x") == "redis://cache:6379/0"
    assert storage_uri({"RATELIMIT_STORAGE_URI": "memory://"}, "/x") == "memory://"


def test_the_forgotten_password_page_does_the_same_for_any_address(
    app, make_user, make_client, monkeypatch
):
    user = make_user(Role.STAFF)
    user.email = "camille@mediatheque.example"
    db.session.commit()
    asked = []
    monkeypatch.setattr(
        tasks.send_password_reset, "__call__", lambda address: asked.append(address)
    )
    monkeypatch.setattr(tasks, "send_password_reset", lambda address: asked.append(address))
    answers = []
    for address in ("camille@mediatheque.example", "personne@example.org"):
        client = make_client()
        response = client.post_form(
            "/connexion/oubli", {"email": address}, token_page="/connexion/oubli"
        )
        answers.append((response.status_code, response.location))
    assert answers[0] == answers[1]
    assert asked == ["camille@mediatheque.example", "personne@example.org"]


def test_one_address_gets_at_most_a_few_reset_messages_an_hour(app, smtp_server, make_user):
    user = make_user(Role.JURY)
    user.email = "jury@example.org"
    db.session.commit()
    sent = [tasks.send_password_reset.call_local("jury@example.org") for _ in range(5)]
    assert sent == [True, True, True, False, False]
    assert len(smtp_server.to("jury@example.org")) == 3
    assert tasks.send_password_reset.call_local("personne@example.org") is False
