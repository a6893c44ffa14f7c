"""Background jobs on Huey: each takes an id, opens its own app context and records its state.

Storage: a SQLite file in the instance folder by default (no server to install), Redis when
QUEUE_URL=redis://… so that workers on other machines share the queue. In tests, jobs run at
once (immediate mode).
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from pathlib import Path

from flask import Flask, current_app, has_app_context
from huey import crontab
from huey.consumer import Consumer
from huey.storage import RedisStorage, SqliteStorage

from festival.extensions import huey

log = logging.getLogger(__name__)
_app: Flask | None = None


def init_jobs(app: Flask) -> None:
    global _app
    _app = app
    queue_url = app.config.get("QUEUE_URL") or ""
    huey.immediate = bool(app.config.get("JOBS_IMMEDIATE"))
    if huey.immediate:
        return
    if queue_url.startswith(("redis://", "rediss://", "unix://")):
        huey.storage = RedisStorage(huey.name, url=queue_url)
    else:
        path = Path(app.config.get("JOBS_SQLITE_PATH") or Path(app.instance_path) / "jobs.sqlite3")
        huey.storage = SqliteStorage(huey.name, filename=str(path))


@contextlib.contextmanager
def job_context():
    """The app context a job runs in: the caller's, or the one of the app that set us up."""
    if has_app_context():
        yield current_app
        return
    if _app is None:
        raise RuntimeError("init_jobs(app) was not called: create_app() does it.")
    with _app.app_context():
        yield _app


JOB_NICENESS = 10


def _yield_to_the_web() -> None:
    """Video work runs at a lower priority than pages: on a shared machine, visitors first.

    Linux keeps a priority per thread and ffmpeg inherits it from the thread that starts it.
    Not for jobs run at once in a request (tests, immediate mode).
    """
    if huey.immediate:
        return
    with contextlib.suppress(AttributeError, OSError):
        current = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
        if current < JOB_NICENESS:
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), JOB_NICENESS)


@huey.task(retries=2, retry_delay=15)
def process_version(version_id: int) -> None:
    """Check a new upload, then make its thumbnails and its browser rendition."""
    from festival.films.pipeline import process_version as run

    _yield_to_the_web()
    with job_context():
        run(version_id)


@huey.task(retries=1, retry_delay=30)
def build_screening_pack(pack_id: int) -> None:
    """Normalise every programmed film's loudness and bundle them with playlists."""
    from festival.programme.pack import build_pack

    _yield_to_the_web()
    with job_context():
        build_pack(pack_id)


@huey.periodic_task(crontab(minute="*"))
def requeue_stalled_versions() -> list[int]:
    """Every minute: a film whose worker died (or whose queued job was lost) goes back in."""
    from festival.films.pipeline import requeue_stalled

    with job_context():
        stalled = requeue_stalled()
    for version_id in stalled:
        log.warning("Version %s stalled: processing it again", version_id)
        process_version(version_id)
    return stalled


@huey.periodic_task(crontab(minute="*/15"))
def clean_abandoned_uploads() -> None:
    from festival.films.uploads import clean_expired_uploads

    with job_context():
        removed = clean_expired_uploads()
        if removed:
            log.info("Removed %s abandoned upload(s)", removed)


class InProcessConsumer(Consumer):
    """Workers as threads of the web server's process: the embedded, one-machine setup.

    The web server keeps its own signal handling (Ctrl-C stops both).
    """

    def _set_signal_handlers(self) -> None:
        pass


def start_in_process_workers(workers: int = 2) -> InProcessConsumer:
    requeue_stalled_versions.call_local()  # what a previous run left half-done
    consumer = InProcessConsumer(huey, workers=workers, worker_type="thread", periodic=True)
    consumer.start()
    return consumer
