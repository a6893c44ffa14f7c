"""What the benchmarks share: ports, waiting for a server, wrk."""

from __future__ import annotations

import shutil
import socket
import time


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
