"""Column helpers shared by the domains' models."""

from __future__ import annotations

import enum
from collections.abc import Callable
from datetime import datetime
from typing import ClassVar, TypeVar

from flask_babel import force_locale, get_locale, gettext
from flask_babel.speaklater import LazyString
from sqlalchemy import Enum, String, select
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from festival.clock import utcnow
from festival.extensions import db

# The largest id an INTEGER primary key holds on every database we run on.
MAX_ROW_ID = 2**31 - 1


def enum_type(enum_cls: type[enum.Enum], name: str) -> Enum:
    """Store an enum by its value, as a string with a CHECK constraint on every database."""
    return Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(m.value) for m in enum_cls),
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class JobStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


def asked_language() -> str:
    """The language a new row's steps will be told in: the asking visitor's."""
    return str(get_locale() or "fr")[:8]


class PreparedInBackground:
    """A file a background job makes while staff follow it on a page (the screening pack, the
    edition's certificates): its state, how far along it is and the step in words."""

    # The name of the status column's CHECK constraint, one per table.
    status_constraint: ClassVar[str]

    @declared_attr
    def status(cls) -> Mapped[JobStatus]:
        return mapped_column(enum_type(JobStatus, cls.status_constraint), default=JobStatus.QUEUED)

    progress: Mapped[int] = mapped_column(default=0)
    # The steps are told in the language of whoever asked (the job has no visitor's locale).
    language: Mapped[str] = mapped_column(String(8), default=asked_language)
    step: Mapped[str] = mapped_column(
        String(200), default=lambda: gettext("En attente d'un processus de traitement…")
    )
    error: Mapped[str] = mapped_column(String(2000), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]

    @classmethod
    def latest_of(cls, edition_id: int, *, ready: bool = False):
        """The edition's latest, or its latest finished one (`ready`)."""
        query = select(cls).where(cls.edition_id == edition_id)
        if ready:
            query = query.where(cls.status == JobStatus.DONE)
        return db.session.scalar(query.order_by(cls.id.desc()).limit(1))

    @property
    def is_under_way(self) -> bool:
        return self.status in (JobStatus.QUEUED, JobStatus.RUNNING)

    def advance(self, percent: int, step: str) -> None:
        """Say how far along it is, at once (its own short transaction: the page polls)."""
        self.progress, self.step = max(0, min(100, percent)), step
        db.session.commit()

    def finish(self, step: str) -> None:
        """Done: the file is in place, `step` says what it holds."""
        self.status, self.finished_at = JobStatus.DONE, utcnow()
        self.advance(100, step)

    def state(self, download_url: str) -> dict:
        """What the page's script polls (static/js/preparing.js), and where the file is once
        ready."""
        return {
            "status": self.status.value,
            "progress": self.progress,
            "step": self.step,
            "download": download_url if self.status == JobStatus.DONE else None,
        }


Prepared = TypeVar("Prepared", bound=PreparedInBackground)


def prepare(
    model: type[Prepared],
    row_id: int,
    build: Callable[[Prepared], None],
    *,
    failed_step: LazyString,
) -> Prepared | None:
    """Run `build` on the row once, in the language of whoever asked; when it fails, the row
    says so in `failed_step` (for staff) and keeps the error (for the technical team), and the
    job fails so that it is retried."""
    row = db.session.get(model, row_id)
    if row is None or row.status == JobStatus.DONE:
        return row
    language = row.language
    with force_locale(language):
        try:
            row.status = JobStatus.RUNNING
            build(row)
        except Exception as error:
            db.session.rollback()
            row = db.session.get(model, row_id)
            row.status, row.error = JobStatus.FAILED, str(error)[:2000]
            row.step = str(failed_step)
            db.session.commit()
            raise
    return row
