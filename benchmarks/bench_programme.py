"""Programme benchmark, run on demand: `make bench-programme`.

Fills a database with 150 editions and 3,000 films (each with a version, a thumbnail and a
team), then prints:
- the SQL queries of the public lineup and the programme API for a small and a large edition
  (they must be the same number);
- requests per second under gunicorn (the production server) for the lineup page, the
  programme API and /healthz, a trivial route of the same app, measured in the same run with
  wrk; target: the lineup and the API at least half of the trivial route.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
VENV_BIN = Path(sys.executable).parent

from benchmarks.common import free_port, require_wrk  # noqa: E402
from benchmarks.seeding import Rows, add_valid_film  # noqa: E402

EDITIONS, FILMS_PER_EDITION = 151, 20  # the first, small one is extra: 3,000 films in the rest


def fill(url: str) -> int:
    """Bulk-insert the editions; returns the current edition's year."""
    from flask_migrate import upgrade

    from festival import create_app
    from festival.extensions import db

    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "TESTING": False, "MEDIA_ROOT": tempfile.mkdtemp()},
        mode="development",
    )
    with app.app_context():
        upgrade()
        now = datetime(2026, 1, 1)
        rows = Rows()
        add = rows.add

        for index in range(EDITIONS):
            year = 1877 + index
            ceremony = datetime(year, 3, 27, 18, 30)
            # Editions grow over the years: the small ones check the queries do not grow too.
            films_here = 5 if index == 0 else FILMS_PER_EDITION
            edition = add(
                "editions",
                year=year,
                title=f"Un Trait Amateur {year}",
                starts_on=date(year - 1, 9, 1),
                ends_on=date(year, 3, 27),
                age_min=14,
                age_max=19,
                ceremony_at=ceremony,
                upload_deadline=ceremony,
                behind_missed_threshold=3,
                max_film_seconds=300.0,
                film_duration_tolerance=0.25,
                is_current=index == EDITIONS - 1,
                programme_published_at=now,
                created_at=now,
            )
            blocks = [
                add(
                    "screening_blocks",
                    edition_id=edition,
                    title=f"Séance {b + 1}",
                    starts_at=ceremony + timedelta(hours=b),
                    planned_minutes=60,
                    position=b,
                )
                for b in range(2)
            ]
            for number in range(films_here):
                film = add_valid_film(
                    rows, edition_id=edition, title=f"Film {year}-{number}", now=now
                )
                for role in ("direction", "camera"):
                    person = add(
                        "participants",
                        edition_id=edition,
                        first_name="Camille",
                        last_name=f"Nom{len(rows.by_table['participants'])}",
                        status="confirmed",
                        registered_online=False,
                        created_at=now,
                    )
                    for kind in ("participation", "screening", "online"):
                        add(
                            "consents",
                            participant_id=person,
                            kind=kind,
                            granted=True,
                            given_by="guardian",
                            recorded_at=now,
                        )
                    add("film_members", film_id=film, participant_id=person, role=role)
                add(
                    "programme_items",
                    block_id=blocks[number % 2],
                    position=number,
                    kind="film",
                    film_id=film,
                    title="",
                    duration_seconds=0,
                )
        rows.insert(db)
        db.engine.dispose()
    return 1877 + EDITIONS - 1


def count_queries(url: str, paths: list[str]) -> dict[str, int]:
    from sqlalchemy import event

    from festival import create_app
    from festival.extensions import db

    # The page cache off: what a rendering costs, as on the first visit after a change.
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "MEDIA_ROOT": tempfile.mkdtemp(),
            "CACHE_TYPE": "NullCache",
            "CACHE_NO_NULL_WARNING": True,
        },
        mode="development",
    )
    counts = {}
    with app.app_context():
        client = app.test_client()
        for path in paths:
            client.get(path)  # warm
            seen: list[int] = []

            def listener(*_args, seen=seen):
                seen.append(1)

            event.listen(db.engine, "before_cursor_execute", listener)
            assert client.get(path).status_code == 200, path
            event.remove(db.engine, "before_cursor_execute", listener)
            counts[path] = len(seen)
        db.engine.dispose()
    return counts


def requests_per_second(url: str, seconds: int = 10) -> tuple[float, str]:
    require_wrk("bench-programme")
    out = subprocess.run(
        ["wrk", "-t2", "-c32", f"-d{seconds}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+(\S+)", out)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rate, f"p99 {p99.group(1) if p99 else '?'}, non-2xx {errors.group(1) if errors else 0}"


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="festival-bench-programme-"))
    try:
        url = f"sqlite:///{work}/bench.sqlite3"
        started = time.perf_counter()
        year = fill(url)
        print(
            f"{EDITIONS} editions, {(EDITIONS - 1) * FILMS_PER_EDITION + 5} films inserted "
            f"in {time.perf_counter() - started:.1f} s\n"
        )

        print("SQL queries per rendering, page cache off (same number whatever the size)")
        small = count_queries(url, ["/programme/1877", "/api/v1/editions/1877/programme"])
        large = count_queries(
            url,
            [
                f"/programme/{year}",
                f"/api/v1/editions/{year}/programme",
                "/programme",
                "/api/v1/programme",
            ],
        )
        print(
            f"  lineup: {small['/programme/1877']} queries for 5 films, "
            f"{large[f'/programme/{year}']} for {FILMS_PER_EDITION} films"
        )
        print(
            f"  API:    {small['/api/v1/editions/1877/programme']} queries for 5 films, "
            f"{large[f'/api/v1/editions/{year}/programme']} for {FILMS_PER_EDITION} films\n"
        )

        port = free_port()
        env = dict(
            os.environ,
            FESTIVAL_ENV="production",
            SECRET_KEY="bench-" + "y" * 40,
            PUBLIC_URL="http://127.0.0.1",  # production refuses to start without it
            DATABASE_URL=url,
            MEDIA_ROOT=str(work / "media"),
            SESSION_COOKIE_SECURE="0",
            JOBS_SQLITE_PATH=str(work / "jobs.sqlite3"),
        )
        workers = str(os.cpu_count() or 2)
        server = subprocess.Popen(
            [
                str(VENV_BIN / "gunicorn"),
                "--workers",
                workers,
                "--bind",
                f"127.0.0.1:{port}",
                "wsgi:app",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(100):
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=1):
                        break
                except OSError:
                    time.sleep(0.1)
            time.sleep(1)
            print(
                f"Requests per second, gunicorn with {workers} workers, wrk 2 threads 32 "
                "connections, 10 s each"
            )
            trivial, trivial_note = requests_per_second(f"{base}/healthz")
            print(f"  /healthz (trivial route)        {trivial:9.0f} req/s  ({trivial_note})")
            for path in ("/programme", "/api/v1/programme"):
                rate, note = requests_per_second(base + path)
                print(
                    f"  {path:<31} {rate:9.0f} req/s  {rate / trivial:5.2f}x "
                    f"(target >= 0.5x; {note})"
                )
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
