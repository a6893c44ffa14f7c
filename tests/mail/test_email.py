"""Messages through a real SMTP server: what a teen and a guardian receive when a registration
arrives, is confirmed or leaves the waiting list; the link that stops the optional ones; a
failed send that staff see and send again."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from festival.auth.models import Role
from festival.editions.models import Edition
from festival.extensions import db
from festival.mail.models import EmailStatus, OutgoingEmail
from festival.mail.services import queue_email
from festival.mail.tasks import send_email, send_stalled_emails
from festival.people.models import ConsentKind
from festival.people.registration import (
    RegistrationData,
    register_participant,
    withdraw_participant,
)
from tests.helpers import birth_date_for


def _register(edition: Edition, *, age: int, online: bool, language: str = "fr", **extra):
    data = RegistrationData(
        first_name=extra.pop("first_name", "Inès"),
        last_name=extra.pop("last_name", "Dubois"),
        birth_date=birth_date_for(edition, age),
        email=extra.pop("email", "ines@example.org"),
        guardian_name="Karima Dubois",
        guardian_email="karima@example.org",
        consents={kind: True for kind in ConsentKind},
        language=language,
        **extra,
    )
    participant = register_participant(edition, data, recorded_by=None, online=online)
    db.session.commit()
    return participant


def _text(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def _html(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def test_an_online_registration_of_a_minor_reaches_the_teen_and_the_guardian(
    smtp_server, edition, client
):
    _register(edition, age=15, online=True)
    teen, guardian = smtp_server.to("ines@example.org"), smtp_server.to("karima@example.org")
    # The guardian also gets the consent link (tests/mail/test_guardian_consent.py).
    assert len(teen) == 1 and len(guardian) == 2
    message = teen[0]
    assert message["Subject"] == "Votre inscription au festival est bien reçue"
    assert "Un Trait Amateur" in message["From"]
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = _text(message)
    assert "Bonjour Inès," in text and "Nous avons bien reçu l'inscription de Inès" in text
    assert "L'équipe de la médiathèque va la vérifier" in text
    assert "Bonjour Karima Dubois," in _text(guardian[0])
    assert "<p>Bonjour Inès,</p>" in _html(message)
    # The link in the message works: it stops the optional messages, not the necessary ones.
    stop = re.search(r"https?://\S+/courriels/arret/\S+", text).group(0)
    assert message["List-Unsubscribe"] == f"<{stop}>"
    path = stop.split("://", 1)[1].split("/", 1)[1]
    assert "ne recevra plus les rappels" in client.get(f"/{path}").get_data(as_text=True)
    assert client.post(f"/{path}", data="List-Unsubscribe=One-Click").status_code == 200
    assert queue_email("ines@example.org", "registration_received", optional=True) is None
    assert (
        queue_email(
            "ines@example.org",
            "registration_received",
            waiting_position=None,
            first_name="Inès",
            participant_name="Inès",
            edition_title="x",
            edition_url="/",
        )
        is not None
    )
    assert client.get("/courriels/arret/forged-token").status_code == 404


def test_messages_speak_the_language_the_form_was_filled_in(smtp_server, edition):
    _register(edition, age=19, online=True, language="en", email="sam@example.org")
    (message,) = smtp_server.to("sam@example.org")
    assert message["Subject"] == "Your registration for the festival has been received"
    assert "Hello Inès," in _text(message)


def test_confirmed_waiting_and_a_place_freed(smtp_server, edition):
    edition.capacity = 1
    db.session.commit()
    first = _register(edition, age=17, online=False, email="lea@example.org", first_name="Léa")
    second = _register(edition, age=17, online=False, email="hugo@example.org", first_name="Hugo")
    assert "Inscription confirmée" in smtp_server.to("lea@example.org")[0]["Subject"]
    waiting = _text(smtp_server.to("hugo@example.org")[0])
    assert "liste d'attente, en position 1" in waiting
    withdraw_participant(first)
    db.session.commit()
    freed = smtp_server.to("hugo@example.org")[-1]
    assert freed["Subject"] == "Une place s'est libérée : l'inscription est confirmée"
    assert "/mon-espace" in _text(freed)
    assert second.status.value == "confirmed"


def test_a_message_that_cannot_leave_is_kept_and_staff_send_it_again(
    app, smtp_server, edition, login_as
):
    working_url = app.config["MAIL_URL"]
    app.config["MAIL_URL"] = "smtp://127.0.0.1:9"  # nothing listens: refused at once
    from festival.mail.transport import init_mail

    init_mail(app)
    participant = _register(edition, age=18, online=True, email="nora@example.org")
    email = db.session.query(OutgoingEmail).filter_by(to_address="nora@example.org").one()
    assert email.status == EmailStatus.QUEUED and "ConnectionRefused" in email.last_error
    send_email.call_local(email.id)  # the last of the retries
    db.session.expire_all()
    assert email.status == EmailStatus.FAILED and email.attempts == 2
    assert participant.status.value == "pending"  # the registration itself went through
    staff = login_as(Role.STAFF)
    page = staff.get("/equipe/courriels").get_data(as_text=True)
    assert "n'ont pas pu partir" in page and "nora@example.org" in page
    detail = staff.get(f"/equipe/courriels/{email.id}").get_data(as_text=True)
    assert "ConnectionRefused" in detail and "Nous avons bien reçu" in detail
    assert login_as(Role.JURY).get(f"/equipe/courriels/{email.id}").status_code == 403
    app.config["MAIL_URL"] = working_url
    init_mail(app)
    staff.post_form(f"/equipe/courriels/{email.id}/renvoyer", {}, token_page="/equipe/courriels")
    db.session.expire_all()
    assert email.status == EmailStatus.SENT and len(smtp_server.to("nora@example.org")) == 1


def test_without_a_mail_server_messages_are_written_to_the_outbox(app, edition, tmp_path):
    _register(edition, age=19, online=True, email="zoe@example.org")
    files = list((tmp_path / "outbox").glob("*.eml"))
    assert len(files) == 1 and b"zoe@example.org" in files[0].read_bytes()
    assert date.today()  # the file is named by date and id, sortable in a folder


def test_a_message_whose_job_was_lost_leaves_with_the_next_sweep(smtp_server, edition, monkeypatch):
    """The queue was down when the registration committed: the page went on, the message
    stayed queued, and the periodic sweep sends it once the queue is back."""

    def queue_down(email_id):
        raise ConnectionError("Redis is not answering")

    monkeypatch.setattr("festival.mail.services.send_email", queue_down)
    _register(edition, age=18, online=True, email="sami@example.org")
    monkeypatch.undo()
    email = db.session.query(OutgoingEmail).filter_by(to_address="sami@example.org").one()
    assert email.status == EmailStatus.QUEUED and not smtp_server.to("sami@example.org")
    assert send_stalled_emails.call_local() == 0  # too young to be called stalled
    email.created_at -= timedelta(minutes=20)
    db.session.commit()
    assert send_stalled_emails.call_local() == 1
    db.session.expire_all()
    assert email.status == EmailStatus.SENT and len(smtp_server.to("sami@example.org")) == 1
    assert send_stalled_emails.call_local() == 0  # sent: never twice


def test_staff_read_when_a_message_left_in_the_festivals_time(edition, login_as):
    """Moments are stored in UTC; staff read them as the wall clock in Paris says."""
    email = queue_email("ana@example.org", "registration_confirmed", **_confirmed_context(edition))
    email.created_at = datetime(2026, 11, 23, 16, 1)  # 17:01 in Paris (UTC+1 in winter)
    db.session.commit()
    staff = login_as(Role.STAFF)
    assert "23 nov. 17:01" in staff.get("/equipe/courriels").get_data(as_text=True)
    detail = staff.get(f"/equipe/courriels/{email.id}").get_data(as_text=True)
    assert "lundi 23 novembre 2026, 17:01" in detail


def _confirmed_context(edition):
    return {
        "first_name": "Ana",
        "participant_name": "Ana",
        "edition_title": edition.title,
        "edition_url": "http://localhost/",
        "space_url": "http://localhost/mon-espace",
        "first_workshop": None,
    }
