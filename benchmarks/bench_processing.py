"""From the last byte of an upload to a valid film, then to its web version: `make bench`.

What a team lives through, on the server `make run` starts (`flask serve`: gunicorn and the
job workers beside it, in their two lanes), for two films:
- a 1080p H.264/AAC MP4, what an Android phone writes (the web version is a remux);
- a 1080p HEVC portrait MOV, what an iPhone writes (the web version is an H.264 encode).

Idle: each film uploaded through tus after the server sat idle; timed by the server's own
moments, from the version's last byte stored (`uploaded_at`) to its verdict (`processed_at`,
its thumbnails already there) and to its web version (`rendition_ready_at`). Under load (a
deadline week): `--load` films (half of each kind) uploaded at once, each timed from its own
last byte.
Next to it, in the same run, the bare commands doing the same work on the same files, alone at
idle and `--load` at once under load: ffprobe, four thumbnails (one ffmpeg each, at the times
the platform picks), and the remux or the encode with the platform's settings (libx264
veryfast, CRF 21, AAC). Medians.
Targets: valid with its thumbnails within 2x the bare check and thumbnails at idle and 4x under
load; the web version within 1.1x the bare commands.

The films are made once with ffmpeg and kept in ~/.cache/festival-bench (about 750 MB).
`--short`: one-minute films, one run each (a quick look, not the figures).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
VENV_BIN = Path(sys.executable).parent

from benchmarks.bench_films import tus_upload  # noqa: E402
from benchmarks.common import make_run_server as common_run_server  # noqa: E402
from benchmarks.common import staff_token  # noqa: E402
from festival.processing.thumbnails import candidate_times  # noqa: E402

THUMBNAILS = 4

CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "festival-bench"
HTTP_TIMEOUT = 600


def make_film(kind: str, seconds: int) -> Path:
    """A test film as phones write them: kept in the cache, the HEVC one takes minutes."""
    CACHE.mkdir(parents=True, exist_ok=True)
    sources = [
        "-f", "lavfi", "-i", f"testsrc2=size=1920x1080:rate=30:duration={seconds}",
        "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}",
    ]  # fmt: skip
    if kind == "h264":
        path = CACHE / f"android-h264-{seconds}s.mp4"
        video = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", "30"]
    else:
        path = CACHE / f"iphone-hevc-portrait-{seconds}s.mov"
        video = [
            "-c:v", "libx265", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-tag:v", "hvc1",
            "-x265-params", "log-level=error:keyint=30",
        ]  # fmt: skip
    if path.exists():
        return path
    print(f"  making {path.name} (once)…", flush=True)
    landscape = path.with_name("landscape-" + path.name)
    ffmpeg = ["ffmpeg", "-v", "error", "-nostdin", "-y"]
    subprocess.run([*ffmpeg, *sources, *video, "-c:a", "aac", str(landscape)], check=True)
    rotation = ["-metadata:s:v:0", "rotate=90"] if kind == "hevc" else []
    subprocess.run([*ffmpeg, "-i", str(landscape), "-c", "copy", *rotation, str(path)], check=True)
    landscape.unlink()
    return path


def bare_commands(film: Path, out: Path, kind: str, duration: float, run: str) -> list[list[str]]:
    """What someone would type: probe, four thumbnails, then the remux or the encode.

    Each run writes new files, as the server does for each film: overwriting the last run's
    file would hand ffmpeg the memory just freed, which a new film's file never gets.
    """
    ffmpeg = ["ffmpeg", "-v", "error", "-nostdin", "-y"]
    probe = ["ffprobe", "-v", "error", "-show_format", "-show_streams", "-of", "json", str(film)]
    thumbnails = [
        [*ffmpeg, "-ss", f"{at:.2f}", "-i", str(film), "-frames:v", "1", "-vf", "scale=-2:640",
         str(out / f"thumb-{run}-{index}.jpg")]
        for index, at in enumerate(candidate_times(duration, THUMBNAILS))
    ]  # fmt: skip
    if kind == "h264":
        rendition = [*ffmpeg, "-i", str(film), "-c", "copy", "-movflags", "+faststart"]
    else:
        rendition = [
            *ffmpeg, "-i", str(film), "-vf", "scale=1080:1920,format=yuv420p",
            "-c:v", "libx264", "-profile:v", "high", "-preset", "veryfast", "-crf", "21",
            "-c:a", "aac", "-b:a", "160k", "-ac", "2", "-movflags", "+faststart",
        ]  # fmt: skip
    return [probe, *thumbnails, [*rendition, str(out / f"web-{run}.mp4")]]


def timed_commands(commands: list[list[str]]) -> tuple[float, float]:
    """Seconds to run the probe and the thumbnails, and to run all of them, one after the
    other."""
    start = time.perf_counter()
    check = 0.0
    for index, command in enumerate(commands):
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        if index == THUMBNAILS:
            check = time.perf_counter() - start
    return check, time.perf_counter() - start


def at_once(jobs: list) -> list:
    """Run the callables side by side; their results in order."""
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        return list(pool.map(lambda job: job(), jobs))


@contextmanager
def make_run_server(work: Path):
    """`flask serve` as `make run` starts it, on a fresh database with the demo loaded."""
    with common_run_server(
        ROOT,
        work,
        UPLOAD_QUOTA_BYTES=str(64 * 1024**3),
        MAX_FILMS_PER_PARTICIPANT="100",  # one demo teen directs every benchmark film
    ) as base:
        yield base


def new_film(base: str, headers: dict, title: str) -> int:
    people = requests.get(f"{base}/api/v1/participants", headers=headers, timeout=60).json()
    someone = next(p for p in people if p["status"] == "confirmed")
    created = requests.post(
        f"{base}/api/v1/films",
        headers=headers,
        json={"title": title, "team": [{"participant_id": someone["id"], "role": "direction"}]},
        timeout=60,
    )
    created.raise_for_status()
    return created.json()["id"]


def follow(base: str, headers: dict, film_id: int) -> tuple[float, float]:
    """Seconds from the last byte to a valid version with thumbnails, and to its web version,
    by the server's own moments: the version's `uploaded_at` (its last byte stored),
    `processed_at` and `rendition_ready_at`. The API is polled every 100 ms to know when to
    read them; the polling's lag is not counted (the bare commands have none)."""
    start = time.perf_counter()
    while time.perf_counter() - start < 1800:
        film = requests.get(f"{base}/api/v1/films/{film_id}", headers=headers, timeout=60).json()
        version = film["versions"][-1]
        if version["status"] not in ("processing", "valid"):
            raise SystemExit(f"the film was not accepted: {version}")
        if version["status"] == "valid" and film["thumbnail"] and version["rendition_ready"]:
            last_byte = datetime.fromisoformat(version["uploaded_at"])
            valid = datetime.fromisoformat(version["processed_at"])
            ready = datetime.fromisoformat(version["rendition_ready_at"])
            return (valid - last_byte).total_seconds(), (ready - last_byte).total_seconds()
        time.sleep(0.1)
    raise SystemExit("the film was not ready after 30 minutes")


