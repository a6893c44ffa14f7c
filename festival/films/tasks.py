"""The films' background jobs: processing a new version, and the sweeps that keep it honest."""

from __future__ import annotations

import logging

from huey import crontab
from sqlalchemy.orm import Session

from festival.clock import local_today
from festival.editions.services import current_edition
from festival.extensions import db, encode_queue, huey
from festival.films import emails, pipeline
from festival.films.models import FilmVersion
from festival.jobs import RENDITION_NICENESS, at_worker_start, job_context, yield_to_the_web
from festival.processing.washing import strip_metadata
from festival.storage import media_path

log = logging.getLogger(__name__)


@huey.task(retries=2, retry_delay=15)
def process_version(version_id: int) -> None:
    """Check a new upload and make its thumbnails (checks lane); its encode goes to the
    encodes lane."""
    yield_to_the_web()
    with job_context():
        version = pipeline.process_version(version_id)
        if version is not None and pipeline.waits_for_rendition(version):
            encode_version(version_id)


@encode_queue.task(retries=2, retry_delay=15)
def encode_version(version_id: int) -> None:
    """The browser rendition of a valid version (encodes lane: minutes, one per two cores)."""
    yield_to_the_web(RENDITION_NICENESS)
    with job_context():
        pipeline.encode_version(version_id)


@huey.periodic_task(crontab(minute="*"))
def requeue_stalled_versions() -> list[int]:
    """Every minute: a film whose worker died (or whose queued job was lost) goes back in."""
    with job_context():
        stalled = pipeline.requeue_stalled()
    for version_id in stalled:
        log.warning("Version %s stalled: processing it again", version_id)
        process_version(version_id)
    return stalled


@at_worker_start
def requeue_what_a_stopped_worker_left() -> str | None:
    stalled = requeue_stalled_versions.call_local()
    if not stalled:
        return None
    return f"{len(stalled)} film version(s) left half-processed: queued again."


@huey.periodic_task(crontab(hour="9", minute="5"))
def remind_upload_deadline() -> int:
    """A week and two days before the deadline, teams without a valid film hear of it."""
    with job_context():
        edition = current_edition()
        sent = emails.send_deadline_reminders(edition, local_today()) if edition else 0
        db.session.commit()
    return sent


@encode_queue.task(retries=2, retry_delay=60)
def wash_original(version_id: int) -> bool:
    """An erased participant's upload keeps its picture and sound, not a single tag: the
    original is rewritten without them (size and fingerprint stay those of the file received)."""
    yield_to_the_web()
    with job_context(), Session(db.engine) as session:
        version = session.get(FilmVersion, version_id)
        if version is None:
            return False
        path = media_path(version.original_path)
        if not path.is_file():
            return False
    washed = strip_metadata(path)  # no transaction is open while ffmpeg runs
    if washed:
        with job_context(), Session(db.engine) as session:
            version = session.get(FilmVersion, version_id)
            if version is not None:
                version.note_washed()
                session.commit()
    return washed
