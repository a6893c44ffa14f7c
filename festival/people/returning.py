"""Returning teens: registering again someone from an earlier edition without retyping.

The details and the account carry over; the consents do not: they are asked again for the new
season (from the guardian online for a minor, from the teen on her own form, or on paper).
Operations add and flush; the caller commits once.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from festival.auth.models import User
from festival.editions.models import Edition
from festival.errors import ValidationError
from festival.extensions import db
from festival.people.age import age_on, age_problem
from festival.people.models import ConsentKind, Participant
from festival.people.registration import (
    RegistrationData,
    find_registered,
    register_participant,
)


@dataclass
class ReturningCandidate:
    previous: Participant  # their latest registration before this edition
    age: int  # on this edition's reference date


def _identity(participant: Participant) -> tuple:
    return (
        (participant.first_name or "").strip().lower(),
        (participant.last_name or "").strip().lower(),
        participant.birth_date,
    )


def returning_candidates(edition: Edition) -> tuple[list[ReturningCandidate], int]:
    """People of earlier editions who may register again, each once (their latest edition),
    and how many others are now past the age; those already registered are left out."""
    earlier = db.session.scalars(
        select(Participant)
        .join(Participant.edition)
        .options(joinedload(Participant.edition))
        .where(
            Edition.year < edition.year,
            Participant.erased_at.is_(None),
            Participant.birth_date.is_not(None),
        )
        .order_by(Edition.year.desc(), Participant.id)
    )
    registered_now = {
        _identity(p)
        for p in db.session.scalars(select(Participant).where(Participant.edition_id == edition.id))
    }
    emails_now = {
        (p.email or "").lower()
        for p in db.session.scalars(select(Participant).where(Participant.edition_id == edition.id))
        if p.email
    }
    seen: set[tuple] = set()
    candidates = []
    too_old = 0
    for previous in earlier:
        identity = _identity(previous)
        if identity in seen:
            continue  # an older registration of someone already listed
        seen.add(identity)
        if identity in registered_now or (previous.email or "").lower() in emails_now:
            continue
        if age_problem(edition, previous.birth_date):
            too_old += 1
            continue
        candidates.append(
            ReturningCandidate(previous, age_on(previous.birth_date, edition.age_reference_date))
        )
    candidates.sort(key=lambda c: (_identity(c.previous)[1], _identity(c.previous)[0]))
    return candidates, too_old


def has_earlier_editions(edition: Edition) -> bool:
    return (
        db.session.scalar(select(Edition.id).where(Edition.year < edition.year).limit(1))
        is not None
    )


def can_register_again(previous: Participant, edition: Edition | None) -> bool:
    """Whether the teen's space offers to register for this edition."""
    return (
        edition is not None
        and not previous.is_erased
        and previous.birth_date is not None
        and previous.edition.year < edition.year
        and age_problem(edition, previous.birth_date) is None
        and find_registered(edition, _details(previous))[0] is None
    )


def _details(previous: Participant, consents: dict[ConsentKind, bool] | None = None):
    return RegistrationData(
        first_name=previous.first_name or "",
        last_name=previous.last_name or "",
        birth_date=previous.birth_date,
        email=previous.email,
        phone=previous.phone,
        guardian_name=previous.guardian_name,
        guardian_email=previous.guardian_email,
        guardian_phone=previous.guardian_phone,
        consents=dict(consents or {}),
        language=previous.language,
        workshop_reminders=previous.workshop_reminders,
    )


def register_again(
    previous: Participant,
    edition: Edition,
    *,
    recorded_by: User | None,
    consents: dict[ConsentKind, bool] | None = None,
) -> Participant:
    """Register `previous` for `edition` with the same details and account.

    By staff (`recorded_by`), the consents are asked again: the guardian gets the online link
    for a minor, and the registration waits for them. By the teen herself, `consents` are her
    answers on the form, and it goes as an online registration does.
    """
    previous.ensure_not_erased()
    if previous.edition.year >= edition.year:
        raise ValidationError(
            _("Cette inscription est déjà celle de cette édition ou d'une plus récente.")
        )
    data = _details(previous, consents)
    if find_registered(edition, data)[0] is not None:
        raise ValidationError(
            _("%(name)s est déjà inscrit·e à cette édition.", name=previous.full_name)
        )
    account = previous.user
    if account is not None:
        previous.user = None  # the account follows the person to the new season
        db.session.flush()
    if recorded_by is not None:
        participant = register_participant(
            edition, data, recorded_by=recorded_by, online=False, consent_to_come=True
        )
    else:
        participant = register_participant(edition, data, recorded_by=None, online=True)
    participant.user = account
    db.session.flush()
    return participant
