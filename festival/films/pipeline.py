"""What happens to a new version in the background: check, thumbnails, rendition.

Idempotent: a finished version is left alone; a retried one starts over and overwrites its
derived files atomically. The original upload is only ever read.

A worker claims a version before working on it and renews a heartbeat while it works. A worker
killed mid-job (machine restarted, process killed) stops renewing it; `requeue_stalled` hands
the version to another worker, and the claim makes sure two never work on the same one.
"""

from __future__ import annotations

import contextlib
import time
from datetime import timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import and_, delete, or_, select, update

from festival.clock import utcnow
from festival.extensions import db
from festival.films import emails
from festival.films.models import FilmVersion, ReviewDecision, Thumbnail, VersionStatus
from festival.films.services import rules_for
from festival.processing import check_file
from festival.processing.files import sha256_of
from festival.processing.renditions import make_rendition
from festival.processing.thumbnails import make_thumbnails
from festival.storage import media_path, media_root

PROGRESS = {"checking": 5, "thumbnails": 15, "rendition": 30, "done": 100}


def _step(version: FilmVersion, step: str) -> None:
    version.step, version.progress = step, PROGRESS[step]
    version.heartbeat_at = utcnow()
    db.session.commit()


def _stale_before():
    return utcnow() - timedelta(seconds=current_app.config["PROCESSING_LEASE_SECONDS"])


def claim(version_id: int) -> bool:
    """Take the version for this worker, unless another one is alive and working on it."""
    claimed = db.session.execute(
        update(FilmVersion)
        .where(
            FilmVersion.id == version_id,
            FilmVersion.status.in_((VersionStatus.PROCESSING, VersionStatus.FAILED)),
            or_(FilmVersion.heartbeat_at.is_(None), FilmVersion.heartbeat_at < _stale_before()),
        )
        .values(heartbeat_at=utcnow())
    ).rowcount
    db.session.commit()
    return claimed == 1


def requeue_stalled() -> list[int]:
    """Versions whose worker died (heartbeat too old), or whose queued job was lost."""
    stale = _stale_before()
    stalled = db.session.scalars(
        select(FilmVersion.id).where(
            FilmVersion.status == VersionStatus.PROCESSING,
            or_(
                FilmVersion.heartbeat_at < stale,
                and_(FilmVersion.heartbeat_at.is_(None), FilmVersion.uploaded_at < stale),
            ),
        )
    ).all()
    return list(stalled)


def process_version(version_id: int) -> FilmVersion | None:
    version = db.session.get(FilmVersion, version_id)
    if version is None or version.status in (VersionStatus.VALID, VersionStatus.REFUSED):
        return version
    if not claim(version_id):
        return version  # another worker is on it
    try:
        return _process(version)
    except Exception as error:
        db.session.rollback()
        version = db.session.get(FilmVersion, version_id)
        version.status, version.step = VersionStatus.FAILED, "failed"
        version.error = str(error)[:2000]
        version.heartbeat_at = None  # free for the job's retry
        db.session.commit()
        raise


def _remove_leftovers(directory: Path) -> None:
    """Temporary files of an attempt whose worker was killed: never served, now removed."""
    if directory.is_dir():
        for leftover in directory.rglob(".*.partial"):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()


def _process(version: FilmVersion) -> FilmVersion:
    film = version.film
    version.status, version.error = VersionStatus.PROCESSING, ""
    _step(version, "checking")
    _remove_leftovers(media_path(version.directory))
    original = media_path(version.original_path)
    if not version.sha256:
        version.sha256, version.size = sha256_of(original), original.stat().st_size
    report = check_file(original, rules_for(film.edition))
    version.report = report.to_json()
    summary = version.report
    version.duration, version.width, version.height = (
        summary.get("duration"),
        summary.get("width"),
        summary.get("height"),
    )
    if not report.ok:
        version.status, version.processed_at = VersionStatus.REFUSED, utcnow()
        emails.tell_check_result(version)
        _step(version, "done")
        return version

    _step(version, "thumbnails")
    db.session.execute(
        delete(Thumbnail).where(Thumbnail.version_id == version.id, Thumbnail.is_still.is_(False))
    )
    root = media_root()
    for thumbnail in make_thumbnails(
        original, media_path(f"{version.directory}/thumbs"), report.probe
    ):
        db.session.add(
            Thumbnail(
                version_id=version.id,
                index=thumbnail.index,
                at_seconds=thumbnail.at_seconds,
                width=thumbnail.width,
                height=thumbnail.height,
                files={key: str(path.relative_to(root)) for key, path in thumbnail.files.items()},
            )
        )
    _step(version, "rendition")

    last_saved = [time.monotonic()]

    def on_progress(fraction: float) -> None:
        # Saved at most every second: the page polls it, the database need not feel it.
        if time.monotonic() - last_saved[0] >= 1.0:
            version.progress = PROGRESS["rendition"] + int(65 * fraction)
            version.heartbeat_at = utcnow()
            db.session.commit()
            last_saved[0] = time.monotonic()

    rendition = make_rendition(
        original, media_path(version.rendition_path), report.probe, on_progress=on_progress
    )
    version.rendition_remuxed = rendition.remuxed
    version.status, version.processed_at = VersionStatus.VALID, utcnow()
    if (
        film.decision == ReviewDecision.NOT_SELECTED
        and film.decided_at
        and film.decided_at < version.uploaded_at
    ):
        # A new cut after a refusal: staff look again.
        film.decision, film.decided_at = None, None
    # A new cut of a retained film waits for staff's approval; visitors keep the approved one.
    emails.tell_check_result(version)
    _step(version, "done")
    return version
