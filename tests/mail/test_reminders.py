"""The morning reminders: a workshop two days ahead for the teens who asked, and the upload
deadline for teams without a valid film (a week and two days before)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from festival.clock import local_today
from festival.extensions import db
from festival.films.emails import send_deadline_reminders
from festival.films.tasks import remind_upload_deadline
from festival.workshops.emails import send_workshop_reminders
from festival.workshops.tasks import remind_workshops
from tests.helpers.mail import text_of


def test_a_teen_who_asked_hears_of_the_workshop_two_days_before(
    smtp_server, edition, make_participant, login_as
):
    asked = make_participant(first_name="Léa", email="lea@example.org", account=True)
    make_participant(first_name="Hugo", email="hugo@example.org")  # did not ask
    workshop = edition.workshops[6]
    workshop.starts_at = datetime.combine(local_today() + timedelta(days=2), time(14, 0))
    workshop.room = "Salle multimédia"
    edition.mail_from = "festival@mediatheque.example"
    db.session.commit()
    space = login_as(asked.user)
    assert "Recevoir les rappels" in space.get("/mon-espace").get_data(as_text=True)
    space.post_form("/mon-espace/rappels", {"wanted": "1"}, token_page="/mon-espace")
    assert remind_workshops.call_local() == 1
    message = smtp_server.to("lea@example.org")[-1]
    assert message["Subject"] == "Rappel : atelier 7 dans deux jours"
    assert "Salle : Salle multimédia." in text_of(message)
    assert "/ateliers/calendrier.ics" in text_of(message)
    # From the edition's own address, with the workshop for the teen's calendar attached.
    assert message["From"] == "Édition de test <festival@mediatheque.example>"
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_filename() == "atelier-7.ics"
    ics = attachment.get_content()
    ics = ics.decode() if isinstance(ics, bytes) else ics
    assert ics.count("BEGIN:VEVENT") == 1 and "LOCATION:Salle multimédia" in ics
    assert f"UID:workshop-{workshop.id}@" in ics  # the same event as in the whole calendar
    assert all("Rappel" not in m["Subject"] for m in smtp_server.to("hugo@example.org"))
    # The job run again the same morning (a restart) sends nothing twice.
    assert send_workshop_reminders(edition, local_today()) == 0
    space.post_form("/mon-espace/rappels", {"wanted": "0"}, token_page="/mon-espace")
    db.session.refresh(asked)
    assert not asked.workshop_reminders


def test_teams_without_a_valid_film_hear_of_the_deadline(smtp_server, edition, team, film):
    edition.upload_deadline = datetime.combine(local_today() + timedelta(days=7), time(23, 59))
    db.session.commit()
    assert remind_upload_deadline.call_local() == 2  # the director and the editor
    message = smtp_server.to(team[0].email)[-1]
    assert message["Subject"] == "« La nuit des chats » : plus que 7 jours pour envoyer le film"
    assert f"/films/{film.id}" in text_of(message)
    assert send_deadline_reminders(edition, local_today() + timedelta(days=1)) == 0  # 6 days


def test_a_reminder_sent_just_after_midnight_is_not_sent_again_that_day(
    smtp_server, edition, make_participant, monkeypatch
):
    """At 00:30 in Paris it is still the day before in UTC, where the sent mail is stamped:
    a second run that morning must still find it."""
    from datetime import UTC

    import festival.clock

    instant = datetime(2026, 12, 1, 23, 30, tzinfo=UTC)  # 00:30 on 2 December in Paris

    class Frozen(datetime):
        @classmethod
        def now(cls, tz=None):
            return instant.astimezone(tz) if tz else instant.replace(tzinfo=None)

    monkeypatch.setattr(festival.clock, "datetime", Frozen)
    asked = make_participant(first_name="Léa", email="lea@example.org", account=True)
    asked.workshop_reminders = True
    today = local_today()
    assert str(today) == "2026-12-02"
    edition.workshops[6].starts_at = datetime.combine(today + timedelta(days=2), time(14, 0))
    db.session.commit()
    assert send_workshop_reminders(edition, today) == 1
    db.session.commit()
    assert send_workshop_reminders(edition, today) == 0
