"""What the workshops domain writes: the follow-up staff send from « Qui décroche ? » to a
teen who missed workshops (and the guardian of a minor), and staff's own messages to an
edition's participants or to those of a workshop."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from festival.calendars import ics_calendar
from festival.clock import local_now, utc_from_local
from festival.editions.models import Edition
from festival.errors import ValidationError
from festival.extensions import db
from festival.mail.models import OutgoingEmail
from festival.mail.services import queue_email
from festival.people.emails import recipients
from festival.people.models import Participant, ParticipantStatus
from festival.people.queries import edition_participants
from festival.responses import absolute_url, public_host
from festival.text import single_line
from festival.workshops.exports import workshop_event
from festival.workshops.models import Workshop
from festival.workshops.services import attendance_sheet, next_workshop, participant_progress

FOLLOW_UP = "absence_follow_up"


def send_absence_follow_up(participant: Participant, *, signed: str) -> int:
    """Write to the teen (and the guardian of a minor); returns how many messages left."""
    participant.ensure_not_erased()
    now = local_now()
    progress = participant_progress(participant, now)
    coming = next_workshop(participant.edition, now)
    sent = 0
    for address, greeting in recipients(participant):
        queue_email(
            address,
            FOLLOW_UP,
            language=participant.language,
            first_name=greeting,
            participant_name=participant.first_name,
            missed=progress.missed,
            attended=progress.attended,
            total=progress.total,
            next_workshop=coming,
            signed=signed,
            space_url=absolute_url("people.my_space"),
            edition=participant.edition,
        )
        sent += 1
    db.session.flush()
    return sent


def last_follow_ups(participants: list[Participant]) -> dict[int, datetime]:
    """When each of these people was last written to about absences (by their address)."""
    addresses = {p.email.lower(): p.id for p in participants if p.email}
    if not addresses:
        return {}
    rows = db.session.execute(
        select(OutgoingEmail.to_address, OutgoingEmail.created_at).where(
            OutgoingEmail.kind == FOLLOW_UP
        )
    ).all()
    latest: dict[int, datetime] = {}
    for address, created_at in rows:
        person = addresses.get(address.lower())
        if person is not None and (person not in latest or created_at > latest[person]):
            latest[person] = created_at
    return latest


STAFF_MESSAGE = "staff_message"


def staff_message_recipients(
    edition: Edition, *, workshop: Workshop | None = None, include_guardians: bool = True
) -> list[tuple[str, str, Participant]]:
    """(address, first name to greet, participant): the edition's confirmed participants, or
    those who came to one workshop; with the guardians of minors when asked; each address once."""
    if workshop is None:
        people = edition_participants(edition, status=ParticipantStatus.CONFIRMED)
    else:
        sheet = attendance_sheet(workshop)
        people = [
            p
            for p in edition_participants(edition)
            if sheet.get(p.id) is not None and sheet[p.id].attended
        ]
    found: dict[str, tuple[str, str, Participant]] = {}
    for person in people:
        for address, greeting in recipients(person):
            if address == person.guardian_email and not include_guardians:
                continue
            found.setdefault(address.lower(), (address, greeting, person))
    return list(found.values())


def send_staff_message(
    edition: Edition,
    *,
    subject: str,
    body: str,
    signed: str,
    workshop: Workshop | None = None,
    include_guardians: bool = True,
    important: bool = False,
) -> int:
    """Staff write to everyone of an edition or of a workshop; returns how many messages left
    (an optional message skips the addresses that stopped them, unless marked important)."""
    subject, body = single_line(subject or "", field="subject").strip(), (body or "").strip()
    errors = {}
    if not subject:
        errors["subject"] = _("Donnez un objet au message.")
    if not body:
        errors["body"] = _("Écrivez le message.")
    if errors:
        raise ValidationError(next(iter(errors.values())), fields=errors)
    sent = 0
    targets = staff_message_recipients(
        edition, workshop=workshop, include_guardians=include_guardians
    )
    for address, greeting, person in targets:
        queued = queue_email(
            address,
            STAFF_MESSAGE,
            language=person.language,
            optional=not important,
            subject=subject,
            first_name=greeting,
            paragraphs=[p.strip() for p in body.split("\n\n") if p.strip()],
            signed=signed,
            edition=edition,
        )
        sent += queued is not None
    db.session.flush()
    return sent


REMINDER = "workshop_reminder"
REMINDER_DAYS_AHEAD = 2


def send_workshop_reminders(edition: Edition, today: date) -> int:
    """The teens who asked for it hear of a workshop two days before (once: a second run the
    same day sends nothing more)."""
    day = today + timedelta(days=REMINDER_DAYS_AHEAD)
    workshops = [w for w in edition.workshops if w.starts_at.date() == day]
    if not workshops:
        return 0
    already = set(
        db.session.scalars(
            select(OutgoingEmail.to_address).where(
                OutgoingEmail.kind == REMINDER,
                OutgoingEmail.created_at >= utc_from_local(datetime.combine(today, time())),
            )
        )
    )
    sent = 0
    for person in edition_participants(edition, status=ParticipantStatus.CONFIRMED):
        if not (person.workshop_reminders and person.email) or person.email in already:
            continue
        for workshop in workshops:
            queued = queue_email(
                person.email,
                REMINDER,
                language=person.language,
                optional=True,
                first_name=person.first_name,
                workshop=workshop,
                calendar_url=absolute_url("workshops.calendar_ics"),
                space_url=absolute_url("people.my_space"),
                edition=edition,
                calendar=(
                    f"atelier-{workshop.number}.ics",
                    ics_calendar(
                        edition.title,
                        [workshop_event(workshop)],
                        host=public_host(),
                        stamp=edition.created_at,
                    ),
                ),
            )
            sent += queued is not None
    db.session.flush()
    return sent
