"""Online registrations confirm their email address with the link in their first message."""

from __future__ import annotations

from festival.auth.models import Role
from festival.extensions import db
from festival.people.models import ConsentKind
from festival.people.registration import RegistrationData, register_participant, update_participant
from tests.helpers import birth_date_for
from tests.helpers.mail import link_in, text_of


def _online(edition, **fields):
    data = RegistrationData(
        first_name="Yanis",
        last_name="Morel",
        birth_date=birth_date_for(edition, 16),
        email="yanis@example.org",
        guardian_name="Leïla Morel",
        guardian_email="leila@example.org",
        consents={kind: True for kind in ConsentKind},
        **fields,
    )
    participant = register_participant(edition, data, recorded_by=None, online=True)
    db.session.commit()
    return participant


def test_the_teen_confirms_her_address_and_staff_see_it(edition, smtp_server, client, login_as):
    participant = _online(edition)
    (received,) = smtp_server.to("yanis@example.org")
    assert "Confirmez votre adresse e-mail" in text_of(received)
    assert "Confirmer mon adresse e-mail" in received.get_body(("html",)).get_content()
    # The guardian's copy carries no such link: it is the teen's address that is checked.
    guardian_copies = [
        m for m in smtp_server.to("leila@example.org") if "bien reçue" in m["Subject"]
    ]
    assert guardian_copies and "/inscription/adresse/" not in text_of(guardian_copies[0])
    staff = login_as(Role.STAFF)
    detail = f"/equipe/participants/{participant.id}"
    assert "pas encore confirmée" in staff.get(detail).get_data(as_text=True)
    path = link_in(received, "/inscription/adresse/")
    page = client.get(path)
    assert page.status_code == 200
    assert "votre adresse e-mail est confirmée" in page.get_data(as_text=True)
    db.session.refresh(participant)
    assert participant.email_confirmed_at is not None
    assert "confirmée le" in staff.get(detail).get_data(as_text=True)
    assert client.get(path).status_code == 200  # following it twice is harmless


def test_a_forged_or_outdated_link_confirms_nothing(edition, smtp_server, client):
    participant = _online(edition)
    path = link_in(smtp_server.to("yanis@example.org")[0], "/inscription/adresse/")
    forged = client.get(path[:-4] + "AAAA")
    assert forged.status_code == 404 and "Ce lien ne fonctionne plus" in forged.get_data(
        as_text=True
    )
    update_participant(participant, {"email": "yanis.morel@example.org"})
    db.session.commit()
    assert client.get(path).status_code == 404  # sent to the old address
    db.session.refresh(participant)
    assert participant.email_confirmed_at is None


def test_desk_registrations_send_no_confirmation_link(edition, smtp_server, make_participant):
    make_participant(email="desk@example.org")
    (confirmed,) = smtp_server.to("desk@example.org")  # « inscription confirmée »
    assert "/inscription/adresse/" not in text_of(confirmed)