def received_copy(work: Path, path: Path, name: str) -> Path:
    """The film as an upload leaves it: just written to the disk."""
    received = work / f"received-{name}{path.suffix}"
    shutil.copyfile(path, received)
    return received


def measure_idle(base, headers, films, work, seconds, runs, idle) -> dict:
    results = {}
    for kind, path in films.items():
        bare, ours = [], []
        for run in range(runs):
            # Both sides start alike: nothing else waiting to be written.
            os.sync()
            received = received_copy(work, path, f"{kind}-{run}")
            commands = bare_commands(received, work, kind, seconds, f"{kind}{run}")
            bare.append(timed_commands(commands))
            film_id = new_film(base, headers, f"{kind} {run + 1}")
            time.sleep(idle)  # the workers poll at their slowest, as after a quiet night
            os.sync()
            tus_upload(base, headers, film_id, path)
            ours.append(follow(base, headers, film_id))
        results[kind] = _medians(bare, ours)
    return results


def measure_load(base, headers, films, work, seconds, load) -> dict:
    """`load` films at once, the kinds taking turns: each timed from its own last byte."""
    kinds = [list(films)[n % len(films)] for n in range(load)]
    received = [received_copy(work, films[kind], f"load-{n}") for n, kind in enumerate(kinds)]
    os.sync()
    bare = at_once([
        lambda n=n, kind=kind: timed_commands(
            bare_commands(received[n], work, kind, seconds, f"load{n}")
        )
        for n, kind in enumerate(kinds)
    ])  # fmt: skip
    film_ids = [new_film(base, headers, f"deadline {n + 1}") for n in range(load)]
    os.sync()

    def upload_and_follow(n: int) -> tuple[float, float]:
        tus_upload(base, headers, film_ids[n], films[kinds[n]])
        return follow(base, headers, film_ids[n])

    ours = at_once([lambda n=n: upload_and_follow(n) for n in range(load)])
    return {
        kind: _medians(
            [b for b, k in zip(bare, kinds, strict=True) if k == kind],
            [o for o, k in zip(ours, kinds, strict=True) if k == kind],
        )
        for kind in films
    }


