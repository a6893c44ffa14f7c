"""What happens to a new version in the background: check, thumbnails, rendition.

Two jobs in two lanes: `process_version` (checks lane) checks the upload and makes its
thumbnails, and a remux beside them when the file only needs one; `encode_version` (encodes
lane) makes the browser encode of a valid version. A film uploaded while others encode is
checked at once.

Idempotent: a finished version is left alone; a retried one starts over and overwrites its
derived files atomically. The original upload is only ever read (and washed once copied).

Each job runs once. A worker claims a version (the version's id is the job's key) and, while
it works, a thread of its own renews a heartbeat every few seconds. A worker killed mid-job
stops renewing it; `requeue_stalled` hands the version to another worker after
PROCESSING_LEASE_SECONDS, and the claim makes sure two never work on the same one. A job that
fails or is stopped kills its ffmpeg before it lets go of the version.

Over 400 lines on purpose: both lanes' jobs move one version through one set of states, under
one lease; split, each half would have to know the other's states.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from datetime import timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.orm import Session

from festival.clock import utcnow
from festival.extensions import db
from festival.films import emails
from festival.films.models import FilmVersion, ReviewDecision, Thumbnail, VersionStatus
from festival.films.services import rules_for
from festival.films.subtitles import keep_embedded_tracks
from festival.jobs import JOB_NICENESS, RENDITION_NICENESS, yield_to_the_web
from festival.processing import check_file
from festival.processing.checks import check_file_and
from festival.processing.ffmpeg import CommandFailed, CommandStopped
from festival.processing.files import sha256_of
from festival.processing.renditions import Rendition, is_browser_ready, make_rendition
from festival.processing.thumbnails import (
    FIRST_WIDTHS,
    THUMBNAIL_WIDTHS,
    add_sizes,
    make_thumbnails,
)
from festival.processing.washing import strip_metadata
from festival.storage import media_path, media_root

# Until the version is valid, `progress` is the check's and the thumbnails'; from then on it
# is the browser rendition's own, which the team sees as « version web en préparation ».
log = logging.getLogger(__name__)
PROGRESS = {"checking": 5, "rendition": 0, "done": 100}
RENDITION_FAILED = "rendition_failed"
HEARTBEAT_SECONDS = 5


def _step(version: FilmVersion, step: str) -> None:
    version.step, version.progress = step, PROGRESS[step]
    version.heartbeat_at = utcnow()
    db.session.commit()


def _stale_before():
    return utcnow() - timedelta(seconds=current_app.config["PROCESSING_LEASE_SECONDS"])


def _waiting_for_rendition():
    return and_(FilmVersion.status == VersionStatus.VALID, FilmVersion.rendition_ready_at.is_(None))


def claim(version_id: int) -> bool:
    """Take the version for this worker, unless another one is alive and working on it."""
    claimed = db.session.execute(
        update(FilmVersion)
        .where(
            FilmVersion.id == version_id,
            or_(
                FilmVersion.status.in_((VersionStatus.PROCESSING, VersionStatus.FAILED)),
                _waiting_for_rendition(),
            ),
            or_(FilmVersion.heartbeat_at.is_(None), FilmVersion.heartbeat_at < _stale_before()),
        )
        .values(heartbeat_at=utcnow())
    ).rowcount
    db.session.commit()
    return claimed == 1


def requeue_stalled() -> list[int]:
    """Versions whose worker died (heartbeat too old), or whose queued job was lost: before
    the check, or valid but with their rendition unfinished (not given up on)."""
    stale = _stale_before()
    stalled = db.session.scalars(
        select(FilmVersion.id).where(
            or_(
                FilmVersion.status == VersionStatus.PROCESSING,
                and_(_waiting_for_rendition(), FilmVersion.step != RENDITION_FAILED),
            ),
            or_(
                FilmVersion.heartbeat_at < stale,
                and_(FilmVersion.heartbeat_at.is_(None), FilmVersion.uploaded_at < stale),
            ),
        )
    ).all()
    return list(stalled)


def process_version(version_id: int) -> FilmVersion | None:
    """The checks lane's job: check, thumbnails, valid. A version already valid is left for
    `encode_version` (see `waits_for_rendition`)."""
    version = db.session.get(FilmVersion, version_id)
    if version is None or version.status in (VersionStatus.REFUSED, VersionStatus.VALID):
        return version
    return _as_the_only_worker(version, _process)


def encode_version(version_id: int) -> FilmVersion | None:
    """The encodes lane's job: the browser rendition of a valid version, then its original
    washed. The film is watchable by its team meanwhile (the rendition has its own progress)."""
    version = db.session.get(FilmVersion, version_id)
    if version is None or not waits_for_rendition(version):
        return version
    return _as_the_only_worker(version, _encode)


def _encode(version: FilmVersion) -> FilmVersion:
    _remove_leftovers(media_path(version.directory))  # a killed attempt's partial file
    return _finish_rendition(version, _start_rendition(version, _probe_again(version)))


def _as_the_only_worker(version: FilmVersion, work) -> FilmVersion:
    """`work(version)` under this worker's lease, unless another worker holds it; on a failure
    the version says so and is let go."""
    version_id = version.id
    if not claim(version_id):
        return version  # another worker is on it
    try:
        with _holding_the_lease(version_id):
            return work(version)
    except Exception as error:
        _let_go(version_id, error)
        raise


def process_in_full(version_id: int) -> FilmVersion | None:
    """Both lanes' work, one after the other, in this thread: for the demo and the tests,
    which have no worker."""
    version = process_version(version_id)
    if version is not None and waits_for_rendition(version):
        version = encode_version(version_id)
    return version


def waits_for_rendition(version: FilmVersion) -> bool:
    """Valid, its rendition neither made nor given up on: the encodes lane's work."""
    return (
        version.status == VersionStatus.VALID
        and version.rendition_ready_at is None
        and version.step != RENDITION_FAILED
    )


