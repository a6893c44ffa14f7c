"""What the benchmarks share: ports, waiting for a server, wrk."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"nothing answered on port {port} after {timeout:.0f} s")


def require_wrk(make_target: str) -> None:
    if shutil.which("wrk") is None:
        raise SystemExit(f"wrk is missing: `make {make_target}` installs it (apt-get install wrk)")


@contextmanager
def server_process(
    argv_for_port: Callable[[int], list[str]], env: dict, cwd: Path, *, settle: float = 0.0
) -> Iterator[str]:
    """A server on a free port, in a session of its own: one SIGINT at the end stops the whole
    group (gunicorn's workers, and the job consumer `flask serve` starts beside them)."""
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 - the benchmark's own commands
        argv_for_port(port),
        env=env,
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_for_port(port, timeout=60)
        time.sleep(settle)  # the workers have forked and imported
        yield f"http://127.0.0.1:{port}"
    finally:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=90)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def make_run_server(
    root: Path,
    work: Path,
    *,
    settle: float = 0.0,
    demo_options: tuple[str, ...] = (),
    **settings: str,
):
    """`flask serve` as `make run` starts it, the code of `root` on a fresh database in `work`
    with the demo loaded (`flask demo` with `demo_options`); `settings` are more environment
    variables. A context manager that gives the server's address."""
    import sys

    env = dict(
        os.environ,
        DATABASE_URL=f"sqlite:///{work}/festival.sqlite3",
        MEDIA_ROOT=str(work / "media"),
        JOBS_SQLITE_PATH=str(work / "jobs.sqlite3"),
        MAIL_OUTBOX_DIR=str(work / "outbox"),
        STATIC_BUILD_ROOT=str(work / "static"),
        PYTHONPATH=str(root),
        **settings,
    )
    flask = [str(Path(sys.executable).parent / "flask"), "--app", "festival"]
    for step in (["db", "upgrade"], ["demo", *demo_options]):
        subprocess.run([*flask, *step], env=env, cwd=root, check=True, capture_output=True)
    return server_process(
        lambda port: [*flask, "serve", "--port", str(port)], env, root, settle=settle
    )


def staff_token(base: str) -> dict[str, str]:
    """The demo's staff account's API headers (a bearer token)."""
    import requests

    response = requests.post(
        f"{base}/api/v1/auth/token",
        json={"login": "equipe@mediatheque.example", "password": "festival-demo"},
        timeout=60,
    )
    response.raise_for_status()
    return {"Authorization": f"Bearer {response.json()['token']}"}
