"""Reads over an edition's participants: the list, counts by status, the waiting list."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload
from sqlalchemy.sql.base import ExecutableOption

from festival.editions.models import Edition
from festival.extensions import db
from festival.paging import paginate
from festival.people.models import (
    Participant,
    ParticipantStatus,
)

# Staff's list shows this many people a page: at 2,000 participants the whole list was 1.3 MB
# of HTML and over a second to draw; a page of 100 is as quick at any size.
PARTICIPANTS_PER_PAGE = 100


def edition_participants(
    edition: Edition,
    *,
    status: ParticipantStatus | None = None,
    text: str = "",
    options: Sequence[ExecutableOption] = (),
    with_consents: bool = True,
) -> list[Participant]:
    """This edition's participants by name: the one list every page, export and API shows.

    Erased people are left out: nothing of them remains to show, only anonymous figures.
    Their consents come with them, unless the caller shows none (`with_consents=False`).
    """
    if with_consents:
        options = (selectinload(Participant.consents), *options)
    return list(db.session.scalars(_participants_statement(edition, status, text, options)))


def edition_participants_page(
    edition: Edition,
    *,
    page: int,
    status: ParticipantStatus | None = None,
    text: str = "",
    options: Sequence[ExecutableOption] = (),
    per_page: int | None = None,
    past_the_end: str = "last",
) -> Pagination:
    """One page of the same list (`past_the_end`: festival.paging.paginate)."""
    stmt = _participants_statement(
        edition, status, text, (selectinload(Participant.consents), *options)
    )
    return paginate(
        stmt, page=page, per_page=per_page or PARTICIPANTS_PER_PAGE, past_the_end=past_the_end
    )


def _participants_statement(edition, status, text, options):
    stmt = select(Participant).where(
        Participant.edition_id == edition.id, Participant.erased_at.is_(None)
    )
    if status is not None:
        stmt = stmt.where(Participant.status == status)
    if text:
        like = f"%{text}%"
        stmt = stmt.where(
            or_(
                Participant.first_name.ilike(like),
                Participant.last_name.ilike(like),
                Participant.email.ilike(like),
            )
        )
    # Lists that show the consents read them in one query for all, not one per person (the
    # CSV export and the API issued 2,004 queries at 2,000 participants).
    return stmt.options(*options).order_by(
        Participant.last_name, Participant.first_name, Participant.id
    )


def status_counts(edition: Edition) -> dict[ParticipantStatus, int]:
    """How many of the listed participants (erased people left out) hold each status."""
    rows = db.session.execute(
        select(Participant.status, func.count(Participant.id))
        .where(Participant.edition_id == edition.id, Participant.erased_at.is_(None))
        .group_by(Participant.status)
    )
    counts = dict.fromkeys(ParticipantStatus, 0)
    counts.update({status: count for status, count in rows})
    return counts


def is_full(edition: Edition) -> bool:
    return edition.capacity is not None and confirmed_count(edition) >= edition.capacity


def confirmed_count(edition: Edition) -> int:
    return db.session.scalar(
        select(func.count(Participant.id)).where(
            Participant.edition_id == edition.id,
            Participant.status == ParticipantStatus.CONFIRMED,
        )
    )


def waiting_list(edition: Edition) -> list[Participant]:
    return list(
        db.session.scalars(
            select(Participant)
            .where(
                Participant.edition_id == edition.id,
                Participant.status == ParticipantStatus.WAITLISTED,
            )
            .order_by(Participant.created_at, Participant.id)
        )
    )


def waiting_position(participant: Participant) -> int | None:
    """Her place on the waiting list, or None when she has (or will have) a place.

    Waitlisted: her rank. Registered but not yet confirmed while the edition is full: the rank
    she will take once confirmed, since the list goes by registration time; every surface
    (thank-you page, emails, guardian's page, « Mon espace ») tells her the same.
    """
    if participant.status == ParticipantStatus.WAITLISTED:
        queue = waiting_list(participant.edition)
        return next((i for i, p in enumerate(queue, start=1) if p.id == participant.id), None)
    if participant.status != ParticipantStatus.PENDING or not is_full(participant.edition):
        return None
    ahead = db.session.scalar(
        select(func.count(Participant.id)).where(
            Participant.edition_id == participant.edition_id,
            Participant.status.in_((ParticipantStatus.WAITLISTED, ParticipantStatus.PENDING)),
            (Participant.created_at < participant.created_at)
            | (
                (Participant.created_at == participant.created_at)
                & (Participant.id < participant.id)
            ),
        )
    )
    return ahead + 1


def next_waiting_position(edition: Edition) -> int | None:
    """The place a registration arriving now would take on the waiting list (None when the
    edition has room): what the thank-you page says, the same for everyone."""
    if not is_full(edition):
        return None
    return (
        db.session.scalar(
            select(func.count(Participant.id)).where(
                Participant.edition_id == edition.id,
                Participant.status.in_((ParticipantStatus.WAITLISTED, ParticipantStatus.PENDING)),
            )
        )
        + 1
    )


def same_email(email: str):
    """A registration with this email address, whatever its case (how one person is told)."""
    return func.lower(Participant.email) == email.strip().lower()


def name_key(text: str | None) -> str:
    """A name as one person is told by it: any case, composed or not, spaces tidied.
    Compared in Python: SQLite's lower() folds ASCII only, so « Élodie » and « ÉLODIE » (or
    « Ánh » and « ÁNH ») would be two people there."""
    return " ".join(unicodedata.normalize("NFC", text or "").casefold().split())


def same_birth_date(birth_date):
    """The candidates for `is_same_name`: one birth date is a handful of rows at most."""
    return Participant.birth_date == birth_date


def is_same_name(participant: Participant, first_name: str, last_name: str) -> bool:
    return name_key(participant.first_name) == name_key(first_name) and name_key(
        participant.last_name
    ) == name_key(last_name)