def _let_go(version_id: int, error: Exception) -> None:
    """A job failed: the version says so (a valid one stays valid), and is free for a retry.
    A job stopped with its worker only lets go: the next start takes it up again."""
    db.session.rollback()
    version = db.session.get(FilmVersion, version_id)
    if not isinstance(error, CommandStopped):
        if version.status == VersionStatus.VALID:
            # The film stays valid: its thumbnails are chosen, the original is safe.
            version.step = RENDITION_FAILED
        else:
            version.status, version.step = VersionStatus.FAILED, "failed"
        version.error = str(error)[:2000]
    version.heartbeat_at = None  # free for the job's retry
    db.session.commit()


@contextlib.contextmanager
def _holding_the_lease(version_id: int):
    """A sign of life every few seconds, from a thread and a connection of its own, whatever
    the job is busy with (a long ffprobe, a frame hard to decode): the version stays this
    worker's while it works, and is taken over soon after it stops."""
    engine = db.engine
    done = threading.Event()

    def beat() -> None:
        while not done.wait(HEARTBEAT_SECONDS):
            with contextlib.suppress(Exception), Session(engine) as session:
                session.execute(
                    update(FilmVersion)
                    .where(FilmVersion.id == version_id, FilmVersion.heartbeat_at.is_not(None))
                    .values(heartbeat_at=utcnow())
                )
                session.commit()

    heart = threading.Thread(target=beat, name=f"lease-{version_id}", daemon=True)
    heart.start()
    try:
        yield
    finally:
        done.set()
        heart.join()


def prepare_rendition_again(version: FilmVersion) -> bool:
    """Staff ask for a failed rendition again; the caller queues the job."""
    if not version.rendition_failed:
        return False
    version.step, version.progress, version.heartbeat_at = "rendition", 0, None
    return True


def _remove_leftovers(directory: Path) -> None:
    """Temporary files of an attempt whose worker was killed: never served, now removed."""
    if directory.is_dir():
        for leftover in directory.rglob(".*.partial"):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()


