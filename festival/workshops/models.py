"""The workshops of an edition, and attendance at each workshop."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from festival.clock import utcnow
from festival.editions.models import Edition
from festival.extensions import db
from festival.models_base import enum_type

if TYPE_CHECKING:  # other domains' models, for type hints only
    from festival.auth.models import User
    from festival.people.models import Participant


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

    # Declared here, not in editions: an edition's workshops are the workshops domain's own.
    edition: Mapped[Edition] = relationship(
        backref=backref("workshops", order_by="Workshop.number", cascade="all, delete-orphan")
    )
    facilitator: Mapped[User | None] = relationship()
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
    # Declared here, not in people: a participant's marks are the workshops' own records.
    participant: Mapped[Participant] = relationship(
        backref=backref("attendances", cascade="all, delete-orphan")
    )
