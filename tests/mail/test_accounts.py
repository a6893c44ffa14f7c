"""Admins invite a facilitator, a juror or a staff member by email (they choose their own
password from the link), change roles and deactivate: the API token of a deactivated account
stops working."""

from __future__ import annotations

from festival.auth.models import Role, User
from festival.extensions import db
from tests.helpers.api import bearer
from tests.helpers.mail import link_in


def test_an_admin_invites_a_facilitator_who_chooses_a_password(smtp_server, login_as, make_client):
    admin = login_as(Role.ADMIN)
    page = admin.get("/equipe/comptes").get_data(as_text=True)
    assert "Inviter quelqu'un" in page and 'href="/equipe/comptes"' in page  # in the menu
    admin.post_form(
        "/equipe/comptes/inviter",
        {
            "display_name": "Camille Roux",
            "email": "camille@mediatheque.example",
            "role": "facilitator",
        },
        token_page="/equipe/comptes",
    )
    (message,) = smtp_server.to("camille@mediatheque.example")
    assert message["Subject"] == "Votre compte sur la plateforme du festival"
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "comme Intervenant·e" in text and "valable 7 jours" in text
    assert "invitation envoyée" in admin.get("/equipe/comptes").get_data(as_text=True)
    camille = make_client()
    path = link_in(message, "/connexion/nouveau-mot-de-passe/")
    done = camille.post_form(
        path,
        {"password": "lumière du soir 2027", "confirm": "lumière du soir 2027"},
        token_page=path,
        follow_redirects=True,
    )
    assert "Mot de passe enregistré" in done.get_data(as_text=True)
    assert "Mes ateliers" in done.get_data(as_text=True)  # signed in, facilitator's menu


def test_roles_change_and_a_deactivated_account_loses_its_api_token(
    client, login_as, make_user, edition
):
    juror = make_user(Role.JURY)
    token = bearer(client, juror)
    assert client.get("/api/v1/films", headers=token).status_code == 200
    admin = login_as(Role.ADMIN)
    admin.post_form(
        f"/equipe/comptes/{juror.id}/role", {"role": "staff"}, token_page="/equipe/comptes"
    )
    db.session.refresh(juror)
    assert juror.role == Role.STAFF
    admin.post_form(
        f"/equipe/comptes/{juror.id}/activation", {"enabled": "0"}, token_page="/equipe/comptes"
    )
    assert client.get("/api/v1/films", headers=token).status_code == 401
    assert "désactivé" in admin.get("/equipe/comptes").get_data(as_text=True)


def test_only_admins_manage_accounts_and_never_lock_themselves_out(login_as):
    for role in (Role.STAFF, Role.FACILITATOR, Role.JURY):
        assert login_as(role).get("/equipe/comptes").status_code == 403
    admin = login_as(Role.ADMIN)
    me = db.session.query(User).filter_by(role=Role.ADMIN).one()
    answer = admin.post_form(
        f"/equipe/comptes/{me.id}/role",
        {"role": "staff"},
        token_page="/equipe/comptes",
        follow_redirects=True,
    )
    assert "votre propre rôle" in answer.get_data(as_text=True)
    answer = admin.post_form(
        f"/equipe/comptes/{me.id}/activation",
        {"enabled": "0"},
        token_page="/equipe/comptes",
        follow_redirects=True,
    )
    assert "votre propre compte" in answer.get_data(as_text=True)
    db.session.refresh(me)
    assert me.role == Role.ADMIN and me.is_enabled
