"""Returning teens: last season's people registered again without retyping, consents asked
again, by staff from a list or by the teen from her space."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from sqlalchemy import select

from festival.auth.models import Role
from festival.clock import utcnow
from festival.editions.services import create_edition
from festival.extensions import db
from festival.people.guardians import waiting_for_guardian
from festival.people.models import ConsentGiver, ConsentKind, Participant, ParticipantStatus
from tests.helpers import PASSWORD

ANCIENS = "/equipe/participants/anciens"


@pytest.fixture
def last_year(edition):
    previous = create_edition(
        year=edition.year - 1,
        title="Édition précédente",
        starts_on=(utcnow() - timedelta(days=400)).date(),
        ends_on=(utcnow() - timedelta(days=250)).date(),
        ceremony_at=datetime.combine((utcnow() - timedelta(days=260)).date(), time(18)),
        upload_deadline=utcnow() - timedelta(days=280),
        make_current=False,
    )
    db.session.commit()
    return previous


def _born(edition, age):
    """Born so as to be `age` on this edition's reference date."""
    ref = edition.age_reference_date
    return ref.replace(year=ref.year - age) - timedelta(days=30)


def test_staff_register_again_last_years_teen_and_the_guardian_is_asked(
    edition, last_year, make_participant, login_as, smtp_server
):
    mila = make_participant(
        for_edition=last_year,
        first_name="Mila",
        last_name="Roche",
        birth_date=_born(edition, 15),
        guardian_email="sarah.roche@example.org",
        account=True,
    )
    make_participant(for_edition=last_year, first_name="Jules", birth_date=_born(edition, 20))
    already = make_participant(
        for_edition=last_year, first_name="Nora", birth_date=_born(edition, 16)
    )
    make_participant(
        first_name="Nora",
        last_name=already.last_name,
        birth_date=already.birth_date,
        email="nora.new@example.org",
    )
    staff = login_as(Role.STAFF)
    page = staff.get(ANCIENS).get_data(as_text=True)
    assert "Mila Roche" in page and "15 ans" in page
    assert "Jules" not in page and "1 personne des années précédentes a passé l" in page
    assert "Nora" not in page  # already registered this season
    response = staff.post_form(f"{ANCIENS}/{mila.id}/reinscrire", {}, token_page=ANCIENS)
    assert response.status_code == 302
    assert "Le lien des autorisations est envoyé à sarah.roche@example.org" in staff.get(
        ANCIENS
    ).get_data(as_text=True)
    again = db.session.scalar(
        select(Participant).where(
            Participant.edition_id == edition.id, Participant.first_name == "Mila"
        )
    )
    assert again.birth_date == mila.birth_date and again.guardian_name == mila.guardian_name
    assert again.status == ParticipantStatus.PENDING
    assert not any(again.has_consent(kind) for kind in ConsentKind)  # asked again
    assert waiting_for_guardian(again)
    assert any(
        "/autorisation/" in m.get_body(("plain",)).get_content()
        for m in smtp_server.to("sarah.roche@example.org")
    )
    # Her account now opens this season's space.
    db.session.refresh(mila)
    assert mila.user is None and again.user is not None
    # Twice is refused in words, and the list no longer offers her.
    staff.post_form(f"{ANCIENS}/{mila.id}/reinscrire", {}, token_page=ANCIENS)
    page = staff.get(ANCIENS).get_data(as_text=True)
    assert "Mila Roche est déjà inscrit·e à cette édition." in page
    assert f"/anciens/{mila.id}/reinscrire" not in page


def test_a_teen_registers_again_from_her_space(
    edition, last_year, make_participant, make_client, smtp_server
):
    lou = make_participant(
        for_edition=last_year,
        first_name="Lou",
        email="lou@example.org",
        birth_date=_born(edition, 16),
        guardian_email="parent.lou@example.org",
        account=True,
    )
    client = make_client()
    client.login("lou@example.org", PASSWORD)
    space = client.get("/mon-espace").get_data(as_text=True)
    assert "on remet ça ?" in space and "/mon-espace/reinscription" in space
    form = client.get("/mon-espace/reinscription").get_data(as_text=True)
    assert "Vos coordonnées de" in form and "parent.lou@example.org" in form
    refused = client.post_form(
        "/mon-espace/reinscription",
        {"consent_screening": "y"},
        token_page="/mon-espace/reinscription",
    )
    assert refused.status_code == 200
    assert "autorisation parentale de participation est nécessaire" in refused.get_data(
        as_text=True
    )
    done = client.post_form(
        "/mon-espace/reinscription",
        {"consent_participation": "y", "consent_screening": "y"},
        token_page="/mon-espace/reinscription",
    )
    assert done.status_code == 302
    space = client.get("/mon-espace").get_data(as_text=True)
    assert "votre inscription à" in space and edition.title in space
    assert "on remet ça ?" not in space
    again = db.session.scalar(select(Participant).where(Participant.edition_id == edition.id))
    assert again.registered_online and again.status == ParticipantStatus.PENDING
    own = again.decisions_of(ConsentGiver.PARTICIPANT)
    assert own[ConsentKind.SCREENING].granted and not own[ConsentKind.ONLINE].granted
    assert not again.has_consent(ConsentKind.SCREENING)  # until her guardian answers
    assert waiting_for_guardian(again)  # her tick is not her guardian's word
    assert smtp_server.to("parent.lou@example.org")
    assert lou.id != again.id


def test_the_space_of_a_teen_now_too_old_offers_nothing(
    edition, last_year, make_participant, make_client
):
    make_participant(
        for_edition=last_year,
        email="ancien@example.org",
        birth_date=_born(edition, 20),
        account=True,
    )
    client = make_client()
    client.login("ancien@example.org", PASSWORD)
    assert "on remet ça ?" not in client.get("/mon-espace").get_data(as_text=True)
    response = client.get("/mon-espace/reinscription")
    assert response.status_code == 302
