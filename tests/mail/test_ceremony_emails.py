"""The invitation to the ceremony and the palmarès, as teens and guardians receive them."""

from __future__ import annotations

import html

from festival.auth.models import Role
from festival.awards import jury, palmares, prizes
from festival.extensions import db
from festival.workshops.models import Attendance, AttendanceStatus
from tests.helpers import ceremony_started
from tests.helpers.mail import link_in, text_of

BUILDER = "/equipe/programme"


def _invitations(smtp_server, address):
    return [m for m in smtp_server.to(address) if m["Subject"].startswith("Invitation")]


def test_staff_invite_everyone_with_the_programme_and_the_calendar(
    smtp_server, edition, published_ceremony, make_participant, login_as, client
):
    (film,) = published_ceremony("Brume")
    director = film.members[0].participant
    make_participant(
        first_name="Camille",
        email="camille@example.org",
        age=15,
        guardian_email="parent.camille@example.org",
    )
    edition.mail_from = "festival@mediatheque.example"
    db.session.commit()
    staff = login_as(Role.STAFF)
    page = staff.get(BUILDER).get_data(as_text=True)
    assert "Envoyer les invitations" in page
    response = staff.post_form(f"{BUILDER}/invitations", {}, token_page=BUILDER)
    assert response.status_code == 302
    (invitation,) = _invitations(smtp_server, director.email)
    assert invitation["Subject"] == "Invitation : la cérémonie de remise des prix – Édition de test"
    assert invitation["From"] == "Édition de test <festival@mediatheque.example>"
    body = text_of(invitation)
    assert "Lieu : Auditorium." in body
    assert "« Brume » sera projeté vers" in body  # her own film's time
    assert client.get(link_in(invitation, "/programme")).status_code == 200
    (attachment,) = list(invitation.iter_attachments())
    assert attachment.get_filename() == f"ceremonie-{edition.year}.ics"
    ics = attachment.get_content()
    assert "BEGIN:VEVENT" in (ics.decode() if isinstance(ics, bytes) else ics)
    # A friend in no film, and her guardian (she is a minor), are invited too.
    (camille,) = _invitations(smtp_server, "camille@example.org")
    assert "sera projeté" not in text_of(camille)
    assert _invitations(smtp_server, "parent.camille@example.org")
    page = staff.get(BUILDER).get_data(as_text=True)
    assert "invitations envoyées, la dernière le" in page
    # A second round needs the box ticked: a double click sends nothing twice.
    staff.post_form(f"{BUILDER}/invitations", {}, token_page=BUILDER)
    assert "cochez la case" in staff.get(BUILDER).get_data(as_text=True)
    assert len(_invitations(smtp_server, director.email)) == 1
    staff.post_form(f"{BUILDER}/invitations", {"again": "1"}, token_page=BUILDER)
    assert len(_invitations(smtp_server, director.email)) == 2


def test_no_invitation_before_the_programme_is_public(smtp_server, edition, login_as, block):
    staff = login_as(Role.STAFF)
    assert "Publiez d'abord le programme" in staff.get(BUILDER).get_data(as_text=True)
    staff.post_form(f"{BUILDER}/invitations", {}, token_page=BUILDER)
    assert not [m for m in smtp_server.messages if m["Subject"].startswith("Invitation")]


def test_the_palmares_is_told_once_with_the_teams_prizes(
    smtp_server, edition, published_ceremony, make_participant, client
):
    winner, other = published_ceremony("Aube", "Brume")
    db.session.add(
        Attendance(
            workshop=edition.workshops[0],
            participant=winner.members[0].participant,
            status=AttendanceStatus.PRESENT,
        )
    )
    grand_prize = prizes.awards_of(edition)[0]
    jury.assign_award(grand_prize, winner)
    jury.close_deliberation(edition)
    ceremony_started(edition)
    palmares.publish_palmares(edition)
    db.session.commit()
    won = smtp_server.to(winner.members[0].participant.email)
    (message,) = [m for m in won if m["Subject"] == "Palmarès – Édition de test"]
    assert f"Bravo : « Aube » reçoit « {grand_prize.name} »." in text_of(message)
    assert "/mon-espace" in text_of(message)  # her certificate: she came to a workshop
    assert client.get(link_in(message, "/palmares/")).status_code == 200
    (plain,) = [
        m for m in smtp_server.to(other.members[0].participant.email) if "Palmarès" in m["Subject"]
    ]
    # No workshop attended: no certificate to announce.
    assert "Bravo" not in text_of(plain) and "attestation" not in text_of(plain)
    # Unpublished to fix a typo, then published again: nobody hears of it twice.
    palmares.publish_palmares(edition, published=False)
    palmares.publish_palmares(edition)
    db.session.commit()
    again = smtp_server.to(winner.members[0].participant.email)
    assert len([m for m in again if "Palmarès" in m["Subject"]]) == 1


def test_the_palmares_cannot_go_out_before_the_ceremony(
    smtp_server, edition, published_ceremony, login_as, client
):
    """Staff prepare and preview it; publishing (and its emails) waits for the start time."""
    winner, _other = published_ceremony("Aube", "Brume")
    jury.assign_award(prizes.awards_of(edition)[0], winner)
    jury.close_deliberation(edition)
    db.session.commit()
    staff = login_as(Role.STAFF)
    admin = html.unescape(staff.get("/equipe/prix").get_data(as_text=True))
    assert "La publication s'ouvre au début de la cérémonie" in admin
    refused = staff.post_form(
        "/equipe/prix/palmares", {"action": "publish"}, token_page="/equipe/prix"
    )
    answer = html.unescape(staff.get(refused.location).get_data(as_text=True))
    assert "ne peut être publié qu'à partir du début de la cérémonie" in answer
    assert not palmares.is_palmares_published(edition)
    assert not [m for m in smtp_server.messages if "Palmarès" in m["Subject"]]
    assert client.get(f"/palmares/{edition.year}").status_code == 404
    preview = html.unescape(staff.get(f"/palmares/{edition.year}").get_data(as_text=True))
    assert "Aperçu réservé à l'équipe" in preview and "Aube" in preview
    # From the start of the ceremony on, it goes out.
    ceremony_started(edition, minutes_ago=1)
    db.session.commit()
    staff.post_form("/equipe/prix/palmares", {"action": "publish"}, token_page="/equipe/prix")
    assert palmares.is_palmares_published(edition)
    assert [m for m in smtp_server.messages if "Palmarès" in m["Subject"]]
