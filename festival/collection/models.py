"""The titles of the library's film collection, what staff attach them to, and their loans."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from festival.clock import utcnow
from festival.extensions import db


class CollectionTitle(db.Model):
    """One record of the library's catalogue: what a reader needs to find it on the shelf.
    `record_id` is the catalogue's own number (MARC 001), so that importing the export again
    updates the title rather than adding it twice."""

    __tablename__ = "collection_titles"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    director: Mapped[str] = mapped_column(String(200), default="")
    year: Mapped[int | None]
    shelf_mark: Mapped[str] = mapped_column(String(100), default="")
    # Lower-cased, accents kept: what the search compares (SQLite's lower() is ASCII-only).
    search_text: Mapped[str] = mapped_column(String(520), default="", index=True)
    source: Mapped[str] = mapped_column(String(20), default="")  # unimarc, marc21, csv, form
    imported_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<CollectionTitle {self.record_id} {self.title!r}>"


class TitleAttachment(db.Model):
    """A title staff recommend for a workshop (« à voir avant l'atelier cadrage ») or, with no
    workshop, for the ceremony of an edition."""

    __tablename__ = "collection_attachments"
    __table_args__ = (
        UniqueConstraint("title_id", "edition_id", "workshop_id"),
        Index("ix_collection_attachments_edition", "edition_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title_id: Mapped[int] = mapped_column(
        ForeignKey("collection_titles.id", ondelete="CASCADE"), index=True
    )
    edition_id: Mapped[int] = mapped_column(ForeignKey("editions.id", ondelete="CASCADE"))
    workshop_id: Mapped[int | None] = mapped_column(
        ForeignKey("workshops.id", ondelete="CASCADE"), index=True
    )
    note: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    title: Mapped[CollectionTitle] = relationship()


class CollectionLoan(db.Model):
    """How many times a title went out on a day, as the catalogue counts it: no borrower is
    ever stored (the catalogue's export may name them; the import keeps the number only)."""

    __tablename__ = "collection_loans"
    __table_args__ = (
        UniqueConstraint("title_id", "loaned_on"),
        CheckConstraint("loans >= 1", name="loans_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title_id: Mapped[int] = mapped_column(
        ForeignKey("collection_titles.id", ondelete="CASCADE"), index=True
    )
    loaned_on: Mapped[date] = mapped_column(index=True)
    loans: Mapped[int] = mapped_column(default=1)

    title: Mapped[CollectionTitle] = relationship()
