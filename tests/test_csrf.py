"""Every form refuses a post without its CSRF token, and nothing is stored."""

import pytest
from sqlalchemy import func, select

from festival.auth.models import Role
from festival.extensions import db
from festival.people.models import Participant
from tests.helpers import birth_date_for


def test_public_registration_without_token_is_refused_and_stores_nothing(client, edition):
    response = client.post(
        "/inscription",
        data={
            "first_name": "A",
            "last_name": "B",
            "birth_date": birth_date_for(edition, 15).isoformat(),
            "guardian_name": "C",
            "guardian_phone": "06",
            "consent_participation": "y",
        },
    )
    assert response.status_code == 400
    assert "rechargez la page" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Participant.id))) == 0


def test_sign_in_without_token_is_refused(client, make_user):
    user = make_user(Role.STAFF)
    response = client.post("/connexion", data={"login": user.login, "password": "x"})
    assert response.status_code == 400
    assert client.get("/equipe").status_code == 302


@pytest.mark.parametrize(
    "path",
    [
        "/equipe/participants/{id}/effacer",
        "/equipe/participants/{id}/desinscrire",
        "/equipe/participants/{id}/consentements",
    ],
)
def test_staff_actions_without_token_are_refused(login_as, make_participant, path):
    participant = make_participant()
    staff = login_as(Role.STAFF)
    response = staff.post(path.format(id=participant.id), data={"confirm": "y"})
    assert response.status_code == 400
    db.session.refresh(participant)
    assert not participant.is_erased and participant.status.value == "confirmed"


def test_a_token_from_another_session_is_refused(login_as, make_participant, make_client):
    participant = make_participant()
    staff = login_as(Role.STAFF)
    foreign_token = make_client().csrf_token()
    response = staff.post(
        f"/equipe/participants/{participant.id}/desinscrire", data={"csrf_token": foreign_token}
    )
    assert response.status_code == 400
    db.session.refresh(participant)
    assert participant.status.value == "confirmed"


def test_sign_out_needs_a_post_with_token(login_as):
    staff = login_as(Role.STAFF)
    assert staff.get("/deconnexion").status_code == 405
    staff.post("/deconnexion")
    assert staff.get("/equipe/editions").status_code == 200
    staff.post_form("/deconnexion")
    assert staff.get("/equipe/editions").status_code == 302


def _every_form_address(app) -> list[str]:
    """Every address that takes a POST outside the API, filled with sample values."""
    samples = {"int": 1, "default": "x"}
    addresses = []
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.rule.startswith("/api/"):
            continue
        values = {
            name: samples["int"] if type(converter).__name__.endswith("IntConverter") else "x"
            for name, converter in rule._converters.items()
        }
        addresses.append(rule.build(values, append_unknown=False)[1])
    return sorted(addresses)


# Addresses that take a POST with another proof than the form's token, and why.
NO_FORM_TOKEN = {
    # The signed token in the address is the proof; mail programs post there in one click
    # (RFC 8058), with no page and no cookie. It can only stop optional messages.
    "/courriels/arret/x",
}


def test_every_form_refuses_a_post_without_its_token(app, login_as, make_client, edition):
    """The routes are read from the app: a new form is checked the day it is added."""
    addresses = [a for a in _every_form_address(app) if a not in NO_FORM_TOKEN]
    assert len(addresses) > 30
    for client in (make_client(), login_as(Role.ADMIN)):
        for address in addresses:
            response = client.post(address, data={"confirm": "y"})
            assert response.status_code == 400, (address, response.status_code)
            assert "rechargez la page" in response.get_data(as_text=True), address
