"""Signing in: passwords, rate limits, fresh sessions, safe redirects."""

from festival.auth.models import Role
from festival.extensions import db
from tests.helpers import PASSWORD


def test_each_role_lands_on_its_own_home(make_user, make_client, make_participant):
    expected = {
        Role.STAFF: "/equipe",
        Role.ADMIN: "/equipe",
        Role.FACILITATOR: "/ateliers",
        Role.JURY: "/jury/films",
    }
    for role, home in expected.items():
        response = make_client().login(make_user(role).login)
        assert response.location.endswith(home), role
    participant = make_participant(account=True)
    assert make_client().login(participant.user.login).location.endswith("/mon-espace")


def test_a_wrong_password_says_what_to_do_in_french(client, make_user):
    user = make_user(Role.STAFF)
    response = client.post_form("/connexion", {"login": user.login, "password": "nope"})
    html = response.get_data(as_text=True).replace("&#39;", "'")
    assert response.status_code == 200
    assert "mot de passe incorrect" in html and "code de connexion" in html


def test_repeated_failed_sign_ins_are_rate_limited(client, make_user):
    user = make_user(Role.STAFF)
    token = client.csrf_token()
    for _ in range(5):
        client.post("/connexion", data={"login": user.login, "password": "x", "csrf_token": token})
    response = client.post(
        "/connexion", data={"login": user.login, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 429
    assert "Patientez une minute" in response.get_data(as_text=True)


def test_sign_in_starts_a_fresh_session(client, make_user):
    user = make_user(Role.STAFF)
    with client._client.session_transaction() as session:
        session["planted"] = "by an attacker"
    client.login(user.login)
    with client._client.session_transaction() as session:
        assert "planted" not in session and session["_user_id"].startswith(f"{user.id}:")


def test_next_only_goes_to_pages_of_this_site(client, make_user):
    user = make_user(Role.STAFF)
    token = client.csrf_token()
    response = client.post(
        "/connexion?next=https://evil.example/",
        data={"login": user.login, "password": PASSWORD, "csrf_token": token},
    )
    assert response.location.endswith("/equipe")
    client.post_form("/deconnexion")
    token = client.csrf_token()
    response = client.post(
        "/connexion?next=/equipe/participants",
        data={"login": user.login, "password": PASSWORD, "csrf_token": token},
    )
    assert response.location.endswith("/equipe/participants")


def test_a_disabled_account_cannot_sign_in(client, make_user):
    user = make_user(Role.STAFF)
    user.is_enabled = False
    db.session.commit()
    response = client.post_form("/connexion", {"login": user.login, "password": PASSWORD})
    assert response.status_code == 200 and client.get("/equipe").status_code == 302


def test_a_participant_sets_a_password_and_old_api_tokens_stop_working(
    login_as, make_participant, client
):
    participant = make_participant(account=True)
    token = client.post(
        "/api/v1/auth/token", json={"login": participant.user.login, "password": PASSWORD}
    ).json["token"]
    teen = login_as(participant.user)
    response = teen.post_form(
        "/compte/mot-de-passe", {"password": "nouveau-secret", "confirm": "nouveau-secret"}
    )
    assert response.status_code == 302
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get(f"/api/v1/participants/{participant.id}", headers=headers).status_code == 401
    assert (
        client.post(
            "/api/v1/auth/token",
            json={"login": participant.user.login, "password": "nouveau-secret"},
        ).status_code
        == 201
    )
