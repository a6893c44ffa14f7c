"""What the platform holds on a person: export, erasure, and the purge after retention."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, func, or_, select

from festival.caching import forget_public_pages_after_commit
from festival.clock import utcnow
from festival.editions.models import Edition
from festival.extensions import db
from festival.mail.services import forget_addresses
from festival.people.age import participant_age
from festival.people.models import (
    PERSONAL_FIELDS,
    GuardianLink,
    Participant,
    ParticipantStatus,
)
from festival.people.queries import is_same_name, name_key, same_birth_date, same_email
from festival.people.registration import fill_free_places
from festival.people.signals import export_requested, participant_erased


@dataclass
class ExportSection:
    """What one domain holds on a participant: its key in the JSON export, its records, and
    the template of its own that shows them on the printable page."""

    key: str
    records: Any
    template: str


def other_domains_sections(participant: Participant) -> list[ExportSection]:
    """Other domains (workshops, films…) answer export_requested: people knows nothing of
    them. Sorted by key, so the export reads the same whichever domain answered first."""
    sections = [answer for _receiver, answer in export_requested.send(participant) if answer]
    return sorted(sections, key=lambda s: s.key)


def export_participant(
    participant: Participant, sections: list[ExportSection] | None = None
) -> dict[str, Any]:
    """Everything the platform holds on one participant, for a subject-access request."""
    exported = _export_people_records(participant)
    if sections is None:
        sections = other_domains_sections(participant)
    for section in sections:
        exported[section.key] = section.records
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
    }


def same_person(participant: Participant) -> list[Participant]:
    """This person's registrations in every edition: the same email address, or the same
    name and birth date (how a returning teen is recognised)."""
    conditions = []
    if participant.email:
        conditions.append(same_email(participant.email))
    named = bool(participant.first_name and participant.last_name and participant.birth_date)
    if named:
        conditions.append(same_birth_date(participant.birth_date))
    found = {participant.id: participant}
    if conditions:
        for other in db.session.scalars(
            select(Participant).where(or_(*conditions), Participant.erased_at.is_(None))
        ):
            same_address = bool(participant.email) and name_key(other.email) == name_key(
                participant.email
            )
            if same_address or (
                named
                and other.birth_date == participant.birth_date
                and is_same_name(other, participant.first_name, participant.last_name)
            ):
                found.setdefault(other.id, other)
    return sorted(found.values(), key=lambda p: p.id)


def erase_person(participant: Participant) -> list[Participant]:
    """Erase a person everywhere: their registration in every edition (see erase_participant).
    Returns the registrations erased."""
    people = [p for p in same_person(participant) if not p.is_erased]
    for person in people:
        erase_participant(person)
    return people


def erase_participant(participant: Participant) -> Participant:
    """Erase a participant's personal data; attendance stays, anonymous, for statistics.

    Deletes their account, sign-in codes, tokens, consent records and guardian links, the
    messages written to them or their guardian (stored rows and outbox files), their commune;
    other domains wash what the account left (participant_erased: upload file names, the
    phone's metadata in the originals). Frees their place.
    """
    if participant.is_erased:
        return participant
    participant.age_on_reference_date = participant_age(participant)
    was_confirmed = participant.status == ParticipantStatus.CONFIRMED
    addresses = {a for a in (participant.email, participant.guardian_email) if a}
    user = participant.user
    participant_erased.send(participant, user_id=user.id if user is not None else None)
    participant.user = None
    if user is not None:
        addresses |= {a for a in (user.email, user.login) if a and "@" in a}
        db.session.delete(user)
    for name in PERSONAL_FIELDS:
        setattr(participant, name, None)
    participant.commune = None
    participant.consents.clear()
    db.session.execute(delete(GuardianLink).where(GuardianLink.participant_id == participant.id))
    forget_addresses(addresses, keep_opt_outs=_addresses_still_in_use(addresses, participant))
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


def _addresses_still_in_use(addresses: set[str], erased: Participant) -> set[str]:
    """A guardian's address a brother or sister still gives: their opt-out stays."""
    lowered = [a.lower() for a in addresses]
    rows = db.session.execute(
        select(Participant.email, Participant.guardian_email).where(
            Participant.id != erased.id,
            Participant.erased_at.is_(None),
            or_(
                func.lower(Participant.email).in_(lowered),
                func.lower(Participant.guardian_email).in_(lowered),
            ),
        )
    ).all()
    return {a.lower() for row in rows for a in row if a and a.lower() in lowered}


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
