"""A forgotten password, by email: the same answer whether an account exists or not, a link
that works once and not for long, and every other session ended."""

from __future__ import annotations

from festival.auth.models import Role
from festival.extensions import db
from tests.helpers import PASSWORD
from tests.helpers.mail import link_in


def _ask(client, address: str):
    return client.post_form(
        "/connexion/oubli", {"email": address}, token_page="/connexion/oubli", follow_redirects=True
    )


def test_a_staff_member_chooses_a_new_password_from_the_email(
    app, smtp_server, make_user, make_client, login_as
):
    staff = make_user(Role.STAFF, login="camille@mediatheque.example")
    staff.email = "camille@mediatheque.example"

    db.session.commit()
    elsewhere = login_as(staff)  # a forgotten session on the library's shared computer
    assert elsewhere.get("/equipe/editions").status_code == 200
    visitor = make_client()
    login_page = visitor.get("/connexion").get_data(as_text=True)
    assert "/connexion/oubli" in login_page  # the login page leads there
    answer = _ask(visitor, "Camille@Mediatheque.example ")
    assert "Si un compte existe avec cette adresse" in answer.get_data(as_text=True)
    (message,) = smtp_server.to("camille@mediatheque.example")
    assert message["Subject"] == "Choisir un nouveau mot de passe"
    path = link_in(message, "/connexion/nouveau-mot-de-passe/")
    done = visitor.post_form(
        path,
        {"password": "un nouveau mot de passe", "confirm": "un nouveau mot de passe"},
        token_page=path,
        follow_redirects=True,
    )
    assert "Mot de passe enregistré" in done.get_data(as_text=True)
    assert elsewhere.get("/equipe/editions").status_code == 302  # the other session is over
    # Used once: the password changed, the link no longer works.
    again = visitor.get(path, follow_redirects=True).get_data(as_text=True)
    assert "Ce lien ne sert plus" in again
    fresh = make_client()
    signed_in = fresh.post_form(
        "/connexion", {"login": staff.login, "password": "un nouveau mot de passe"}
    )
    assert signed_in.status_code == 302 and "/connexion" not in signed_in.location
    assert PASSWORD != "un nouveau mot de passe"


def test_nobody_learns_whether_an_address_has_an_account(smtp_server, make_client):
    answer = _ask(make_client(), "personne@example.org")
    assert "Si un compte existe avec cette adresse" in answer.get_data(as_text=True)
    assert smtp_server.messages == []


def test_an_old_link_no_longer_works(app, smtp_server, make_user, make_client):
    user = make_user(Role.JURY, login="jury@example.org")
    user.email = "jury@example.org"

    db.session.commit()
    visitor = make_client()
    _ask(visitor, "jury@example.org")
    path = link_in(smtp_server.to("jury@example.org")[0], "/connexion/nouveau-mot-de-passe/")
    app.config["PASSWORD_RESET_HOURS"] = -1  # as if the hours had passed
    page = visitor.get(path, follow_redirects=True).get_data(as_text=True)
    assert "Ce lien ne sert plus" in page
