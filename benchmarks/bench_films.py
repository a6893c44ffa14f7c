"""Films benchmark, run on demand: `make bench` (or .venv/bin/python benchmarks/bench_films.py).

Prints, in one run on this machine:
- uploading a 1 GiB file through the tus endpoint under gunicorn, next to a bare endpoint of
  the same server that only streams the body to a file, and next to copying the file on disk;
- the server's peak memory for a 100 MiB and a 1 GiB upload (it must not grow with size);
- the check of a 1 GiB film next to bare ffprobe on it, and of a small film;
- thumbnails and rendition next to the bare ffmpeg commands they wrap.
Targets: upload within 1.3x of the bare endpoint, check within 1.2x of bare ffprobe and
independent of size, wrapper overhead under 5 %.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
VENV_BIN = Path(sys.executable).parent

from benchmarks.common import free_port  # noqa: E402

GIB = 1024**3
HTTP_TIMEOUT = 600  # seconds: a 1 GiB body on a slow disk


def timed(fn, *args, repeat: int = 1, **kwargs) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn(*args, **kwargs)
        best = min(best, time.perf_counter() - start)
    return best


def make_big_film(path: Path, size: int) -> Path:
    """A real H.264 film of about `size` bytes: a noisy lossless clip, looped by stream copy."""
    clip = path.with_name("clip.mp4")
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            "testsrc2=size=1920x1080:rate=25:duration=4",
            "-vf",
            "noise=alls=60:allf=t",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-qp",
            "0",
            "-pix_fmt",
            "yuv420p",
            str(clip),
        ],
        check=True,
    )
    loops = max(1, -(-size // clip.stat().st_size))
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-y",
            "-stream_loop",
            str(loops - 1),
            "-i",
            str(clip),
            "-c",
            "copy",
            "-fs",
            str(size),
            "-movflags",
            "+faststart",
            str(path),
        ],
        check=True,
    )
    clip.unlink()
    return path


def make_film(path: Path, seconds: int, size: str, codec: str) -> Path:
    from tests.media import make_video

    return make_video(path, seconds=seconds, size=size, rate=30, codec=codec, faststart=False)


@contextmanager
def production_server(workdir: Path):
    """gunicorn, as documented for production, on a fresh database with one film to upload."""
    env = dict(
        os.environ,
        FESTIVAL_ENV="production",
        SECRET_KEY="bench-" + "x" * 40,
        PUBLIC_URL="http://127.0.0.1",  # production refuses to start without it
        DATABASE_URL=f"sqlite:///{workdir}/bench.sqlite3",
        MEDIA_ROOT=str(workdir / "media"),
        JOBS_SQLITE_PATH=str(workdir / "jobs.sqlite3"),
        SESSION_COOKIE_SECURE="0",
        UPLOAD_MAX_BYTES=str(2 * GIB),
        UPLOAD_QUOTA_BYTES=str(8 * GIB),
        BENCH_BARE_TARGET=str(workdir / "bare.bin"),
        PYTHONPATH=str(ROOT),
    )
    flask = [str(VENV_BIN / "flask"), "--app", "festival"]
    subprocess.run([*flask, "db", "upgrade"], env=env, check=True, capture_output=True)
    subprocess.run([*flask, "demo"], env=env, check=True, capture_output=True)
    port = free_port()
    server = subprocess.Popen(
        [
            str(VENV_BIN / "gunicorn"),
            "--workers",
            "1",
            "--threads",
            "4",
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "600",
            "benchmarks.bench_wsgi:app",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            requests.get(f"{base}/bare-hello", timeout=5)
            break
        except requests.RequestException:
            time.sleep(0.1)
    try:
        yield base, server
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def worker_pids(master: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def peak_rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def tus_upload(base: str, headers: dict, film_id: int, path: Path) -> None:
    size = path.stat().st_size
    created = requests.post(
        timeout=HTTP_TIMEOUT,
        url=f"{base}/api/v1/films/{film_id}/uploads",
        headers={**headers, "Tus-Resumable": "1.0.0", "Upload-Length": str(size)},
    )
    created.raise_for_status()
    with path.open("rb") as body:
        response = requests.patch(
            timeout=HTTP_TIMEOUT,
            url=base + created.headers["Location"],
            data=body,
            headers={
                **headers,
                "Tus-Resumable": "1.0.0",
                "Upload-Offset": "0",
                "Content-Type": "application/offset+octet-stream",
                "Content-Length": str(size),
            },
        )
    assert response.status_code == 204, response.text


def bare_upload(base: str, path: Path) -> None:
    with path.open("rb") as body:
        requests.post(
            timeout=HTTP_TIMEOUT,
            url=f"{base}/bare-upload",
            data=body,
            headers={"Content-Length": str(path.stat().st_size)},
        ).raise_for_status()


def row(label: str, seconds: float, baseline: float | None = None, extra: str = "") -> None:
    ratio = f"{seconds / baseline:6.2f}x" if baseline else "       "
    print(f"  {label:<44} {seconds:8.3f} s  {ratio} {extra}")


def main() -> None:
    from festival.processing import check_file, probe
    from festival.processing.ffmpeg import rendition_command, run
    from festival.processing.renditions import make_rendition, plan_rendition
    from festival.processing.thumbnails import candidate_times, make_thumbnails

    work = Path(tempfile.mkdtemp(prefix="festival-bench-", dir=os.environ.get("BENCH_DIR")))
    try:
        print(f"Films benchmark on {os.cpu_count()} cores, in {work}")
        big = make_big_film(work / "big.mp4", GIB)
        medium = work / "medium.bin"
        with big.open("rb") as src, medium.open("wb") as dst:
            dst.write(src.read(100 * 1024**2))
        print(
            f"  test film: {big.stat().st_size / GIB:.2f} GiB, "
            f"{probe(big).duration:.0f} s of 1080p H.264\n"
        )

        print("Upload of 1 GiB (gunicorn, 1 worker, 4 threads)")
        with production_server(work) as (base, server):
            token = requests.post(
                timeout=HTTP_TIMEOUT,
                url=f"{base}/api/v1/auth/token",
                json={"login": "equipe@mediatheque.example", "password": "festival-demo"},
            ).json()
            headers = {"Authorization": f"Bearer {token['token']}"}
            people = requests.get(
                timeout=HTTP_TIMEOUT, url=f"{base}/api/v1/participants", headers=headers
            ).json()
            someone = next(p for p in people if p["status"] == "confirmed")
            created = requests.post(
                timeout=HTTP_TIMEOUT,
                url=f"{base}/api/v1/films",
                headers=headers,
                json={
                    "title": "Benchmark",
                    "team": [{"participant_id": someone["id"], "role": "direction"}],
                },
            )
            assert created.status_code == 201, created.text
            film = created.json()
            worker = worker_pids(server.pid)[0]
            copy = timed(shutil.copyfile, big, work / "copy.bin")
            bare = timed(bare_upload, base, big)
            tus_small = timed(tus_upload, base, headers, film["id"], medium)
            rss_small = peak_rss_kib(worker)
            tus = timed(tus_upload, base, headers, film["id"], big)
            rss_big = peak_rss_kib(worker)
        row("copy on the same disk", copy)
        row("bare endpoint (stream body to file)", bare)
        row("tus endpoint", tus, bare, "(target <= 1.3x the bare endpoint)")
        print(
            f"  server peak memory: {rss_small / 1024:.0f} MiB after 100 MiB, "
            f"{rss_big / 1024:.0f} MiB after 1 GiB (tus of 100 MiB: {tus_small:.2f} s)\n"
        )

        print("Check (probe + rules)")
        small = make_film(work / "small.mp4", 5, "640x360", "h264")
        bare_probe = ["ffprobe", "-v", "error", "-show_format", "-show_streams", "-of", "json"]
        for name, path in (("1 GiB film", big), ("small film", small)):
            plain = timed(subprocess.run, [*bare_probe, str(path)], capture_output=True, repeat=5)
            ours = timed(check_file, path, repeat=5)
            row(f"bare ffprobe, {name}", plain)
            row(f"check_file, {name}", ours, plain, "(target <= 1.2x)")
        print()

        print("Thumbnails and rendition (20 s 1080p HEVC film)")
        film_path = make_film(work / "phone.mov", 20, "1920x1080", "hevc")
        report = probe(film_path)
        from festival.processing.filters import video_filter

        vf = video_filter(report, long_side=1280, short_side=1280)
        frames = [  # what one would type: a command per keyframe
            ["ffmpeg", "-v", "error", "-nostdin", "-skip_frame", "nokey", "-ss", f"{t:.3f}",
             "-i", str(film_path), "-frames:v", "1", "-vf", vf, "-c:v", "ppm",
             "-f", "image2pipe", "pipe:1"]
            for t in candidate_times(report.duration, 8)
        ]  # fmt: skip
        bare_thumbs = timed(lambda: [run(c, timeout=60) for c in frames], repeat=2)
        ours_thumbs = timed(make_thumbnails, film_path, work / "thumbs", report, repeat=2)
        row("bare ffmpeg, 8 keyframes one after the other", bare_thumbs)
        row(
            "make_thumbnails (8 frames, 4 kept, 3 sizes x 2)",
            ours_thumbs,
            bare_thumbs,
            "(frames extracted side by side, WebP/JPEG encodes included)",
        )
        command = rendition_command(film_path, work / "bare.mp4", plan_rendition(report))
        bare_render = timed(run, command, timeout=600)
        ours_render = timed(make_rendition, film_path, work / "web.mp4", report)
        row("bare ffmpeg rendition", bare_render)
        row("make_rendition", ours_render, bare_render, "(target <= 1.05x)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
