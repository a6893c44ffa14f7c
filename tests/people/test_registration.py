"""Registration at the desk and online: guardians, consents, capacity and waiting list."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from festival.auth.models import Role
from festival.errors import ValidationError
from festival.extensions import db
from festival.people.consents import record_consents
from festival.people.models import ConsentGiver, ConsentKind, Participant, ParticipantStatus
from festival.people.queries import waiting_position
from festival.people.registration import (
    RegistrationData,
    register_participant,
    withdraw_participant,
)
from tests.helpers import birth_date_for

ALL_CONSENTS = {
    ConsentKind.PARTICIPATION: True,
    ConsentKind.SCREENING: True,
    ConsentKind.ONLINE: True,
}


def _data(edition, age=15, **overrides):
    values = dict(
        first_name="Léa",
        last_name="Martin",
        birth_date=birth_date_for(edition, age),
        email="lea@example.org",
        guardian_name="Claire Martin",
        guardian_phone="0600000000",
        consents=dict(ALL_CONSENTS),
    )
    values.update(overrides)
    return RegistrationData(**values)


def test_a_minor_needs_a_guardian_name_and_contact(edition):
    with pytest.raises(ValidationError) as refused:
        register_participant(
            edition, _data(edition, guardian_name="", guardian_phone=""), recorded_by=None
        )
    assert set(refused.value.fields) == {"guardian_name", "guardian_phone"}
    assert "responsable légal" in refused.value.fields["guardian_name"]


def test_an_adult_registers_without_a_guardian_and_gives_consent_alone(edition, make_user):
    staff = make_user(Role.STAFF)
    adult_birth = edition.age_reference_date.replace(year=edition.age_reference_date.year - 19)
    adult_birth -= timedelta(days=200)  # 18 today whatever the date, 19 on the reference day
    participant = register_participant(
        edition,
        _data(edition, birth_date=adult_birth, guardian_name=None, guardian_phone=None),
        recorded_by=staff,
    )
    assert participant.status == ParticipantStatus.CONFIRMED
    assert {c.given_by for c in participant.consents} == {ConsentGiver.PARTICIPANT}


def test_participation_consent_is_required(edition):
    consents = {ConsentKind.PARTICIPATION: False, ConsentKind.SCREENING: True}
    with pytest.raises(ValidationError) as refused:
        register_participant(edition, _data(edition, consents=consents), recorded_by=None)
    assert "consents.participation" in refused.value.fields


def test_three_separate_consents_are_recorded_with_date_and_author(edition, make_user):
    staff = make_user(Role.STAFF)
    consents = {
        ConsentKind.PARTICIPATION: True,
        ConsentKind.SCREENING: True,
        ConsentKind.ONLINE: False,
    }
    participant = register_participant(
        edition, _data(edition, consents=consents), recorded_by=staff
    )
    db.session.commit()
    current = participant.current_consents()
    assert {k: c.granted for k, c in current.items()} == consents
    assert all(c.recorded_by_id == staff.id and c.recorded_at for c in current.values())
    assert all(c.given_by == ConsentGiver.GUARDIAN for c in current.values())

    record_consents(
        participant, {ConsentKind.ONLINE: True, ConsentKind.SCREENING: True}, recorded_by=staff
    )
    db.session.commit()
    assert participant.has_consent(ConsentKind.ONLINE)
    assert len(participant.consents) == 4  # only the change added a row; history is kept


def test_online_registration_waits_for_staff_confirmation(edition, make_user):
    participant = register_participant(edition, _data(edition), recorded_by=None, online=True)
    assert participant.status == ParticipantStatus.PENDING
    assert all(c.recorded_by_id is None for c in participant.consents)


def test_a_full_edition_puts_newcomers_on_a_waiting_list_and_frees_places(
    edition, make_participant
):
    edition.capacity = 2
    db.session.commit()
    first = make_participant()
    make_participant()
    third = make_participant()
    fourth = make_participant()
    assert third.status == fourth.status == ParticipantStatus.WAITLISTED
    assert waiting_position(third) == 1 and waiting_position(fourth) == 2

    promoted = withdraw_participant(first)
    db.session.commit()
    assert promoted == [third]
    assert third.status == ParticipantStatus.CONFIRMED
    assert waiting_position(fourth) == 1


def test_the_same_person_cannot_register_twice(edition):
    register_participant(edition, _data(edition), recorded_by=None)
    with pytest.raises(ValidationError) as refused:
        register_participant(edition, _data(edition, email="other@example.org"), recorded_by=None)
    assert "déjà inscrite" in refused.value.fields["last_name"]


def test_public_form_registers_a_teenager_for_confirmation(client, edition):
    birth = birth_date_for(edition, 15)
    response = client.post_form(
        "/inscription",
        {
            "first_name": "Inès",
            "last_name": "Dubois",
            "birth_date": birth.isoformat(),
            "email": "ines@example.org",
            "guardian_name": "Karim Dubois",
            "guardian_phone": "0611223344",
            "consent_participation": "y",
            "consent_screening": "y",
            "password": "un-bon-mot-de-passe",
        },
        token_page="/inscription",
    )
    assert response.status_code == 200
    assert "Merci Inès" in response.get_data(as_text=True)
    participant = db.session.scalar(select(Participant).where(Participant.first_name == "Inès"))
    assert participant.status == ParticipantStatus.PENDING and participant.registered_online
    assert participant.user.login == "ines@example.org"
    # What she ticked is hers, through the form; her guardian has decided nothing yet.
    own = participant.decisions_of(ConsentGiver.PARTICIPANT)
    assert own[ConsentKind.SCREENING].granted and own[ConsentKind.SCREENING].channel == "form"
    assert own[ConsentKind.ONLINE].granted is False
    assert not any(participant.decisions_of(ConsentGiver.GUARDIAN).values())
    assert not participant.has_consent(ConsentKind.SCREENING)  # the guardian decides it


def test_public_form_explains_a_refused_birth_date_in_french(client, edition):
    too_young = birth_date_for(edition, 13)
    response = client.post_form(
        "/inscription",
        {
            "first_name": "Tom",
            "last_name": "Petit",
            "birth_date": too_young.isoformat(),
            "guardian_name": "P",
            "guardian_phone": "06",
            "consent_participation": "y",
        },
        token_page="/inscription",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "13 ans" in html and "au moins 14 ans" in html
    assert db.session.scalar(select(func.count(Participant.id))) == 0


def test_staff_confirm_an_online_registration(login_as, make_participant):
    participant = make_participant(online=True)
    staff = login_as(Role.STAFF)
    response = staff.post_form(f"/equipe/participants/{participant.id}/confirmer")
    assert response.status_code == 302
    db.session.refresh(participant)
    assert participant.status == ParticipantStatus.CONFIRMED


def test_desk_registration_with_a_printed_code_for_a_teen_without_email(
    login_as, edition, make_client
):
    staff = login_as(Role.STAFF)
    response = staff.post_form(
        "/equipe/participants/nouveau",
        {
            "first_name": "Rayan",
            "last_name": "Moreau",
            "birth_date": birth_date_for(edition, 14).isoformat(),
            "guardian_name": "Fatima Moreau",
            "guardian_phone": "0600000000",
            "consent_participation": "y",
            "account": "code",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<svg" in html
    code = html.split('class="login-code">')[1].split("<")[0]
    assert len(code) == 9 and code[4] == "-"
    assert response.headers["Cache-Control"] == "no-store"

    teen = make_client()
    response = teen.post_form("/connexion/code", {"code": code.lower()})
    assert response.status_code == 302 and response.location.endswith("/compte/mot-de-passe")
    assert teen.get("/mon-espace").status_code == 200

    again = make_client().post_form("/connexion/code", {"code": code})
    assert "n'est pas valable" in again.get_data(as_text=True).replace("&#39;", "'")


def test_qr_link_signs_in_only_after_a_button_press(login_as, make_participant, make_client):
    participant = make_participant()
    staff = login_as(Role.STAFF)
    html = staff.post_form(f"/equipe/participants/{participant.id}/code").get_data(as_text=True)
    code = html.split('class="login-code">')[1].split("<")[0].replace("-", "")
    teen = make_client()
    page = teen.get(f"/connexion/code/{code}")
    assert page.status_code == 200 and "Me connecter" in page.get_data(as_text=True)
    assert teen.get("/mon-espace").status_code == 302  # looking at the link did not sign in
    response = teen.post_form(f"/connexion/code/{code}", token_page=f"/connexion/code/{code}")
    assert response.status_code == 302
    assert teen.get("/mon-espace").status_code == 200
    assert make_client().get(f"/connexion/code/{code}").status_code == 404


def test_the_public_form_warns_when_the_edition_is_full(client, edition, make_participant):
    edition.capacity = 1
    db.session.commit()
    make_participant()
    html = client.get("/inscription").get_data(as_text=True).replace("&#39;", "'")
    assert "liste d'attente" in html


def _public_form(edition, **overrides):
    return {
        "first_name": "Inès",
        "last_name": "Dubois",
        "birth_date": birth_date_for(edition, 15).isoformat(),
        "email": "ines@example.org",
        "guardian_name": "Karim Dubois",
        "guardian_phone": "0611223344",
        "consent_participation": "y",
        "consent_screening": "y",
        "password": "un-bon-mot-de-passe",
        **overrides,
    }


def test_the_form_never_says_who_is_already_registered_but_staff_learn_it(
    make_client, edition, login_as
):
    first = make_client().post_form(
        "/inscription", _public_form(edition), token_page="/inscription"
    )
    again_email = make_client().post_form(
        "/inscription",
        _public_form(edition, first_name="Quelquun", last_name="Dautre"),
        token_page="/inscription",
    )
    again_name = make_client().post_form(
        "/inscription",
        _public_form(edition, email="autre@example.org"),
        token_page="/inscription",
    )

    def page(response, name):
        return response.get_data(as_text=True).replace(name, "NAME")

    assert page(first, "Inès") == page(again_name, "Inès")
    assert page(first, "Inès") == page(again_email, "Quelquun")
    assert db.session.scalar(select(func.count(Participant.id))) == 1
    staff = login_as(Role.STAFF)
    listing = staff.get("/equipe/participants").get_data(as_text=True)
    assert (
        "2 demandes d&#39;inscription en double" in listing
        or "2 demandes d'inscription en double" in listing
    )
    ines = db.session.scalar(select(Participant))
    detail = staff.get(f"/equipe/participants/{ines.id}").get_data(as_text=True)
    assert "même adresse e-mail" in detail and "même nom et même date de naissance" in detail
    assert "en double" not in staff.get("/equipe/participants").get_data(as_text=True)