def _process(version: FilmVersion) -> FilmVersion:
    """Check, the thumbnails made while the check reads every packet and a remux started once
    they pass; valid as soon as the thumbnails exist, then the remux is waited for with its
    own progress, or the encode left to its lane."""
    film = version.film
    version.status, version.error = VersionStatus.PROCESSING, ""
    _step(version, "checking")
    _remove_leftovers(media_path(version.directory))
    original = media_path(version.original_path)
    rules = rules_for(film.edition)
    thumbs, rendition_path = (
        media_path(f"{version.directory}/thumbs"),
        media_path(version.rendition_path),
    )
    # No transaction is open while ffprobe, ffmpeg or Pillow run: every write of a step
    # comes after its work, in one short transaction (a roll call never waits behind a film).
    db.session.commit()

    # The thumbnails are made while the check lists every packet (one core for a fifth of a
    # second). A remux only copies: it starts once the packets pass too, beside the
    # thumbnails' end (started with them, it made a 5-minute film's thumbnails 0.3 s later;
    # started after them, its web version 0.4 s later). An encode takes minutes and its
    # threads, even niced, take a share of both cores: it goes to its lane once valid.
    started: list[RenditionInProgress] = []

    def remux(probe) -> None:  # on the listing's thread: no app context, paths only
        if is_browser_ready(probe):
            started.append(RenditionInProgress(original, rendition_path, probe))

    try:
        report, pictures = check_file_and(
            original,
            rules,
            lambda probe: make_thumbnails(original, thumbs, probe, widths=FIRST_WIDTHS),
            once_passed=remux,
        )
    except BaseException:
        for rendition in started:
            rendition.abandon()
        raise
    rendition = started[0] if started else None
    pictures = pictures or []
    version.size = original.stat().st_size
    version.report = report.to_json()
    summary = version.report
    version.duration, version.width, version.height = (
        summary.get("duration"),
        summary.get("width"),
        summary.get("height"),
    )
    if not report.ok:  # what was made beside the packets (their verdict came last) goes
        _throw_away(pictures)
        version.sha256 = version.sha256 or sha256_of(original)
        version.status, version.processed_at = VersionStatus.REFUSED, utcnow()
        emails.tell_check_result(version)
        _step(version, "done")
        return version

    try:
        made = _replace_thumbnails(version, pictures)
        db.session.commit()
        keep_embedded_tracks(version, original, report.probe)  # subtitles inside the upload
        version.status, version.processed_at = VersionStatus.VALID, utcnow()
        if (
            film.decision == ReviewDecision.NOT_SELECTED
            and film.decided_at
            and film.decided_at < version.uploaded_at
        ):
            # A new cut after a refusal: staff look again.
            film.decision, film.decided_at = None, None
        # A new cut of a retained film waits for staff's approval; visitors keep the approved one.
        _step(version, "rendition")  # valid: the team's page shows it from now on
        emails.tell_check_result(version)
        db.session.commit()
        _add_larger_thumbnails(version, made)
    except BaseException:
        if rendition is not None:
            rendition.abandon()
        raise
    if rendition is None:
        version.heartbeat_at = None
        db.session.commit()
        return version
    return _finish_rendition(version, rendition)


def _probe_again(version: FilmVersion):
    report = check_file(media_path(version.original_path), rules_for(version.film.edition))
    if not report.ok or report.probe is None:
        raise RuntimeError("the original no longer passes the check")
    return report.probe


def _replace_thumbnails(version: FilmVersion, thumbnails: list) -> list:
    """The candidates in the sizes pages show, made during the check, replace the old rows
    (no write waited on ffmpeg); returns (row, thumbnail) pairs for the larger sizes."""
    db.session.execute(
        delete(Thumbnail).where(Thumbnail.version_id == version.id, Thumbnail.is_still.is_(False))
    )
    made = []
    for thumbnail in thumbnails:
        row = Thumbnail(
            version_id=version.id,
            index=thumbnail.index,
            at_seconds=thumbnail.at_seconds,
            width=thumbnail.width,
            height=thumbnail.height,
            files=_relative(thumbnail.files),
        )
        db.session.add(row)
        made.append((row, thumbnail))
    return made


def _throw_away(thumbnails: list) -> None:
    """Pictures of a file the packets refused (its header had passed)."""
    for thumbnail in thumbnails:
        for path in thumbnail.files.values():
            path.unlink(missing_ok=True)


