"""The audience's ballot in the browser's HTML, the cards, the projection, the public palmarès
and the certificates."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from festival.auth.models import Role
from festival.awards import jury, palmares, prizes, vote
from festival.awards.models import VoteStatus
from festival.extensions import db
from festival.workshops.models import Attendance, AttendanceStatus
from tests.helpers import ceremony_started, edition_certificates

PRESENT = AttendanceStatus.PRESENT


@pytest.fixture
def ceremony(edition, published_ceremony):
    films = published_ceremony("Aube", "Brume")
    codes = vote.generate_codes(edition, 3)
    db.session.commit()
    return films, codes


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_a_card_opens_the_ballot_with_its_code_and_votes_once(client, edition, ceremony):
    films, codes = ceremony
    page = client.get(f"/vote/{codes[0]}").get_data(as_text=True)
    assert "pas encore ouvert" in page and f"{codes[0][:4]}-{codes[0][4:]}" in page
    vote.set_vote_status(edition, VoteStatus.OPEN)
    db.session.commit()
    page = client.get(f"/vote/{codes[0].lower()}").get_data(as_text=True)
    assert "Aube" in page and "Brume" in page and "À rejeter" in page
    incomplete = client.post_form(
        f"/vote/{codes[0]}", {f"grade-{films[0].id}": "bien"}, token_page=f"/vote/{codes[0]}"
    )
    assert incomplete.status_code == 422
    html = incomplete.get_data(as_text=True)
    assert "Donnez une mention au film « Brume »" in html and 'value="bien" checked' in html
    grades = {
        f"grade-{films[0].id}": "bien",
        f"grade-{films[1].id}": "excellent",
        "csrf_token": client.csrf_token(f"/vote/{codes[0]}"),
    }
    done = client.post_form(f"/vote/{codes[0]}", grades)
    assert done.status_code == 201 and "Votre vote est enregistré" in done.get_data(as_text=True)
    again = client.post_form(f"/vote/{codes[0]}", grades)  # the phone sends it twice
    assert again.status_code == 409 and "déjà voté" in again.get_data(as_text=True)
    assert "déjà voté" in client.get(f"/vote/{codes[0]}").get_data(as_text=True)
    unknown = client.get("/vote/NOPE2222")
    assert unknown.status_code == 302 and unknown.location.endswith("/vote")
    assert client.get("/vote?code=abcd-efgh").location.endswith("/vote/ABCDEFGH")


def test_staff_print_cards_with_a_qr_code_per_code(app, login_as, edition, ceremony):
    app.config["PUBLIC_URL"] = "https://festival.mediatheque.example"
    staff = login_as(Role.STAFF)
    response = staff.post_form("/equipe/prix/cartes", {"count": "10"}, token_page="/equipe/prix")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    assert len(reader.pages) == 2  # eight cards a page
    text = _text(response.data)
    assert text.count("Prix du public") == 10 and "Un seul vote par carte." in text
    # For a phone that cannot scan: the short address to type, and the code, on every card.
    assert text.count("festival.mediatheque.example/vote") == 10
    assert "https://" not in text
    codes = re.findall(r"\b[A-Z2-9]{4}-[A-Z2-9]{4}\b", text)
    assert len(set(codes)) == 10
    assert vote.codes_count(edition) == 13
    refused = staff.post_form("/equipe/prix/cartes", {"count": "0"}, token_page="/equipe/prix")
    assert refused.status_code == 302
    assert "entre 1 et 2000" in staff.get("/equipe/prix").get_data(as_text=True)


def test_the_projection_shows_the_qr_code_then_the_results_and_the_envelopes(
    login_as, edition, ceremony
):
    films, codes = ceremony
    staff = login_as(Role.STAFF)
    opened = staff.post_form(
        "/equipe/prix/vote", {"status": "open", "back": "projection"}, token_page="/equipe/prix"
    )
    assert opened.location.endswith("/equipe/prix/projection")
    screen = staff.get("/equipe/prix/projection").get_data(as_text=True)
    assert "<svg" in screen and "/vote" in screen and "Votez !" in screen
    vote.cast_ballot(codes[0], {str(films[0].id): "bien", str(films[1].id): "excellent"})
    assert staff.get("/equipe/prix/projection/etat.json").json == {"status": "open", "ballots": 1}
    staff.post_form("/equipe/prix/vote", {"status": "closed"}, token_page="/equipe/prix")
    screen = staff.get("/equipe/prix/projection").get_data(as_text=True)
    assert "Vote du public : 1 votes" in screen and "merit-bar" in screen
    # The audience prize went to the winner: its envelope is there, the film hidden at first.
    assert "Prix du public" in screen and "data-envelope-film hidden" in screen


def test_the_palmares_is_public_only_once_published(client, login_as, edition, ceremony):
    films, _codes = ceremony
    award = prizes.awards_of(edition)[0]
    jury.assign_award(award, films[1], mention="Pour son audace.")
    db.session.commit()
    assert client.get(f"/palmares/{edition.year}").status_code == 404
    assert "Palmarès" not in client.get("/programme").get_data(as_text=True)
    with pytest.raises(Exception, match="délibération"):
        ceremony_started(edition)
        palmares.publish_palmares(edition)
    db.session.rollback()
    jury.close_deliberation(edition)
    ceremony_started(edition)
    palmares.publish_palmares(edition)
    db.session.commit()
    page = client.get(f"/palmares/{edition.year}").get_data(as_text=True)
    assert "Grand prix du jury" in page and "Brume" in page and "Pour son audace." in page
    assert "Secretnom" not in page  # first name and initial only
    lineup = client.get("/programme").get_data(as_text=True)
    assert "Palmarès" in lineup and '"award": ["Grand prix du jury"]' in lineup


def _came_to(workshop, *people) -> None:
    for person in people:
        db.session.add(Attendance(workshop=workshop, participant=person, status=PRESENT))
    db.session.commit()


def test_certificates_for_the_teen_and_for_staff(login_as, edition, ceremony, make_participant):
    films, _codes = ceremony
    director = films[1].members[0].participant
    _came_to(edition.workshops[0], director)
    jury.assign_award(prizes.awards_of(edition)[0], films[1])
    db.session.commit()
    staff = login_as(Role.STAFF)
    printed = staff.get(f"/equipe/participants/{director.id}/attestation.pdf")
    text = _text(printed.data)
    assert "Attestation de participation" in text and director.full_name in text
    assert "atelier de cinéma sur 10" in text and "« Brume »" in text
    assert "Grand prix du jury" in text  # staff print the diplomas before the ceremony
    everyone = _text(edition_certificates(staff))
    assert everyone.count("Attestation de participation") == 1  # only who came
    teen = make_participant(account=True, first_name="Léa", last_name="Martin")
    client = login_as(teen.user)
    refused = client.get("/mon-espace/attestation.pdf")
    assert refused.status_code == 302  # no workshop attended yet: no certificate
    assert "dès votre premier atelier suivi" in client.get("/mon-espace").get_data(as_text=True)
    _came_to(edition.workshops[1], teen)
    mine = client.get("/mon-espace/attestation.pdf")
    assert mine.headers["Cache-Control"] == "private, no-store"
    assert "Léa Martin" in _text(mine.data) and "Grand prix" not in _text(mine.data)