def _medians(bare: list, ours: list) -> dict:
    return {
        "bare_check": statistics.median(b[0] for b in bare),
        "bare_all": statistics.median(b[1] for b in bare),
        "valid": statistics.median(o[0] for o in ours),
        "ready": statistics.median(o[1] for o in ours),
    }


NAMES = {"h264": "H.264 1080p, remux", "hevc": "HEVC 1080p portrait, encode"}


def report(title: str, results: dict, films: dict, valid_target: float) -> None:
    print(f"\n  {title}")
    for kind, figures in results.items():
        size = films[kind].stat().st_size / 1024**2
        valid_ratio = figures["valid"] / figures["bare_check"]
        ready_ratio = figures["ready"] / figures["bare_all"]
        valid_met = "met" if valid_ratio <= valid_target else "MISSED"
        ready_met = "met" if ready_ratio <= 1.1 else "MISSED"
        print(f"    {NAMES[kind]} ({size:.0f} MB)")
        print(f"      last byte -> valid with thumbnails {figures['valid']:7.2f} s   "
              f"bare ffprobe + {THUMBNAILS} thumbnails {figures['bare_check']:6.2f} s   "
              f"{valid_ratio:4.1f}x (target <= {valid_target:g}x: {valid_met})")  # fmt: skip
        print(f"      last byte -> web version ready     {figures['ready']:7.2f} s   "
              f"bare + rendition            {figures['bare_all']:6.2f} s   "
              f"{ready_ratio:4.2f}x (target <= 1.1x: {ready_met})")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--short", action="store_true", help="1-minute films, one run each")
    parser.add_argument("--idle", type=float, default=15.0, help="seconds idle before a run")
    parser.add_argument("--load", type=int, default=4, help="films uploaded at once under load")
    parser.add_argument(
        "--only", choices=("h264", "hevc"), help="one of the two films (the HEVC one takes long)"
    )
    parser.add_argument("--runs", type=int, default=3, help="idle runs of each film (medians)")
    args = parser.parse_args()
    seconds, runs = (60, 1) if args.short else (300, args.runs)
    print(
        f"Film processing on {os.cpu_count()} cores: {seconds // 60}-minute films, "
        f"{runs} run(s) idle, {args.load} at once under load"
    )
    films = {
        kind: make_film(kind, seconds) for kind in ("h264", "hevc") if args.only in (None, kind)
    }
    work = Path(tempfile.mkdtemp(prefix="festival-processing-"))
    try:
        with make_run_server(work) as base:
            headers = staff_token(base)
            idle = measure_idle(base, headers, films, work, seconds, runs, args.idle)
            load = measure_load(base, headers, films, work, seconds, args.load) if args.load else {}
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report("Idle", idle, films, 2)
    if load:
        report(f"Deadline week: {args.load} films at once", load, films, 4)


if __name__ == "__main__":
    main()