def _add_larger_thumbnails(version: FilmVersion, made: list) -> None:
    db.session.commit()
    larger = tuple(w for w in THUMBNAIL_WIDTHS if w not in FIRST_WIDTHS)
    add_sizes([t for _, t in made], media_path(f"{version.directory}/thumbs"), larger)
    for row, thumbnail in made:
        row.files = _relative(thumbnail.files)  # a new dict: the JSON column sees the change
    db.session.commit()


def _relative(files: dict) -> dict:
    root = media_root()
    return {key: str(path.relative_to(root)) for key, path in files.items()}


class RenditionInProgress:
    """The browser rendition, made on a thread of its own while the job goes on.

    An encode runs one step below the job's priority: the thumbnails the team is waiting for
    come first. Progress is only read here; the job's thread writes it to the database.
    """

    def __init__(self, original: Path, out_path: Path, probe) -> None:
        self.fraction = 0.0
        self._out_path = out_path
        self._abandoned = threading.Event()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rendition")
        self._future: Future[Rendition] = self._pool.submit(self._make, original, out_path, probe)
        self._pool.shutdown(wait=False)

    def _make(self, original: Path, out_path: Path, probe) -> Rendition:
        # A remux is a second of copying, not minutes of encoding: it needs not step aside.
        yield_to_the_web(JOB_NICENESS if is_browser_ready(probe) else RENDITION_NICENESS)
        return make_rendition(original, out_path, probe, on_progress=self._progress)

    def _progress(self, fraction: float) -> None:
        if self._abandoned.is_set():
            raise RenditionAbandoned
        self.fraction = fraction

    def abandon(self) -> None:
        """The job failed before the rendition was needed: stop ffmpeg, keep nothing."""
        self._abandoned.set()
        with contextlib.suppress(Exception):
            self._future.result(timeout=30)
        # A remux can end before it hears of the failure: what it made goes too.
        self._out_path.unlink(missing_ok=True)

    def wait(self, seconds: float) -> Rendition | None:
        """The rendition once made (raising what ffmpeg raised), or None after `seconds`."""
        try:
            return self._future.result(timeout=seconds)
        except FutureTimeout:
            return None


class RenditionAbandoned(Exception):
    pass


def _wash_original(version: FilmVersion) -> None:
    """The phone's tags (GPS position, make, model, owner) leave the kept original once the
    clean rendition exists, before the film counts as ready: a worker stopped here washes it
    on its retry. A container ffmpeg cannot write back keeps them, never handed out."""
    if version.original_is_clean:
        return
    original = media_path(version.original_path)
    # Staff's record of the file received is taken before the wash changes it.
    version.sha256 = version.sha256 or sha256_of(original)
    version.heartbeat_at = utcnow()
    db.session.commit()  # no transaction is open while ffmpeg copies the file
    try:
        washed = strip_metadata(original)
    except CommandFailed:
        log.exception("The original of version %s could not be washed", version.id)
        return
    if washed:
        version.note_washed()


def _wait_for(version: FilmVersion, rendition: RenditionInProgress):
    version.step, version.error = "rendition", ""
    while (made := rendition.wait(1.0)) is None:
        _save_progress(version, rendition.fraction)
    return made


def _save_progress(version: FilmVersion, fraction: float) -> None:
    """Every second: the team's page polls it."""
    version.progress = min(99, int(100 * fraction))
    version.heartbeat_at = utcnow()
    db.session.commit()


def _start_rendition(version: FilmVersion, probe) -> RenditionInProgress:
    return RenditionInProgress(
        media_path(version.original_path), media_path(version.rendition_path), probe
    )


def _finish_rendition(version: FilmVersion, rendition: RenditionInProgress) -> FilmVersion:
    try:
        made = _wait_for(version, rendition)
    except BaseException:
        # Whatever stopped the job (a progress that could not be saved, a stop): its ffmpeg
        # stops too, or a retry would encode the same film beside it.
        rendition.abandon()
        raise
    version.rendition_remuxed = made.remuxed
    _wash_original(version)
    version.rendition_ready_at = utcnow()
    _step(version, "done")
    if not version.sha256:
        # Last: staff's record of the file received, nothing the team waits for (a 5-minute
        # film takes half a second to read, from the page cache the rendition just filled).
        version.sha256 = sha256_of(media_path(version.original_path))
        db.session.commit()
    return version
