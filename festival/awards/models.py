"""The ceremony's awards: the prizes, the jury's grid and scores, the audience's ballots.

Scores and ballots are rows with database constraints (a score from 0 to 10, one score per
juror, film and criterion, one ballot per code), so that concurrency cannot break the rules.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from festival.clock import utcnow
from festival.extensions import db
from festival.models_base import PreparedInBackground, enum_type

if TYPE_CHECKING:  # other domains' models, for type hints only
    from festival.auth.models import User
    from festival.editions.models import Edition
    from festival.films.models import Film


class AwardKind(enum.StrEnum):
    JURY = "jury"
    AUDIENCE = "audience"


class Grade(enum.StrEnum):
    """The audience's grades, best first (majority judgment)."""

    EXCELLENT = "excellent"
    TRES_BIEN = "tres_bien"
    BIEN = "bien"
    ASSEZ_BIEN = "assez_bien"
    PASSABLE = "passable"
    A_REJETER = "a_rejeter"

    @property
    def rank(self) -> int:
        """0 for the best grade, 5 for the worst."""
        return list(Grade).index(self)


class VoteStatus(enum.StrEnum):
    NOT_OPEN = "not_open"
    OPEN = "open"
    CLOSED = "closed"


class Award(db.Model):
    __tablename__ = "awards"
    __table_args__ = (UniqueConstraint("edition_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("editions.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[AwardKind] = mapped_column(enum_type(AwardKind, "award_kind"))
    position: Mapped[int] = mapped_column(default=0)
    # The winner, assigned by staff at the deliberation (jury) or from the vote (audience).
    film_id: Mapped[int | None] = mapped_column(
        ForeignKey("films.id", ondelete="SET NULL"), index=True
    )
    mention: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    edition: Mapped[Edition] = relationship()
    film: Mapped[Film | None] = relationship()


class Criterion(db.Model):
    """A line of the jury's grid: scored 0 to 10, weighted in the total."""

    __tablename__ = "jury_criteria"
    __table_args__ = (
        UniqueConstraint("edition_id", "name"),
        CheckConstraint("weight > 0", name="weight_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("editions.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(80))
    weight: Mapped[float] = mapped_column(default=1.0)
    position: Mapped[int] = mapped_column(default=0)


class JuryReview(db.Model):
    """A juror's comment on a film, and a link with someone of its team when they declare one
    (their scores for that film then stay out of its result)."""

    __tablename__ = "jury_reviews"
    __table_args__ = (UniqueConstraint("juror_id", "film_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    juror_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    film_id: Mapped[int] = mapped_column(ForeignKey("films.id", ondelete="CASCADE"), index=True)
    comment: Mapped[str] = mapped_column(Text, default="")
    conflict: Mapped[str | None] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    juror: Mapped[User] = relationship()


class JuryScore(db.Model):
    __tablename__ = "jury_scores"
    __table_args__ = (
        UniqueConstraint("juror_id", "film_id", "criterion_id"),
        CheckConstraint("score >= 0 AND score <= 10", name="score_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    juror_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    film_id: Mapped[int] = mapped_column(ForeignKey("films.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[int] = mapped_column(
        ForeignKey("jury_criteria.id", ondelete="CASCADE"), index=True
    )
    score: Mapped[int]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class AwardsProgress(db.Model):
    """Where an edition's awards stand: the deliberation, the audience vote, the palmarès."""

    __tablename__ = "awards_progress"

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(
        ForeignKey("editions.id", ondelete="CASCADE"), unique=True
    )
    deliberation_closed_at: Mapped[datetime | None]
    vote_status: Mapped[VoteStatus] = mapped_column(
        enum_type(VoteStatus, "vote_status"), default=VoteStatus.NOT_OPEN
    )
    vote_opened_at: Mapped[datetime | None]
    vote_closed_at: Mapped[datetime | None]
    palmares_published_at: Mapped[datetime | None]

    edition: Mapped[Edition] = relationship()


class BallotCode(db.Model):
    """A printed card's code: it opens one ballot, once."""

    __tablename__ = "ballot_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(
        ForeignKey("editions.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(16), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Ballot(db.Model):
    __tablename__ = "ballots"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Unique: a code votes once, whatever two phones try at the same moment.
    code_id: Mapped[int] = mapped_column(
        ForeignKey("ballot_codes.id", ondelete="CASCADE"), unique=True
    )
    edition_id: Mapped[int] = mapped_column(
        ForeignKey("editions.id", ondelete="CASCADE"), index=True
    )
    cast_at: Mapped[datetime] = mapped_column(default=utcnow)

    grades: Mapped[list[BallotGrade]] = relationship(cascade="all, delete-orphan")


class BallotGrade(db.Model):
    __tablename__ = "ballot_grades"

    ballot_id: Mapped[int] = mapped_column(
        ForeignKey("ballots.id", ondelete="CASCADE"), primary_key=True
    )
    film_id: Mapped[int] = mapped_column(
        ForeignKey("films.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    grade: Mapped[Grade] = mapped_column(enum_type(Grade, "grade"))


class CertificateBatch(PreparedInBackground, db.Model):
    """Every certificate and diploma of an edition in one PDF to print, drawn by a job: a
    thousand pages take seconds, longer than a page may make staff wait. It names minors, so
    only the latest is kept, and none once someone in it is erased."""

    __tablename__ = "certificate_batches"
    status_constraint = "certificate_batch_status"

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(
        ForeignKey("editions.id", ondelete="CASCADE"), index=True
    )
    pages: Mapped[int] = mapped_column(default=0)

    edition: Mapped[Edition] = relationship()

    @property
    def path(self) -> str:
        return f"certificates/{self.edition_id}/{self.id}/attestations.pdf"
