"""Background jobs on Huey, the plumbing: the queue's storage, the app context, the workers.

The tasks live beside their domain (films/tasks.py, programme/tasks.py): each takes an id,
opens its own app context and records its state.

Storage: a SQLite file in the instance folder by default (no server to install), Redis when
QUEUE_URL=redis://… so that workers on other machines share the queue. In tests, jobs run at
once (immediate mode).
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path

from flask import Flask, current_app, has_app_context
from huey.consumer import Consumer
from huey.storage import RedisStorage, SqliteStorage

from festival.extensions import encode_queue, huey
from festival.processing.ffmpeg import stop_every_command

log = logging.getLogger(__name__)
_app: Flask | None = None


# The lanes, by the name `flask worker --lane` takes: each is a queue of its own, with its
# own workers, on the same storage (one SQLite file, or one Redis).
LANES = {"checks": huey, "encodes": encode_queue}


def init_jobs(app: Flask) -> None:
    global _app
    _app = app
    queue_url = app.config.get("QUEUE_URL") or ""
    immediate = bool(app.config.get("JOBS_IMMEDIATE"))
    for queue in LANES.values():
        queue.immediate = immediate
        if immediate:
            continue
        if queue_url.startswith(("redis://", "rediss://", "unix://")):
            queue.storage = RedisStorage(queue.name, url=queue_url)
        else:
            default = Path(app.instance_path) / "jobs.sqlite3"
            path = Path(app.config.get("JOBS_SQLITE_PATH") or default)
            queue.storage = SqliteStorage(queue.name, filename=str(path))


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
# A film's browser rendition runs for minutes: below the checks and thumbnails people wait for.
RENDITION_NICENESS = 15


def yield_to_the_web(niceness: int = JOB_NICENESS) -> None:
    """Video work runs at a lower priority than pages: on a shared machine, visitors first.

    Linux keeps a priority per thread and ffmpeg inherits it from the thread that starts it.
    Not for jobs run at once in a request (tests, immediate mode).
    """
    if huey.immediate:
        return
    with contextlib.suppress(AttributeError, OSError):
        current = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
        if current < niceness:
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), niceness)


# What a worker does before taking jobs (registered by the domains, see films/tasks.py):
# each step returns a sentence for the operator, or None when there was nothing to do.
_worker_start_steps: list[Callable[[], str | None]] = []


def at_worker_start(step: Callable[[], str | None]) -> Callable[[], str | None]:
    """Run `step` whenever workers start, before they take jobs (used as a decorator)."""
    if step not in _worker_start_steps:
        _worker_start_steps.append(step)
    return step


def run_worker_start_steps() -> list[str]:
    """What a previous run left half-done is put right; returns what was done, in sentences."""
    return [message for step in _worker_start_steps if (message := step())]


# Huey's workers poll the queue, waiting longer after each empty look (10 s by default after
# an idle night). Capped at a twentieth of a second: the team's film is checked as soon as its
# last byte is in (a tenth took 0.1 s of a 5-minute H.264 film's 0.87 s to valid), and an
# empty look costs one small query on SQLite (a blocking read on Redis, which answers at once
# when a job comes).
CONSUMER_OPTIONS = {"initial_delay": 0.05, "backoff": 1.15, "max_delay": 0.05}


class _BesideConsumer(Consumer):
    """A lane's workers beside the consumer that listens for signals."""

    def _set_signal_handlers(self) -> None:
        pass


class _StoppingConsumer(Consumer):
    """The consumer that hears the stop (Ctrl-C, `flask serve` ending): the video commands of
    every lane are stopped first, their films handed back (the next start takes them up
    again), then the workers finish."""

    def stop(self, graceful: bool = False) -> None:
        stop_every_command()
        super().stop(graceful)


def run_lanes(workers: dict[str, int]) -> None:
    """Consume the named lanes in this process until told to stop: {"checks": 2, "encodes": 1}."""
    names = list(workers)
    beside = [
        make_consumer(workers[name], lane=name, consumer_class=_BesideConsumer)
        for name in names[1:]
    ]
    listening = make_consumer(workers[names[0]], lane=names[0], consumer_class=_StoppingConsumer)
    for consumer in beside:
        consumer.start()
    try:
        listening.run()
    finally:
        for consumer in beside:
            consumer.stop(graceful=True)


def make_consumer(
    workers: int, *, lane: str = "checks", consumer_class: type[Consumer] = Consumer
) -> Consumer:
    return consumer_class(
        LANES[lane], workers=workers, worker_type="thread", periodic=True, **CONSUMER_OPTIONS
    )
