"""Staff write to all the edition's participants, or to those who came to a workshop."""

from __future__ import annotations

from festival.auth.models import Role
from festival.extensions import db
from festival.mail.services import opt_out
from festival.workshops.models import AttendanceStatus
from festival.workshops.services import save_attendance


def test_staff_write_to_everyone_or_to_one_workshop(
    smtp_server, edition, make_participant, login_as, make_user
):
    lea = make_participant(first_name="Léa", email="lea@example.org")
    hugo = make_participant(first_name="Hugo", email="hugo@example.org")
    lea.guardian_email, hugo.guardian_email = "parent.lea@example.org", "parent.hugo@example.org"
    workshop = edition.workshops[0]
    save_attendance(workshop, {lea.id: AttendanceStatus.PRESENT}, recorded_by=make_user(Role.STAFF))
    opt_out("hugo@example.org")  # Hugo stopped the optional messages
    db.session.commit()
    staff = login_as(Role.STAFF)
    page = staff.get("/equipe/ecrire").get_data(as_text=True)
    assert "4 adresses" in page  # two teens and their guardians
    refused = staff.post_form(
        "/equipe/ecrire", {"subject": "", "body": ""}, token_page="/equipe/ecrire"
    )
    assert "Donnez un objet au message." in refused.get_data(as_text=True)
    staff.post_form(
        "/equipe/ecrire",
        {
            "audience": "edition",
            "subject": "Tournage samedi",
            "body": "Rendez-vous à 14 h.\n\nPensez à charger vos téléphones.",
            "guardians": "1",
        },
        token_page="/equipe/ecrire",
    )
    message = smtp_server.to("lea@example.org")[-1]
    assert message["Subject"] == "Tournage samedi"
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "Bonjour Léa," in text and "Pensez à charger vos téléphones." in text
    assert "Staff Test, pour l'équipe" in text
    assert all(m["Subject"] != "Tournage samedi" for m in smtp_server.to("hugo@example.org"))
    assert smtp_server.to("parent.hugo@example.org")[-1]["Subject"] == "Tournage samedi"
    # Only those who came to workshop 1, without guardians.
    staff.post_form(
        "/equipe/ecrire",
        {
            "audience": f"workshop-{workshop.id}",
            "subject": "Les fichiers de l'atelier 1",
            "body": "Les voici.",
            "guardians": "0",
        },
        token_page=f"/equipe/ecrire?audience=workshop-{workshop.id}",
    )
    subjects = [m["Subject"] for m in smtp_server.messages]
    assert subjects.count("Les fichiers de l'atelier 1") == 1
    assert smtp_server.to("lea@example.org")[-1]["Subject"] == "Les fichiers de l'atelier 1"
