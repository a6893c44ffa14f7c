"""Films, their teams, every uploaded version, thumbnails and resumable uploads.

Over 400 lines on purpose: the films domain's tables read together (their relationships and
constraints refer to one another); behaviour lives in the modules named by subject.
"""

from __future__ import annotations

import enum
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

if TYPE_CHECKING:  # other domains' models, for type hints only
    from festival.auth.models import User
    from festival.editions.models import Edition
    from festival.people.models import Participant

from festival.clock import utcnow
from festival.extensions import db
from festival.models_base import enum_type


class FilmRole(enum.StrEnum):
    DIRECTION = "direction"
    SCRIPT = "script"
    CAMERA = "camera"
    SOUND = "sound"
    EDITING = "editing"
    ACTING = "acting"
    MUSIC = "music"
    OTHER = "other"


class MusicKind(enum.StrEnum):
    NONE = "none"
    ORIGINAL = "original"
    FREE_LICENCE = "free_licence"
    AUTHORISED = "authorised"


class ReviewDecision(enum.StrEnum):
    SELECTED = "selected"
    NOT_SELECTED = "not_selected"


class VersionStatus(enum.StrEnum):
    PROCESSING = "processing"
    REFUSED = "refused"  # the check found problems: the team must send another file
    VALID = "valid"
    FAILED = "failed"  # our processing failed on a file the check accepted: staff look


