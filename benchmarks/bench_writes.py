"""Writes in the deadline week, run on demand: `make bench-writes`.

`flask serve` as `make run` starts it (SQLite, the jobs beside the server), the demo loaded.
A facilitator saves whole roll-call sheets (the API's PUT, as a tablet sends one) and the hall
votes (a ballot per card), first with nothing else to do — the baseline, measured in the same
run — then while N teams' films arrive at once through tus and are checked, get their
thumbnails and their web versions (the HEVC ones are encoded). Prints, for each kind of write,
the median, p95 and longest answer and the failures, idle and under load, with the ratio.
Target (issue 27): under N = 5 uploads, no write waits more than a second and none fails.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_films import tus_upload  # noqa: E402
from benchmarks.bench_processing import follow, make_film, make_run_server, new_film  # noqa: E402
from benchmarks.common import staff_token  # noqa: E402

TARGET_SECONDS = 1.0
GRADES = ["excellent", "tres_bien", "bien", "assez_bien", "passable", "a_rejeter"]
STATUSES = ["present", "present", "present", "late", "excused", "absent"]


class Writers:
    """A facilitator's tablet and the hall's phones, writing until told to stop."""

    def __init__(self, base: str, headers: dict, codes: list[str]):
        self.base, self.headers, self.codes = base, headers, codes
        self.waits: dict[str, list[float]] = {"roll call": [], "ballot": []}
        self.failures: list[str] = []
        people = requests.get(
            f"{base}/api/v1/participants?page_size=500", headers=headers, timeout=60
        ).json()
        self.people = [p["id"] for p in people if p["status"] == "confirmed"]
        edition = requests.get(f"{base}/api/v1/editions/current", timeout=60).json()
        # Roll calls open when a workshop starts: the ones already held (five in the demo).
        now = datetime.now(UTC)
        self.workshops = [
            w["id"]
            for w in edition["workshops"]
            if datetime.fromisoformat(w["starts_at"]).astimezone(UTC) < now
        ]
        programme = requests.get(f"{base}/api/v1/programme", timeout=60).json()
        self.films = [
            str(item["id"])
            for block in programme["blocks"]
            for item in block["items"]
            if item["id"] is not None
        ]

    def _timed(self, kind: str, send) -> None:
        started = time.monotonic()
        try:
            answer = send()
        except requests.RequestException as error:
            self.failures.append(f"{kind}: {error!r}")
        else:
            if answer.status_code >= 300:
                self.failures.append(f"{kind}: {answer.status_code} {answer.text[:200]}")
        self.waits[kind].append(time.monotonic() - started)

    def roll_calls(self, stop: threading.Event) -> None:
        session, n = requests.Session(), 0
        while not stop.is_set():
            workshop = self.workshops[n % len(self.workshops)]
            sheet = {str(p): STATUSES[(p + n) % len(STATUSES)] for p in self.people}
            self._timed(
                "roll call",
                lambda w=workshop, s=sheet: session.put(
                    f"{self.base}/api/v1/workshops/{w}/attendance",
                    json=s,
                    headers=self.headers,
                    timeout=60,
                ),
            )
            n += 1
            time.sleep(0.2)

    def ballots(self, stop: threading.Event) -> None:
        session = requests.Session()
        while not stop.is_set() and self.codes:
            code = self.codes.pop()
            grades = {f: GRADES[(len(self.codes) + i) % 6] for i, f in enumerate(self.films)}
            self._timed(
                "ballot",
                lambda c=code, g=grades: session.post(
                    f"{self.base}/api/v1/audience-vote/ballots",
                    json={"code": c, "grades": g},
                    timeout=60,
                ),
            )
            time.sleep(0.05)

    def during(self, action) -> dict[str, list[float]]:
        """Write while `action` runs; the waits of that time, by kind."""
        before = {kind: len(times) for kind, times in self.waits.items()}
        stop = threading.Event()
        threads = [
            threading.Thread(target=self.roll_calls, args=(stop,)),
            threading.Thread(target=self.ballots, args=(stop,)),
        ]
        for thread in threads:
            thread.start()
        try:
            action()
        finally:
            stop.set()
            for thread in threads:
                thread.join()
        return {kind: times[before[kind] :] for kind, times in self.waits.items()}


def _p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def line(label: str, times: list[float], baseline: list[float] | None = None) -> str:
    ratio = f"   p95 {_p95(times) / _p95(baseline):4.1f}x idle" if baseline else ""
    return (
        f"  {label:<28} {len(times):5d} writes  p50 {statistics.median(times) * 1000:6.0f}  "
        f"p95 {_p95(times) * 1000:6.0f}  longest {max(times) * 1000:6.0f} ms{ratio}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uploads", type=int, default=5, help="teams' films arriving at once")
    parser.add_argument("--seconds", type=int, default=60, help="each film's length")
    parser.add_argument("--idle", type=float, default=20, help="seconds of the idle baseline")
    args = parser.parse_args()
    kinds = ["hevc" if n % 2 == 0 else "h264" for n in range(args.uploads)]
    films = {kind: make_film(kind, args.seconds) for kind in set(kinds)}
    print(
        f"Writes on {os.cpu_count()} cores: a roll call every 0.2 s and a ballot every 0.05 s, "
        f"{args.idle:.0f} s idle, then during {args.uploads} uploads of {args.seconds} s 1080p "
        f"films ({kinds.count('hevc')} HEVC encoded, {kinds.count('h264')} H.264 remuxed)"
    )
    work = Path(tempfile.mkdtemp(prefix="festival-writes-"))
    try:
        with make_run_server(work) as base:
            headers = staff_token(base)
            codes = [
                code
                for _batch in range(5)  # a card per ballot: the hall casts about 4,000
                for code in requests.post(
                    f"{base}/api/v1/audience-vote/codes",
                    json={"count": 1000},
                    headers=headers,
                    timeout=60,
                ).json()["codes"]
            ]
            requests.post(f"{base}/api/v1/audience-vote/open", headers=headers, timeout=60)
            writers = Writers(base, headers, codes)
            idle = writers.during(lambda: time.sleep(args.idle))
            film_ids = [
                new_film(base, headers, f"Semaine du rendu {n}") for n in range(args.uploads)
            ]

            def deadline_week() -> None:
                def one(n: int) -> None:
                    tus_upload(base, headers, film_ids[n], films[kinds[n]])
                    follow(base, headers, film_ids[n])

                with ThreadPoolExecutor(max_workers=args.uploads) as pool:
                    list(pool.map(one, range(args.uploads)))

            started = time.monotonic()
            loaded = writers.during(deadline_week)
            processing = time.monotonic() - started
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"Idle ({args.idle:.0f} s):")
    for kind, times in idle.items():
        print(line(kind, times))
    print(
        f"While {args.uploads} films arrive and are processed "
        f"({processing:.0f} s to the last web version):"
    )
    for kind, times in loaded.items():
        print(line(kind, times, idle[kind]))
    longest = max(max(times) for times in loaded.values())
    met = longest <= TARGET_SECONDS and not writers.failures
    for failure in writers.failures[:10]:
        print(f"  failed: {failure}")
    print(
        f"Longest write under load {longest * 1000:.0f} ms, {len(writers.failures)} failed "
        f"(target: none over {TARGET_SECONDS * 1000:.0f} ms, none failed): "
        f"{'met' if met else 'MISSED'}"
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
