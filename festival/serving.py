"""The embedded production server (`flask serve`), and Werkzeug's server, as the browser tests
use it, made to close every response it starts.

When a client resets the connection while a response streams (a browser seeking in a video
drops its range request), Werkzeug's development server fails reading what is left on the
socket and never calls the response's close(): the film file it was sending stays open until
the garbage collector finds it. Here each response is handed over as a generator whose
`finally` closes it, which Python runs even when the server drops the generator. gunicorn,
the production server, calls close() itself and keeps its own file wrapper (sendfile).
"""

from __future__ import annotations

import contextlib
import logging
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Iterator

from gunicorn.app.base import BaseApplication

from festival.extensions import db


class CloseEveryResponse:
    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response) -> Iterable[bytes]:
        return _closing(self.app(environ, start_response))


def _closing(response: Iterable[bytes]) -> Iterator[bytes]:
    try:
        yield from response
    finally:
        close = getattr(response, "close", None)
        if close is not None:
            close()


KEPT_ALIVE_PER_PROCESS = 4
# A job consumer that dies is started again after this long; one that keeps dying at once
# waits longer each time (up to a minute), not a restart loop eating the machine.
RESTART_DELAY, LONGEST_RESTART_DELAY, SHORT_LIFE = 2.0, 60.0, 30.0

log = logging.getLogger(__name__)


class EmbeddedServer(BaseApplication):
    """gunicorn, set up as in production (threads, long uploads), with `flask worker` beside
    it for the background jobs: what `flask serve` and `make run` start on one machine.

    The job consumer is a process of its own, started once gunicorn is ready and stopped with
    it (Ctrl-C reaches both; on a stop, running jobs may finish for a while).
    """

    def __init__(self, app, *, bind: str, processes: int, threads: int, job_workers: int):
        self.application = app
        self.options = {
            "bind": bind,
            "workers": processes,
            "threads": threads,
            "worker_class": "gthread",
            # A process takes at most this many connections: wrk or a crowd connecting at once
            # would otherwise land on whichever process woke first (gunicorn's default is 1,000),
            # and one process (one core, one GIL) served all of them at a third of the speed
            # of an even spread. Past its threads, a process keeps 4 idle connections alive.
            "worker_connections": threads + KEPT_ALIVE_PER_PROCESS,
            # A phone's upload trickles in; no nginx in front buffers it.
            "timeout": 600,
            "graceful_timeout": 30,
            "accesslog": None,
            "errorlog": "-",
            "loglevel": "warning",
            "post_fork": self._forget_master_connections,
            "when_ready": self._start_jobs,
            "on_exit": self._stop_jobs,
        }
        self.job_workers = job_workers
        self.jobs: subprocess.Popen | None = None
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return self.application

    def _forget_master_connections(self, _arbiter, _worker) -> None:
        with self.application.app_context():
            db.engine.dispose(close=False)

    def _start_jobs(self, _arbiter) -> None:
        if self.job_workers <= 0:
            return
        self._stopping = threading.Event()
        self._launch_jobs()
        threading.Thread(target=self._keep_jobs_running, name="jobs-keeper", daemon=True).start()

    def _launch_jobs(self) -> None:
        command = [sys.executable, "-m", "flask", "--app", "festival", "worker"]
        self.jobs = subprocess.Popen(  # noqa: S603 - our own command, no shell
            [*command, "--workers", str(self.job_workers)], stdin=subprocess.DEVNULL
        )
        self._jobs_started = time.monotonic()

    def _keep_jobs_running(self) -> None:
        """The job consumer killed (out of memory, by hand) is started again, and its start
        steps hand back what it left half-done: films do not wait for the server's restart."""
        delay = RESTART_DELAY
        while True:
            code = self.jobs.wait()
            lived = time.monotonic() - self._jobs_started
            delay = RESTART_DELAY if lived > SHORT_LIFE else min(delay * 2, LONGEST_RESTART_DELAY)
            if self._stopping.wait(delay):
                return
            log.warning("The job consumer stopped (exit %s): starting it again.", code)
            self._launch_jobs()

    def _stop_jobs(self, _arbiter) -> None:
        if self.jobs is None:
            return
        self._stopping.set()
        with contextlib.suppress(ProcessLookupError):
            self.jobs.send_signal(signal.SIGINT)  # huey's graceful stop: running jobs finish
        try:
            self.jobs.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.jobs.kill()  # a long rendition: the next start hands it over again
