"""What the platform holds on a person: export, erasure, and the purge after retention."""

from __future__ import annotations

import calendar
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from festival.caching import forget_public_pages_after_commit
from festival.clock import utcnow
from festival.editions.models import Edition
from festival.extensions import db
from festival.people.age import participant_age
from festival.people.models import (
    PERSONAL_FIELDS,
    Participant,
    ParticipantStatus,
)
from festival.people.registration import fill_free_places

# Other domains (films…) add what they hold on a participant: people knows nothing of them.
ExportSection = Callable[[Participant], tuple[str, Any]]

EXPORT_SECTIONS: list[ExportSection] = []


def register_export_section(section: ExportSection) -> ExportSection:
    """Add a domain's records to every subject-access export (used as a decorator)."""
    if section not in EXPORT_SECTIONS:
        EXPORT_SECTIONS.append(section)
    return section


def export_participant(participant: Participant) -> dict[str, Any]:
    """Everything the platform holds on one participant, for a subject-access request."""
    exported = _export_people_records(participant)
    for section in EXPORT_SECTIONS:
        name, records = section(participant)
        exported[name] = records
    exported["exported_at"] = utcnow().isoformat()
    return exported


def _export_people_records(participant: Participant) -> dict[str, Any]:
    def iso(value: date | datetime | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "participant": {
            "id": participant.id,
            "edition": participant.edition.year,
            "first_name": participant.first_name,
            "last_name": participant.last_name,
            "birth_date": iso(participant.birth_date),
            "email": participant.email,
            "email_confirmed_at": iso(participant.email_confirmed_at),
            "phone": participant.phone,
            "guardian_name": participant.guardian_name,
            "guardian_email": participant.guardian_email,
            "guardian_phone": participant.guardian_phone,
            "status": participant.status.value,
            "registered_online": participant.registered_online,
            "commune": participant.commune,
            "had_library_card": participant.had_library_card,
            "library_card_during_festival": participant.library_card_during_festival,
            "created_at": iso(participant.created_at),
            "confirmed_at": iso(participant.confirmed_at),
        },
        "account": (
            {
                "login": participant.user.login,
                "created_at": iso(participant.user.created_at),
                "last_login_at": iso(participant.user.last_login_at),
            }
            if participant.user
            else None
        ),
        "consents": [
            {
                "kind": c.kind.value,
                "granted": c.granted,
                "given_by": c.given_by.value,
                "channel": c.channel.value,
                "recorded_at": iso(c.recorded_at),
                "recorded_by": c.recorded_by.display_name if c.recorded_by else None,
            }
            for c in participant.consents
        ],
        "attendance": [
            {
                "workshop": a.workshop.number,
                "title": a.workshop.title,
                "date": iso(a.workshop.starts_at),
                "status": a.status.value,
            }
            for a in sorted(participant.attendances, key=lambda a: a.workshop.number)
        ],
    }


def erase_participant(participant: Participant) -> Participant:
    """Erase a participant's personal data; attendance stays, anonymous, for statistics.

    Deletes their account, sign-in codes, tokens and consent records. Frees their place.
    """
    if participant.is_erased:
        return participant
    participant.age_on_reference_date = participant_age(participant)
    was_confirmed = participant.status == ParticipantStatus.CONFIRMED
    user = participant.user
    participant.user = None
    if user is not None:
        db.session.delete(user)
    for name in PERSONAL_FIELDS:
        setattr(participant, name, None)
    participant.consents.clear()
    participant.erased_at = utcnow()
    forget_public_pages_after_commit()  # their name and image leave what visitors see
    if participant.status in (ParticipantStatus.PENDING, ParticipantStatus.WAITLISTED):
        participant.status = ParticipantStatus.WITHDRAWN
    db.session.flush()
    if was_confirmed and participant.edition.is_current:
        # An erased participant keeps their statistics but no longer holds a place.
        participant.status = ParticipantStatus.WITHDRAWN
        db.session.flush()
        fill_free_places(participant.edition)
    return participant


def add_months(moment: datetime, months: int) -> datetime:
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def editions_due_for_purge(now: datetime, retention_months: int) -> list[Edition]:
    editions = db.session.scalars(
        select(Edition).where(Edition.personal_data_purged_at.is_(None)).order_by(Edition.year)
    )
    return [e for e in editions if add_months(e.ceremony_at, retention_months) <= now]


def purge_edition(edition: Edition) -> int:
    """Erase every participant of an edition whose retention period is over."""
    participants = db.session.scalars(
        select(Participant).where(
            Participant.edition_id == edition.id, Participant.erased_at.is_(None)
        )
    ).all()
    for participant in participants:
        erase_participant(participant)
    edition.personal_data_purged_at = utcnow()
    db.session.flush()
    return len(participants)
