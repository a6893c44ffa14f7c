"""The guardian's consent, online: the link by email, the page, the answer recorded as given
online with the date and the link, staff who see it, and a later withdrawal."""

from __future__ import annotations

from festival.auth.models import Role
from festival.extensions import db
from festival.people.guardians import waiting_for_guardian
from festival.people.models import ConsentKind
from festival.people.registration import RegistrationData, register_participant
from tests.helpers import birth_date_for
from tests.helpers.mail import link_in


def _register_online(edition, age=15):
    data = RegistrationData(
        first_name="Inès",
        last_name="Dubois",
        birth_date=birth_date_for(edition, age),
        email="ines@example.org",
        guardian_name="Karima Dubois",
        guardian_email="karima@example.org",
        consents={kind: True for kind in ConsentKind},
    )
    participant = register_participant(edition, data, recorded_by=None, online=True)
    db.session.commit()
    return participant


def _answer(client, path, **choices):
    form = {f"consent_{kind}": value for kind, value in choices.items()}
    return client.post_form(path, form, token_page=path)


def test_the_guardian_answers_online_and_staff_see_it(smtp_server, edition, client, login_as):
    participant = _register_online(edition)
    assert waiting_for_guardian(participant)
    staff = login_as(Role.STAFF)
    page = staff.get(f"/equipe/participants/{participant.id}").get_data(as_text=True)
    assert "En attente du ou de la responsable" in page
    (request,) = [
        m for m in smtp_server.to("karima@example.org") if "votre réponse" in m["Subject"]
    ]
    assert request["Subject"] == "Autorisations pour Inès : votre réponse"
    path = link_in(request, "/autorisation/")
    form = client.get(path).get_data(as_text=True)
    assert "Comme responsable légal·e, vous décidez de trois choses" in form
    assert "pendant un an après la cérémonie" in form  # where, for how long, optional
    incomplete = _answer(client, path, participation="yes")
    assert incomplete.status_code == 422 and "Choisissez oui ou non." in incomplete.get_data(
        as_text=True
    )
    done = _answer(client, path, participation="yes", screening="yes", online="no")
    assert "Merci, votre réponse est enregistrée" in done.get_data(as_text=True)
    db.session.expire_all()
    assert not waiting_for_guardian(participant)
    consents = participant.current_consents()
    assert consents[ConsentKind.ONLINE].granted is False
    assert consents[ConsentKind.PARTICIPATION].guardian_link.sent_to == "karima@example.org"
    page = staff.get(f"/equipe/participants/{participant.id}").get_data(as_text=True)
    assert "en ligne, par le lien envoyé par e-mail (karima@example.org)" in page
    assert "En attente du ou de la responsable" not in page
    # Single use: the same link does not work twice.
    assert client.get(path).status_code == 410
    recorded = smtp_server.to("karima@example.org")[-1]
    assert recorded["Subject"] == "Votre réponse pour Inès est enregistrée"
    assert (
        "Droit à l'image : publication en ligne : refusée"
        in recorded.get_body(preferencelist=("plain",)).get_content()
    )


def test_the_guardian_withdraws_online_publication_later(smtp_server, edition, client):
    participant = _register_online(edition)
    first = link_in(smtp_server.to("karima@example.org")[-1], "/autorisation/")
    _answer(client, first, participation="yes", screening="yes", online="yes")
    later = link_in(smtp_server.to("karima@example.org")[-1], "/autorisation/")
    assert later != first
    _answer(client, later, participation="yes", screening="yes", online="no")
    db.session.expire_all()
    assert not participant.has_consent(ConsentKind.ONLINE)
    assert participant.has_consent(ConsentKind.SCREENING)


def test_staff_send_the_link_again_and_only_the_latest_works(
    smtp_server, edition, client, login_as
):
    participant = _register_online(edition)
    old = link_in(smtp_server.to("karima@example.org")[-1], "/autorisation/")
    staff = login_as(Role.STAFF)
    page = f"/equipe/participants/{participant.id}"
    staff.post_form(f"{page}/lien-responsable", {}, token_page=page)
    new = link_in(smtp_server.to("karima@example.org")[-1], "/autorisation/")
    assert client.get(old).status_code == 410
    assert client.get(new).status_code == 200
    assert client.get("/autorisation/not-a-real-token").status_code == 410


def test_an_adult_needs_no_guardian(smtp_server, edition):
    participant = _register_online(edition, age=19)
    assert not waiting_for_guardian(participant)
    assert smtp_server.to("karima@example.org") == []
