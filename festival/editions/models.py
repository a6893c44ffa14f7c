"""An edition: one year of the festival, its dates, age bounds and rules."""

from __future__ import annotations

import enum
from datetime import date, datetime, timedelta

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from festival.clock import utcnow
from festival.extensions import db
from festival.models_base import enum_type

CEREMONY_LENGTH = timedelta(hours=3)


class Edition(db.Model):
    __tablename__ = "editions"
    __table_args__ = (
        CheckConstraint("age_min >= 0 AND age_min <= age_max", name="age_bounds"),
        CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
        CheckConstraint("behind_missed_threshold >= 1", name="behind_threshold_positive"),
        CheckConstraint("ends_on >= starts_on", name="dates_ordered"),
        CheckConstraint(
            "max_film_seconds > 0 AND film_duration_tolerance >= 0", name="film_length_rule"
        ),
        # At most one current edition, enforced by the database itself.
        Index(
            "uq_editions_one_current",
            "is_current",
            unique=True,
            sqlite_where=db.text("is_current = 1"),
            postgresql_where=db.text("is_current"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(unique=True)
    title: Mapped[str] = mapped_column(String(200))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    age_min: Mapped[int] = mapped_column(default=14)
    age_max: Mapped[int] = mapped_column(default=19)
    # The day on which ages are computed; the ceremony's date when left empty.
    reference_date: Mapped[date | None]
    ceremony_at: Mapped[datetime]
    ceremony_venue: Mapped[str] = mapped_column(String(200), default="")
    # Coming to the ceremony (see editions/venue.py): the address, access, entry conditions.
    venue_street: Mapped[str] = mapped_column(String(200), default="")
    venue_postcode: Mapped[str] = mapped_column(String(10), default="")
    venue_town: Mapped[str] = mapped_column(String(100), default="")
    venue_latitude: Mapped[float | None]
    venue_longitude: Mapped[float | None]
    # None: not said. The public pages only claim what staff stated.
    venue_step_free: Mapped[bool | None]
    venue_access_notes: Mapped[str] = mapped_column(Text, default="")
    entry_free: Mapped[bool] = mapped_column(default=True)
    entry_booking: Mapped[str] = mapped_column(String(300), default="")
    booking_url: Mapped[str] = mapped_column(String(300), default="")
    # People in the hall at the ceremony, as staff counted them (for the report).
    ceremony_audience: Mapped[int | None]
    # The address this edition's messages come from (the server's MAIL_SENDER when empty).
    mail_from: Mapped[str] = mapped_column(String(254), default="")
    upload_deadline: Mapped[datetime]
    capacity: Mapped[int | None]
    # A participant who missed this many held workshops is shown as falling behind.
    behind_missed_threshold: Mapped[int] = mapped_column(default=3)
    # The five-minute rule: the limit and a tolerance for encoder padding, in seconds.
    max_film_seconds: Mapped[float] = mapped_column(default=300.0)
    film_duration_tolerance: Mapped[float] = mapped_column(default=0.25)
    is_current: Mapped[bool] = mapped_column(default=False)
    personal_data_purged_at: Mapped[datetime | None]
    # The public sees the programme only once published.
    programme_published_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def ceremony_is_over(self, now: datetime) -> bool:
        """Past the ceremony (three hours after it starts): the public pages speak of it in
        the past tense and registrations for this edition are closed."""
        return now >= self.ceremony_at + CEREMONY_LENGTH

    @property
    def age_reference_date(self) -> date:
        return self.reference_date or self.ceremony_at.date()

    def __repr__(self) -> str:
        return f"<Edition {self.year}>"


class BudgetKind(enum.StrEnum):
    COST = "cost"  # what the edition cost: facilitators, equipment, printing…
    PARTNER = "partner"  # what partners brought: grants, sponsorship, in-kind


class BudgetLine(db.Model):
    """A line of an edition's budget, typed in by staff for the report."""

    __tablename__ = "budget_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(
        ForeignKey("editions.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[BudgetKind] = mapped_column(enum_type(BudgetKind, "budget_kind"))
    label: Mapped[str] = mapped_column(String(200))
    amount_cents: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