class Film(db.Model):
    __tablename__ = "films"

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(
        ForeignKey("editions.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    synopsis: Mapped[str] = mapped_column(Text, default="")
    music_kind: Mapped[MusicKind] = mapped_column(
        enum_type(MusicKind, "music_kind"), default=MusicKind.NONE
    )
    music_licence: Mapped[str] = mapped_column(String(200), default="")
    music_credit: Mapped[str] = mapped_column(Text, default="")
    # The language spoken in the film: subtitles in the viewer's language play by default
    # when it differs.
    spoken_language: Mapped[str] = mapped_column(String(8), default="fr")
    decision: Mapped[ReviewDecision | None] = mapped_column(
        enum_type(ReviewDecision, "review_decision")
    )
    decision_note: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]
    chosen_thumbnail_id: Mapped[int | None] = mapped_column(
        ForeignKey("thumbnails.id", ondelete="SET NULL", use_alter=True)
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # What the public sees, fixed by staff when they retain the film and each time they approve
    # a change: a new cut, new text or another still reaches visitors only through staff.
    approved_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("film_versions.id", ondelete="SET NULL", use_alter=True)
    )
    approved_thumbnail_id: Mapped[int | None] = mapped_column(
        ForeignKey("thumbnails.id", ondelete="SET NULL", use_alter=True)
    )
    approved_title: Mapped[str | None] = mapped_column(String(200))
    approved_synopsis: Mapped[str | None] = mapped_column(Text)

    # Times the public video was started online (a first request of the file, not each range).
    online_views: Mapped[int] = mapped_column(default=0)

    edition: Mapped[Edition] = relationship()
    members: Mapped[list[FilmMember]] = relationship(
        back_populates="film", cascade="all, delete-orphan", order_by="FilmMember.id"
    )
    versions: Mapped[list[FilmVersion]] = relationship(
        back_populates="film",
        cascade="all, delete-orphan",
        order_by="FilmVersion.number",
        foreign_keys="FilmVersion.film_id",
    )
    consent_holds: Mapped[list[ConsentHold]] = relationship(
        back_populates="film", cascade="all, delete-orphan", order_by="ConsentHold.id"
    )
    subtitles: Mapped[list[Subtitle]] = relationship(
        back_populates="film", cascade="all, delete-orphan", order_by="Subtitle.id"
    )
    uploads: Mapped[list[Upload]] = relationship(
        back_populates="film", cascade="all, delete-orphan"
    )
    chosen_thumbnail: Mapped[Thumbnail | None] = relationship(
        foreign_keys=[chosen_thumbnail_id], post_update=True
    )
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    approved_version: Mapped[FilmVersion | None] = relationship(
        foreign_keys=[approved_version_id], post_update=True
    )
    approved_thumbnail: Mapped[Thumbnail | None] = relationship(
        foreign_keys=[approved_thumbnail_id], post_update=True
    )

    @property
    def latest_version(self) -> FilmVersion | None:
        return self.versions[-1] if self.versions else None

    @property
    def current_version(self) -> FilmVersion | None:
        """The latest valid version: what is reviewed and screened."""
        valid = [v for v in self.versions if v.status == VersionStatus.VALID]
        return valid[-1] if valid else None

    @property
    def participant_ids(self) -> set[int]:
        return {m.participant_id for m in self.members}

    @property
    def screened_version(self) -> FilmVersion | None:
        """The version staff approved for the public and the ceremony, while it is valid."""
        approved = self.approved_version
        return approved if approved is not None and approved.status == VersionStatus.VALID else None

    @property
    def bound_participants(self) -> list[Participant]:
        """Everyone whose consent the film needs: its credits, and those taken off them after
        the review whom staff have not released."""
        people = {m.participant_id: m.participant for m in self.members}
        for hold in self.consent_holds:
            people.setdefault(hold.participant_id, hold.participant)
        return list(people.values())

    def __repr__(self) -> str:
        return f"<Film {self.id} {self.title!r}>"


class FilmMember(db.Model):
    __tablename__ = "film_members"
    __table_args__ = (UniqueConstraint("film_id", "participant_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    film_id: Mapped[int] = mapped_column(ForeignKey("films.id", ondelete="CASCADE"))
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[FilmRole] = mapped_column(enum_type(FilmRole, "film_role"))

    film: Mapped[Film] = relationship(back_populates="members")
    participant: Mapped[Participant] = relationship()


class ConsentHold(db.Model):
    """Someone taken off a film's credits after staff reviewed it: they may still appear in
    it, so their consent keeps binding the film until staff release them."""

    __tablename__ = "film_consent_holds"
    __table_args__ = (UniqueConstraint("film_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    film_id: Mapped[int] = mapped_column(ForeignKey("films.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    film: Mapped[Film] = relationship(back_populates="consent_holds")
    participant: Mapped[Participant] = relationship()


class FilmVersion(db.Model):
    """One uploaded file of a film; every one is kept, the original never modified."""

    __tablename__ = "film_versions"
    __table_args__ = (
        UniqueConstraint("film_id", "number"),
        CheckConstraint("progress >= 0 AND progress <= 100", name="progress_percent"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    film_id: Mapped[int] = mapped_column(ForeignKey("films.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    # The name on the teenager's phone, shown to people; never used as a path.
    original_filename: Mapped[str] = mapped_column(String(255), default="")
    size: Mapped[int] = mapped_column(db.BigInteger, default=0)
    sha256: Mapped[str] = mapped_column(String(64), default="")
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[VersionStatus] = mapped_column(
        enum_type(VersionStatus, "version_status"), default=VersionStatus.PROCESSING
    )
    report: Mapped[dict | None] = mapped_column(JSON)
    duration: Mapped[float | None]
    width: Mapped[int | None]
    height: Mapped[int | None]
    progress: Mapped[int] = mapped_column(default=0)
    step: Mapped[str] = mapped_column(String(40), default="queued")
    rendition_remuxed: Mapped[bool | None]
    # A version is valid once checked, with its thumbnails; its browser rendition follows.
    rendition_ready_at: Mapped[datetime | None]
    error: Mapped[str] = mapped_column(Text, default="")
    processed_at: Mapped[datetime | None]
    # Set when a worker claims the version and renewed while it works: a worker that died
    # stops renewing it, and the version is handed to another (see pipeline.requeue_stalled).
    heartbeat_at: Mapped[datetime | None]

    film: Mapped[Film] = relationship(back_populates="versions", foreign_keys=[film_id])
    uploaded_by: Mapped[User | None] = relationship(foreign_keys=[uploaded_by_id])
    thumbnails: Mapped[list[Thumbnail]] = relationship(
        back_populates="version",
        cascade="all, delete-orphan",
        order_by="Thumbnail.index",
        foreign_keys="Thumbnail.version_id",
    )

    @property
    def problems(self) -> list[dict]:
        return list((self.report or {}).get("problems") or [])

    @property
    def directory(self) -> str:
        """Where its files live, relative to the media root: chosen by the server only."""
        return f"films/{self.film_id}/v{self.number}"

    @property
    def original_path(self) -> str:
        return f"{self.directory}/original"

    @property
    def rendition_path(self) -> str:
        return f"{self.directory}/web.mp4"

    @property
    def original_plays_in_browsers(self) -> bool:
        return bool((self.report or {}).get("browser_ready"))

    @property
    def original_is_clean(self) -> bool:
        """The original as stored carries no tag about the person, her phone or the place:
        it had none when checked, or it has been washed since. Unknown counts as not clean."""
        report = self.report or {}
        return report.get("personal_tags") == [] or bool(report.get("washed_at"))

    def note_washed(self) -> None:
        self.report = {**(self.report or {}), "washed_at": utcnow().isoformat(timespec="seconds")}

    @property
    def playable_path(self) -> str | None:
        """What a player reads: the rendition, or while it is made, the original upload when
        browsers play it as it is (H.264 in MP4/MOV) and it carries no phone tags. None while
        there is nothing to play."""
        if self.rendition_ready_at is not None:
            return self.rendition_path
        if (
            self.status == VersionStatus.VALID
            and self.original_plays_in_browsers
            and self.original_is_clean
        ):
            return self.original_path
        return None

    @property
    def rendition_pending(self) -> bool:
        return self.status == VersionStatus.VALID and self.rendition_ready_at is None

    @property
    def rendition_failed(self) -> bool:
        return self.rendition_pending and self.step == "rendition_failed"


class Thumbnail(db.Model):
    __tablename__ = "thumbnails"
    __table_args__ = (UniqueConstraint("version_id", "index"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("film_versions.id", ondelete="CASCADE"), index=True
    )
    index: Mapped[int]
    at_seconds: Mapped[float] = mapped_column(default=0.0)
    width: Mapped[int]
    height: Mapped[int]
    is_still: Mapped[bool] = mapped_column(default=False)
    # "640.webp" -> path relative to the media root
    files: Mapped[dict] = mapped_column(JSON, default=dict)

    version: Mapped[FilmVersion] = relationship(
        back_populates="thumbnails", foreign_keys=[version_id]
    )

    def file(self, width: int, fmt: str) -> str | None:
        return self.files.get(f"{width}.{fmt}")

    @property
    def widths(self) -> list[int]:
        return sorted({int(key.split(".")[0]) for key in self.files})


class Subtitle(db.Model):
    """A timed-text track of a film, as clean WebVTT: a file the team added (for any of its
    versions), or a subtitle stream found inside one uploaded version."""

    __tablename__ = "film_subtitles"

    id: Mapped[int] = mapped_column(primary_key=True)
    film_id: Mapped[int] = mapped_column(ForeignKey("films.id", ondelete="CASCADE"), index=True)
    # Set for a track found inside an upload: it belongs to that version only.
    version_id: Mapped[int | None] = mapped_column(
        ForeignKey("film_versions.id", ondelete="CASCADE"), index=True
    )
    language: Mapped[str] = mapped_column(String(8), default="fr")
    # Subtitles for the deaf and hard of hearing: sounds and speakers written out.
    for_deaf: Mapped[bool] = mapped_column(default=False)
    cue_count: Mapped[int] = mapped_column(default=0)
    last_cue_end: Mapped[float] = mapped_column(default=0.0)
    original_filename: Mapped[str] = mapped_column(String(255), default="")
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    added_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When staff looked at it (added by staff, or approved with the film): until then only
    # the team and staff see it; visitors, the jury and the screening pack never do.
    reviewed_at: Mapped[datetime | None]

    film: Mapped[Film] = relationship(back_populates="subtitles")
    version: Mapped[FilmVersion | None] = relationship()

    @property
    def path(self) -> str:
        """Relative to the media root, chosen by the server only."""
        return f"films/{self.film_id}/subtitles/{self.id}.vtt"

    @property
    def is_reviewed(self) -> bool:
        return self.reviewed_at is not None

    @property
    def kind(self) -> str:
        """The <track kind>: captions describe sounds too."""
        return "captions" if self.for_deaf else "subtitles"


EMPTY_UPLOAD_IDLE = timedelta(minutes=2)


class Upload(db.Model):
    """A resumable (tus) upload in progress; becomes a FilmVersion when complete."""

    __tablename__ = "uploads"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    film_id: Mapped[int] = mapped_column(ForeignKey("films.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    length: Mapped[int] = mapped_column(db.BigInteger)
    offset: Mapped[int] = mapped_column(db.BigInteger, default=0)
    filename: Mapped[str] = mapped_column(String(255), default="")
    upload_metadata: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    completed_at: Mapped[datetime | None]
    version_id: Mapped[int | None] = mapped_column(
        ForeignKey("film_versions.id", ondelete="SET NULL")
    )

    film: Mapped[Film] = relationship(back_populates="uploads")
    user: Mapped[User | None] = relationship()

    @property
    def partial_path(self) -> str:
        return f"uploads/{self.id}.part"

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None

    def is_active(self, now: datetime, *, idle: timedelta = timedelta(minutes=15)) -> bool:
        """Still being sent: an upload left alone (a closed tab) stops counting after a while,
        though it stays resumable until it expires. One that never sent a byte (a file chosen,
        then the page closed) stops counting after two minutes: the film's card then says
        what its versions say again, « Valide » for a film already sent."""
        if self.offset == 0:
            idle = min(idle, EMPTY_UPLOAD_IDLE)
        return not self.is_complete and self.updated_at > now - idle


class FilmStatus(enum.StrEnum):
    """What a film's card says, worked out from its versions and the review (not stored)."""

    DRAFT = "draft"
    UPLOADING = "uploading"
    PROCESSING = "processing"
    REFUSED = "refused"
    VALID = "valid"
    SELECTED = "selected"
    NOT_SELECTED = "not_selected"
