"""From « Qui décroche ? », staff write to a teen who missed workshops, and to the guardian of
a minor; the dashboard says when it was done."""

from __future__ import annotations

from festival.auth.models import Role
from festival.clock import local_now
from festival.extensions import db
from festival.workshops.models import AttendanceStatus
from festival.workshops.services import save_attendance


def test_staff_take_news_of_a_teen_who_drops_out(
    smtp_server, edition, make_participant, login_as, make_user
):
    teen = make_participant(first_name="Nathan", email="nathan@example.org")
    teen.guardian_email = "parent.nathan@example.org"
    recorder = make_user(Role.STAFF)
    held = [w for w in edition.workshops if w.has_started(local_now())]
    for workshop in held[:3]:
        save_attendance(workshop, {teen.id: AttendanceStatus.ABSENT}, recorded_by=recorder)
    db.session.commit()
    staff = login_as(Role.STAFF)
    board = staff.get("/equipe").get_data(as_text=True)
    assert "Qui décroche ?" in board and "Prendre des nouvelles par e-mail" in board
    staff.post_form(f"/equipe/participants/{teen.id}/relance", {}, token_page="/equipe")
    to_teen = smtp_server.to("nathan@example.org")[-1]
    assert to_teen["Subject"] == "On ne vous a pas vu·e aux derniers ateliers"
    text = to_teen.get_body(preferencelist=("plain",)).get_content()
    assert "Nathan a manqué 3 ateliers" in text and "Staff Test, pour l'équipe" in text
    to_guardian = smtp_server.to("parent.nathan@example.org")
    assert to_guardian[-1]["Subject"] == to_teen["Subject"]  # a minor: the guardian too
    assert "message envoyé le" in staff.get("/equipe").get_data(as_text=True)
