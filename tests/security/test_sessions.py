"""Signing out or changing a password ends every session of the account, everywhere."""

from __future__ import annotations

from festival.auth.models import Role
from festival.auth.services import issue_login_code
from festival.extensions import db
from tests.helpers import PASSWORD
from tests.helpers.api import bearer

DOMAIN = "festival.test"


def _cookies(client) -> dict[str, str]:
    jar = client._client
    return {
        name: jar.get_cookie(name, domain=DOMAIN).value
        for name in ("session", "remember_token")
        if jar.get_cookie(name, domain=DOMAIN) is not None
    }


def _replay(make_client, cookies: dict[str, str]):
    thief = make_client()
    for name, value in cookies.items():
        thief._client.set_cookie(name, value, domain=DOMAIN)
    return thief


def test_a_saved_cookie_no_longer_opens_the_space_after_sign_out(
    make_client, make_participant, client
):
    teen = make_participant(account=True)
    browser = make_client()
    browser.post_form(
        "/connexion", {"login": teen.user.login, "password": PASSWORD, "remember": "y"}
    )
    saved = _cookies(browser)
    assert {"session", "remember_token"} <= set(saved)
    assert _replay(make_client, saved).get("/mon-espace").status_code == 200
    token = bearer(client, teen.user)
    browser.post_form("/deconnexion", {}, token_page="/mon-espace")
    assert _replay(make_client, saved).get("/mon-espace").status_code == 302
    only_remember = {"remember_token": saved["remember_token"]}
    assert _replay(make_client, only_remember).get("/mon-espace").status_code == 302
    assert client.get("/api/v1/films", headers=token).status_code == 401


def test_a_password_changed_elsewhere_ends_the_other_sessions(make_client, make_participant):
    teen = make_participant(account=True)
    library_pc = make_client()
    library_pc.post_form(
        "/connexion", {"login": teen.user.login, "password": PASSWORD, "remember": "y"}
    )
    forgotten = _cookies(library_pc)
    phone = make_client()
    phone.login(teen.user.login)
    changed = phone.post_form(
        "/compte/mot-de-passe",
        {"password": "un-nouveau-secret-42", "confirm": "un-nouveau-secret-42"},
    )
    assert changed.status_code == 302
    assert phone.get("/mon-espace").status_code == 200  # the phone that changed it stays in
    assert _replay(make_client, forgotten).get("/mon-espace").status_code == 302


def test_a_sign_in_code_does_not_keep_a_shared_computer_signed_in(
    make_client, make_participant, make_user
):
    teen = make_participant(account=True)
    code = issue_login_code(teen.user, created_by=make_user(Role.STAFF))
    db.session.commit()
    library_pc = make_client()
    response = library_pc.post_form("/connexion/code", {"code": code}, token_page="/connexion/code")
    assert response.status_code == 302
    assert "remember_token" not in _cookies(library_pc)


def test_the_code_page_is_rate_limited_and_names_nobody(make_client, make_participant, make_user):
    teen = make_participant(account=True, first_name="Léa", last_name="Martin")
    code = issue_login_code(teen.user, created_by=make_user(Role.STAFF))
    db.session.commit()
    visitor = make_client()
    page = visitor.get(f"/connexion/code/{code}")
    assert page.status_code == 200
    assert "Léa" not in page.get_data(as_text=True)
    # Guessing addresses counts as failed sign-ins (5 a minute in tests), then 429.
    answers = [visitor.get(f"/connexion/code/ABCD-EFG{n}").status_code for n in range(7)]
    assert answers[:5] == [404] * 5 and 429 in answers[5:]


def test_the_commonest_passwords_are_refused(login_as, make_participant):
    teen = make_participant(account=True)
    phone = login_as(teen.user)
    for weak in ("12345678", "azertyuiop", "Motdepasse", "aaaaaaaaaa", teen.user.login):
        response = phone.post_form("/compte/mot-de-passe", {"password": weak, "confirm": weak})
        assert response.status_code == 200, weak
        assert "premiers qu" in response.get_data(as_text=True), weak
    strong = "trois-mots-sans-rapport"
    assert (
        phone.post_form("/compte/mot-de-passe", {"password": strong, "confirm": strong}).status_code
        == 302
    )


def test_failures_count_per_account_and_do_not_lock_out_the_library(make_client, make_user):
    """Teen A mistyping five times blocks A's account, not teen B on the same connection."""
    a, b = make_user(Role.JURY), make_user(Role.JURY)
    library = make_client()
    token = library.csrf_token()
    for _ in range(5):
        library.post("/connexion", data={"login": a.login, "password": "x", "csrf_token": token})
    signed_in = library.post(
        "/connexion", data={"login": b.login, "password": PASSWORD, "csrf_token": token}
    )
    assert signed_in.status_code == 302
    # A's account is slowed down wherever the guesses come from, the API included.
    elsewhere = make_client()
    elsewhere.http.environ_base = {"REMOTE_ADDR": "203.0.113.9"}
    response = elsewhere.post("/api/v1/auth/token", json={"login": a.login, "password": "y"})
    assert response.status_code == 429


def test_a_disabled_account_is_signed_out_everywhere_and_its_tokens_stop(
    app, make_client, make_participant, client
):
    teen = make_participant(account=True)
    browser = make_client()
    browser.login(teen.user.login)
    token = bearer(client, teen.user)
    result = app.test_cli_runner().invoke(args=["account", "disable", teen.user.login])
    assert result.exit_code == 0, result.output
    assert browser.get("/mon-espace").status_code == 302
    assert client.get("/api/v1/films", headers=token).status_code == 401
    refused = make_client().post_form(
        "/connexion", {"login": teen.user.login, "password": PASSWORD}
    )
    assert refused.status_code == 200  # the password alone no longer opens it


def test_a_remembered_browser_gets_a_new_cookie_each_time_it_comes_back(
    make_client, make_participant
):
    teen = make_participant(account=True)
    browser = make_client()
    browser.post_form(
        "/connexion", {"login": teen.user.login, "password": PASSWORD, "remember": "y"}
    )
    first = _cookies(browser)["remember_token"]
    # The browser is closed (no session cookie) and opened again the next day.
    comeback = _replay(make_client, {"remember_token": first})
    assert comeback.get("/mon-espace").status_code == 200
    second = _cookies(comeback)["remember_token"]
    assert second != first
    # A copy of the first cookie, taken before, opens nothing any more.
    assert _replay(make_client, {"remember_token": first}).get("/mon-espace").status_code == 302
    # Other browsers of the same teen are not signed out by it.
    assert _replay(make_client, {"remember_token": second}).get("/mon-espace").status_code == 200
