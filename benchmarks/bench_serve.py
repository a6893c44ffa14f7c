"""What `make run` serves per second, next to the servers it could have been: `make bench-serve`.

On the demo data, wrk (2 threads, 32 connections) asks each visitor page for a few seconds of:
- Werkzeug's threaded server (what `make run` used before, `flask run --with-threads`);
- `flask serve`, what `make run` starts now (gunicorn with threads, the job consumer beside it);
- gunicorn as the README's *Operations* documents it (3 workers, 12 threads, `wsgi:app`).
Target: `flask serve` within 10 % of the documented gunicorn setup on every page.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
VENV_BIN = Path(sys.executable).parent

from benchmarks.common import require_wrk, server_process  # noqa: E402

PAGES = ("/", "/programme", "/programme.ics", "/api/v1/programme")


def environment(work: Path) -> dict:
    return dict(
        os.environ,
        DATABASE_URL=f"sqlite:///{work}/festival.sqlite3",
        MEDIA_ROOT=str(work / "media"),
        JOBS_SQLITE_PATH=str(work / "jobs.sqlite3"),
        PYTHONPATH=str(ROOT),
    )


SERVERS = {
    "Werkzeug, threaded (before)": lambda port: [
        str(VENV_BIN / "flask"), "--app", "festival", "run", "--with-threads",
        "--no-reload", "--no-debugger", "--port", str(port),
    ],
    "flask serve (make run)": lambda port: [
        str(VENV_BIN / "flask"), "--app", "festival", "serve", "--port", str(port),
    ],
    "gunicorn 3 x 12 (README)": lambda port: [
        str(VENV_BIN / "gunicorn"), "--workers", "3", "--threads", "12", "--timeout", "600",
        "--bind", f"127.0.0.1:{port}", "wsgi:app",
    ],
}  # fmt: skip


def requests_per_second(url: str, seconds: int) -> float:
    output = subprocess.run(
        ["wrk", "-t2", "-c32", f"-d{seconds}s", url], capture_output=True, text=True, check=True
    ).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if errors:
        raise SystemExit(f"{url}: {errors.group(1)} error responses\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=8, help="wrk run per page and server")
    args = parser.parse_args()
    require_wrk("bench-serve")
    work = Path(tempfile.mkdtemp(prefix="festival-serve-"))
    env = environment(work)
    flask = [str(VENV_BIN / "flask"), "--app", "festival"]
    try:
        for step in (["db", "upgrade"], ["demo"]):
            subprocess.run([*flask, *step], env=env, cwd=ROOT, check=True, capture_output=True)
        figures: dict[str, dict[str, float]] = {}
        for name, command in SERVERS.items():
            with server_process(command, env, ROOT, settle=1.0) as base:
                for page in PAGES:
                    requests_per_second(base + page, 1)  # warm the page cache
                figures[name] = {
                    page: requests_per_second(base + page, args.seconds) for page in PAGES
                }
        reference = figures["gunicorn 3 x 12 (README)"]
        print(f"Requests per second on {os.cpu_count()} cores, wrk 2 threads 32 connections, "
              f"{args.seconds} s per page (ratio to the README's gunicorn)")  # fmt: skip
        print(f"  {'page':<22}" + "".join(f"{name:>32}" for name in figures))
        worst = 1.0
        for page in PAGES:
            cells = []
            for name in figures:
                ratio = figures[name][page] / reference[page]
                cells.append(f"{figures[name][page]:>22.0f} ({ratio:4.2f}x)")
                if name == "flask serve (make run)":
                    worst = min(worst, ratio)
            print(f"  {page:<22}" + "".join(f"{cell:>32}" for cell in cells))
        verdict = "met" if worst >= 0.9 else "MISSED"
        print(f"  flask serve: at worst {worst:.2f}x the README's gunicorn (>= 0.90x: {verdict})")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
