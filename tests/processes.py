"""Real processes of the app (gunicorn, workers, CLI) for tests that kill and restart them."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent


def app_env(app, **extra: str) -> dict[str, str]:
    """The environment that makes a child process use the test's database and media."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("FLASK_APP", "FESTIVAL_ENV", "QUEUE_URL")
    }
    env.update(
        {
            "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
            "MEDIA_ROOT": app.config["MEDIA_ROOT"],
            "CACHE_GENERATION_FILE": app.config.get("CACHE_GENERATION_FILE") or "",
            "SECRET_KEY": "test-secret",
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            "FESTIVAL_ENV": "development",
            "PYTHONUNBUFFERED": "1",
            # Never the developer's own queue in the instance folder.
            "JOBS_SQLITE_PATH": app.config.get("JOBS_SQLITE_PATH")
            or str(Path(app.config["MEDIA_ROOT"]).parent / "jobs.sqlite3"),
        }
    )
    env.update(extra)
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Process:
    """A child in its own process group, so that a kill takes its ffmpeg children too."""

    def __init__(self, argv: list[str], env: dict[str, str], log: Path):
        self.log = log
        self._log_handle = log.open("ab")
        self.popen = subprocess.Popen(  # noqa: S603 - fixed argv
            argv,
            env=env,
            stdout=self._log_handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill(self) -> None:
        """SIGKILL, as a power cut or the OOM killer would: no cleanup runs."""
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait(timeout=10)

    def stop(self) -> None:
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
        self._log_handle.close()

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]


def wait_for(condition: Callable[[], object], *, timeout: float, what: str, every=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")


def start_gunicorn(app, tmp_path: Path, *, port: int | None = None, **env) -> tuple[Process, str]:
    """The production server, as the README runs it: gunicorn on wsgi:app."""
    port = port or free_port()
    process = Process(
        [
            str(BIN / "gunicorn"),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "4",
            "--chdir",
            str(Path(__file__).resolve().parent.parent),
            "wsgi:app",
        ],
        app_env(app, **env),
        tmp_path / f"gunicorn-{port}.log",
    )
    url = f"http://127.0.0.1:{port}"

    def ready():
        if process.popen.poll() is not None:
            pytest.fail(f"gunicorn stopped:\n{process.output()}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=1) as response:  # noqa: S310
                return response.status == 200
        except OSError:
            return False

    wait_for(ready, timeout=30, what="gunicorn to answer /healthz", every=0.2)
    return process, url


def start_worker(app, tmp_path: Path, name: str, **env) -> Process:
    return Process(
        [str(BIN / "flask"), "--app", "festival", "worker", "--workers", "1"],
        app_env(app, **env),
        tmp_path / f"worker-{name}.log",
    )
