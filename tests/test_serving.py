"""The development server closes every response, even one a client cut off."""

from __future__ import annotations

import gc

import pytest

from festival.serving import CloseEveryResponse


class _Response:
    def __init__(self):
        self.closed = False

    def __iter__(self):
        yield b"first piece"
        yield b"second piece"

    def close(self):
        self.closed = True


def test_a_response_dropped_mid_stream_is_closed_all_the_same():
    """What Werkzeug does when a client resets the connection: it stops iterating and, on
    that path, never calls close()."""
    inner = _Response()
    app = CloseEveryResponse(lambda environ, start_response: inner)
    streamed = app({}, lambda *args: None)
    assert next(iter(streamed)) == b"first piece"
    del streamed  # the server drops it without close()
    gc.collect()
    assert inner.closed


def test_a_response_read_to_the_end_is_closed_once():
    inner = _Response()
    app = CloseEveryResponse(lambda environ, start_response: inner)
    streamed = app({}, lambda *args: None)
    assert list(streamed) == [b"first piece", b"second piece"]
    assert inner.closed


@pytest.mark.long
def test_flask_serve_is_gunicorn_with_the_job_consumer_beside_it(app, film, make_video, tmp_path):
    """What `make run` starts: pages from gunicorn, films processed by `flask worker` next to
    it, started again if it dies, and one Ctrl-C (SIGINT to the process group) stops them
    both."""
    import os
    import shutil
    import signal
    import subprocess
    import urllib.request
    from datetime import timedelta

    from festival.clock import utcnow
    from festival.extensions import db
    from festival.films.models import FilmVersion, VersionStatus
    from festival.storage import media_path
    from tests.processes import BIN, Process, app_env, free_port, wait_for

    # A version whose job was lost: the consumer finds it when it starts (its start steps).
    version = FilmVersion(film=film, number=1, original_filename="film.mp4", size=1)
    version.uploaded_at = utcnow() - timedelta(hours=1)
    db.session.add(version)
    db.session.commit()
    media_path(version.directory).mkdir(parents=True, exist_ok=True)
    shutil.copyfile(make_video("served.mp4", seconds=2), media_path(version.original_path))

    port = free_port()
    server = Process(
        [str(BIN / "flask"), "--app", "festival", "serve", "--port", str(port)],
        app_env(app, JOBS_SQLITE_PATH=str(tmp_path / "jobs.sqlite3")),
        tmp_path / "serve.log",
    )
    try:

        def home_answers():
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as page:  # noqa: S310
                    return page.status == 200 and page.headers["Server"].startswith("gunicorn")
            except OSError:
                return False

        wait_for(home_answers, timeout=60, what="flask serve to answer")

        def processed():
            db.session.expire_all()
            return db.session.get(FilmVersion, version.id).rendition_ready_at

        wait_for(processed, timeout=90, what="the job consumer to process the film")
        assert db.session.get(FilmVersion, version.id).status == VersionStatus.VALID
        children = subprocess.run(
            ["pgrep", "-P", str(server.popen.pid), "-f", "festival worker"],
            capture_output=True,
            text=True,
        ).stdout.split()
        assert children, server.output()

        # Killed (out of memory, by hand), the job consumer is started again by the server:
        # films would otherwise wait for its next restart (found by `make rehearsal`).
        os.kill(int(children[0]), signal.SIGKILL)

        def started_again():
            now = subprocess.run(
                ["pgrep", "-P", str(server.popen.pid), "-f", "festival worker"],
                capture_output=True,
                text=True,
            ).stdout.split()
            return [pid for pid in now if pid not in children]

        wait_for(started_again, timeout=30, what="the job consumer to be started again")
        children = started_again()
        wait_for(
            lambda: server.output().count("Worker started") >= 2,
            timeout=30,
            what="the new job consumer to be ready (a Ctrl-C while it imports prints a trace)",
        )

        os.killpg(server.popen.pid, signal.SIGINT)
        assert server.popen.wait(timeout=60) is not None
        wait_for(
            lambda: not any(os.path.exists(f"/proc/{pid}") for pid in children),
            timeout=30,
            what="the job consumer to stop with the server",
        )
        assert "Traceback" not in server.output()
    finally:
        server.stop()


def _connections_held_by_each_process(port: int) -> dict[int, int]:
    """Established server-side connections on `port`, counted per process holding them (the
    socket inodes of /proc/net/tcp, found among each process's open files)."""
    import os
    from pathlib import Path

    established = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local_port = int(fields[1].rsplit(":", 1)[1], 16)
        if local_port == port and fields[3] == "01":  # 01: ESTABLISHED
            established.add(fields[9])
    held: dict[int, int] = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            targets = [os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd")]
        except OSError:
            continue  # gone, or not ours
        count = sum(target[len("socket:[") : -1] in established for target in targets)
        if count:
            held[int(pid)] = count
    return held


def test_a_crowd_connecting_at_once_is_spread_over_the_server_processes(app, tmp_path):
    """gunicorn's default lets the process that wakes first take every waiting connection
    (1,000): 32 connections from wrk then all went to one process, at a third of the speed.
    `flask serve` caps what one process takes at its threads plus 4 kept alive."""
    import socket

    from festival.serving import KEPT_ALIVE_PER_PROCESS
    from tests.processes import BIN, Process, app_env, free_port, wait_for

    port, threads = free_port(), 2
    server = Process(
        [str(BIN / "flask"), "--app", "festival", "serve", "--port", str(port),
         "--processes", "2", "--threads", str(threads), "--workers", "0"],
        app_env(app),
        tmp_path / "serve.log",
    )  # fmt: skip
    crowd: list[socket.socket] = []
    try:

        def listening():
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return True
            except OSError:
                return False

        wait_for(listening, timeout=60, what="flask serve to listen")
        for _ in range(20):
            # An unfinished request: the threads that take one wait for the rest, so nothing
            # is answered and every connection stays where it was accepted.
            connection = socket.create_connection(("127.0.0.1", port), timeout=5)
            connection.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\n")
            crowd.append(connection)
        cap = threads + KEPT_ALIVE_PER_PROCESS
        wait_for(
            lambda: sum(_connections_held_by_each_process(port).values()) >= 2 * cap,
            timeout=30,
            what="both processes to take their share",
        )
        held = _connections_held_by_each_process(port)
        assert sorted(held.values()) == [cap, cap], (held, server.output())
    finally:
        for connection in crowd:
            connection.close()
        server.stop()
