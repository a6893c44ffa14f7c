"""The ceremony's programme: screening blocks and what is shown in them, in order."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from festival.clock import utcnow
from festival.extensions import db
from festival.models_base import PreparedInBackground, enum_type

if TYPE_CHECKING:  # other domains' models, for type hints only
    from festival.editions.models import Edition, Venue
    from festival.films.models import Film


class ItemKind(enum.StrEnum):
    FILM = "film"
    WELCOME = "welcome"  # accueil
    AWARDS = "awards"  # remise des prix
    INTERMISSION = "intermission"  # entracte
    OTHER = "other"


class ScreeningBlock(db.Model):
    """A séance: a venue, a start time, a planned length, and items in order."""

    __tablename__ = "screening_blocks"
    __table_args__ = (CheckConstraint("planned_minutes > 0", name="planned_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(
        ForeignKey("editions.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    # Where it is shown; None: where the ceremony is (programme.services.block_venue).
    venue_id: Mapped[int | None] = mapped_column(
        ForeignKey("venues.id", ondelete="SET NULL"), index=True
    )
    starts_at: Mapped[datetime]
    planned_minutes: Mapped[int] = mapped_column(default=60)
    position: Mapped[int] = mapped_column(default=0)

    edition: Mapped[Edition] = relationship()
    place: Mapped[Venue | None] = relationship()
    items: Mapped[list[ProgrammeItem]] = relationship(
        back_populates="block",
        cascade="all, delete-orphan",
        order_by="ProgrammeItem.position, ProgrammeItem.id",
    )

    @property
    def where(self) -> Venue | None:
        """The séance's place: its own, else the ceremony's (None while neither is said)."""
        return self.place or self.edition.ceremony_place

    @property
    def venue_name(self) -> str:
        return self.where.name if self.where else ""


class ProgrammeItem(db.Model):
    __tablename__ = "programme_items"
    __table_args__ = (
        CheckConstraint("duration_seconds >= 0", name="duration_positive"),
        CheckConstraint("(kind = 'film') = (film_id IS NOT NULL)", name="film_items_have_film"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    block_id: Mapped[int] = mapped_column(
        ForeignKey("screening_blocks.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[ItemKind] = mapped_column(enum_type(ItemKind, "item_kind"))
    film_id: Mapped[int | None] = mapped_column(
        ForeignKey("films.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200), default="")
    # For a film the length of its current version counts; this is for the other items.
    duration_seconds: Mapped[int] = mapped_column(default=0)

    block: Mapped[ScreeningBlock] = relationship(back_populates="items")
    film: Mapped[Film | None] = relationship()


class ProgrammeRelease(db.Model):
    """A numbered, dated version of the programme as visitors see it. Builder edits after it
    form a draft that nobody else sees until staff release again. The plan keeps the order and
    the times; who may be seen is still decided when a page is read (a consent withdrawn after
    the release hides a film at once)."""

    __tablename__ = "programme_releases"
    __table_args__ = (UniqueConstraint("edition_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(
        ForeignKey("editions.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]
    released_at: Mapped[datetime] = mapped_column(default=utcnow)
    released_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # [{"block", "title", "venue", "starts_at", "ends_at", "items": [{"kind", "film", "title",
    #   "starts_at", "seconds"}]}]: times as ISO strings (festival wall clock).
    plan: Mapped[list] = mapped_column(JSON)
    # What changed since the previous release: [{"kind", "title", ...}], worded when shown.
    changes: Mapped[list] = mapped_column(JSON, default=list)

    edition: Mapped[Edition] = relationship()


class ScreeningPack(PreparedInBackground, db.Model):
    """The projectionist's archive: loudness-normalised films in order, with playlists."""

    __tablename__ = "screening_packs"
    status_constraint = "pack_status"

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(
        ForeignKey("editions.id", ondelete="CASCADE"), index=True
    )
    loudness_target: Mapped[float] = mapped_column(default=-23.0)
    # Subtitles drawn onto the picture, for a hall whose player cannot show a track.
    burn_subtitles: Mapped[bool] = mapped_column(default=False)

    edition: Mapped[Edition] = relationship()

    @property
    def directory(self) -> str:
        return f"packs/{self.edition_id}/{self.id}"

    @property
    def archive_path(self) -> str:
        return f"{self.directory}/projection.zip"
