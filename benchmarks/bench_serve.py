"""What `make run` serves per second, next to the servers it could have been: `make bench-serve`.

On the demo data, wrk (2 threads, 32 connections) asks each visitor page for a few seconds of:
- Werkzeug's threaded server (what `make run` used before, `flask run --with-threads`);
- `flask serve`, what `make run` starts now (gunicorn with threads, the job consumer beside it);
- gunicorn as the README's *Operations* documents it (3 workers, 12 threads, `wsgi:app`).
Target: `flask serve` within 10 % of the documented gunicorn setup on every page.

The three servers run side by side and are measured in turn, page by page, for several rounds
(medians): a slow minute on the machine then touches every server alike instead of the one that
happened to run. Each page is warmed just before its run, and the public page cache is kept for
the whole benchmark (`PUBLIC_CACHE_SECONDS`): an entry expiring in the middle of one server's run
and not another's measured the cache, not the server.

Each run opens its 32 connections at once, and a gunicorn process takes every connection it can
when it wakes: with the default limit (1,000) one process sometimes held all 32 and the page
went at a third of its speed. The README's gunicorn keeps that default, so its runs swing (see
the brackets); `flask serve` caps each process at its threads plus 4 kept alive.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import statistics
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
        PUBLIC_CACHE_SECONDS="3600",
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


def report(runs: dict[str, dict[str, list[float]]], args: argparse.Namespace) -> None:
    figures = {
        name: {page: statistics.median(values) for page, values in pages.items()}
        for name, pages in runs.items()
    }
    reference = figures["gunicorn 3 x 12 (README)"]
    print(f"Requests per second on {os.cpu_count()} cores, wrk 2 threads 32 connections, "
          f"median of {args.rounds} runs of {args.seconds} s per page, slowest-fastest run "
          "in brackets, ratio of the medians to the README's gunicorn")  # fmt: skip
    for page in PAGES:
        print(f"  {page}")
        for name, pages in runs.items():
            ratio = figures[name][page] / reference[page]
            spread = f"[{min(pages[page]):.0f}-{max(pages[page]):.0f}]"
            print(f"    {name:<30}{figures[name][page]:>7.0f} {spread:>12}  {ratio:4.2f}x")
    worst = min(figures["flask serve (make run)"][page] / reference[page] for page in PAGES)
    verdict = "met" if worst >= 0.9 else "MISSED"
    print(f"  flask serve: at worst {worst:.2f}x the README's gunicorn (>= 0.90x: {verdict})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5, help="wrk run per page and server")
    parser.add_argument("--rounds", type=int, default=5, help="runs per page and server (median)")
    args = parser.parse_args()
    require_wrk("bench-serve")
    work = Path(tempfile.mkdtemp(prefix="festival-serve-"))
    env = environment(work)
    flask = [str(VENV_BIN / "flask"), "--app", "festival"]
    try:
        for step in (["db", "upgrade"], ["demo"]):
            subprocess.run([*flask, *step], env=env, cwd=ROOT, check=True, capture_output=True)
        runs: dict[str, dict[str, list[float]]] = {
            name: {page: [] for page in PAGES} for name in SERVERS
        }
        with contextlib.ExitStack() as servers:
            bases = {
                name: servers.enter_context(server_process(command, env, ROOT, settle=1.0))
                for name, command in SERVERS.items()
            }
            for _round in range(args.rounds):
                for page in PAGES:
                    for name, base in bases.items():
                        requests_per_second(base + page, 1)  # every process has it cached
                        runs[name][page].append(requests_per_second(base + page, args.seconds))
        report(runs, args)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
