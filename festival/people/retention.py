"""The retention promise, kept by itself: an edition's personal data is erased when its
retention period ends (a daily job), staff are told a month before, see what will go and
when, and may run it early. Attendance, ages and figures stay, anonymous."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select

from festival.auth.models import Role, User
from festival.editions.models import Edition
from festival.errors import ValidationError
from festival.extensions import db
from festival.mail.services import queue_email, sent_about
from festival.people.models import Participant
from festival.people.privacy import add_months, editions_due_for_purge, purge_edition
from festival.responses import absolute_url

NOTICE = "retention_notice"
NOTICE_AHEAD = timedelta(days=30)


@dataclass
class RetentionRow:
    edition: Edition
    purge_at: datetime  # when the daily job erases it
    people: int  # participants whose data is still there
    purged_at: datetime | None

    @property
    def can_run_early(self) -> bool:
        return self.purged_at is None and self.people > 0


def purge_moment(edition: Edition, months: int) -> datetime:
    return add_months(edition.ceremony_at, months)


def retention_schedule(months: int) -> list[RetentionRow]:
    counts = dict(
        db.session.execute(
            select(Participant.edition_id, func.count(Participant.id))
            .where(Participant.erased_at.is_(None))
            .group_by(Participant.edition_id)
        ).all()
    )
    editions = db.session.scalars(select(Edition).order_by(Edition.year.desc()))
    return [
        RetentionRow(e, purge_moment(e, months), counts.get(e.id, 0), e.personal_data_purged_at)
        for e in editions
    ]


def purge_early(edition: Edition, now: datetime) -> int:
    """Staff erase an edition before its date; never one whose ceremony is still to come."""
    if edition.ceremony_at > now:
        raise ValidationError(
            _(
                "La cérémonie de %(year)s n'a pas encore eu lieu : ses données servent encore.",
                year=edition.year,
            )
        )
    return purge_edition(edition)


def purge_due(now: datetime, months: int) -> dict[int, int]:
    """What the daily job does: {year: people erased} for every edition past its date."""
    return {edition.year: purge_edition(edition) for edition in editions_due_for_purge(now, months)}


def send_notices(now: datetime, months: int) -> int:
    """A month before an edition's purge, staff hear of it (once per edition)."""
    staff = list(
        db.session.scalars(
            select(User).where(
                User.role.in_((Role.STAFF, Role.ADMIN)),
                User.is_enabled.is_(True),
                User.email.is_not(None),
            )
        )
    )
    sent = 0
    for row in retention_schedule(months):
        if not row.can_run_early or not (now <= row.purge_at <= now + NOTICE_AHEAD):
            continue
        if sent_about(NOTICE, row.edition)[0]:
            continue  # once per edition
        for person in staff:
            queue_email(
                person.email,
                NOTICE,
                language="fr",
                first_name=person.display_name,
                year=row.edition.year,
                purge_at=row.purge_at,
                people=row.people,
                page_url=absolute_url("people.retention_page"),
                edition=row.edition,
            )
            sent += 1
    db.session.flush()
    return sent
