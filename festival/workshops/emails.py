"""What the workshops domain writes: the follow-up staff send from « Qui décroche ? » to a
teen who missed workshops, and to the guardian of a minor."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from festival.clock import local_now
from festival.extensions import db
from festival.mail.models import OutgoingEmail
from festival.mail.services import queue_email
from festival.people.emails import recipients
from festival.people.models import Participant
from festival.responses import absolute_url
from festival.workshops.services import participant_progress

FOLLOW_UP = "absence_follow_up"


def send_absence_follow_up(participant: Participant, *, signed: str) -> int:
    """Write to the teen (and the guardian of a minor); returns how many messages left."""
    participant.ensure_not_erased()
    now = local_now().replace(tzinfo=None)
    progress = participant_progress(participant, now)
    upcoming = [w for w in participant.edition.workshops if w.starts_at >= now]
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
            next_workshop=upcoming[0] if upcoming else None,
            signed=signed,
            space_url=absolute_url("people.my_space"),
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
