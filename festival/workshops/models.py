"""Editions, their workshops, and attendance at each workshop."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from festival.clock import utcnow
from festival.extensions import db
from festival.models_base import enum_type


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

    workshops: Mapped[list[Workshop]] = relationship(
        back_populates="edition",
        order_by="Workshop.number",
        cascade="all, delete-orphan",
    )

    @property
    def age_reference_date(self) -> date:
        return self.reference_date or self.ceremony_at.date()

    def __repr__(self) -> str:
        return f"<Edition {self.year}>"


class Workshop(db.Model):
    __tablename__ = "workshops"
    __table_args__ = (
        UniqueConstraint("edition_id", "number"),
        CheckConstraint("ends_at > starts_at", name="times_ordered"),
        CheckConstraint("number >= 1", name="number_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("editions.id", ondelete="CASCADE"))
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    theme: Mapped[str] = mapped_column(String(100), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    room: Mapped[str] = mapped_column(String(120), default="")
    facilitator_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )

    edition: Mapped[Edition] = relationship(back_populates="workshops")
    facilitator = relationship("User")
    attendances: Mapped[list[Attendance]] = relationship(
        back_populates="workshop", cascade="all, delete-orphan"
    )

    def has_started(self, now: datetime) -> bool:
        return self.starts_at <= now

    def __repr__(self) -> str:
        return f"<Workshop {self.number} {self.title!r}>"


class AttendanceStatus(enum.StrEnum):
    PRESENT = "present"
    LATE = "late"
    EXCUSED = "excused"
    ABSENT = "absent"

    @property
    def attended(self) -> bool:
        return self in (AttendanceStatus.PRESENT, AttendanceStatus.LATE)


class Attendance(db.Model):
    __tablename__ = "attendances"
    __table_args__ = (UniqueConstraint("workshop_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"))
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[AttendanceStatus] = mapped_column(
        enum_type(AttendanceStatus, "attendance_status")
    )
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    workshop: Mapped[Workshop] = relationship(back_populates="attendances")
    participant = relationship("Participant", back_populates="attendances")
