"""A worker killed in the middle of a rendition: the job runs again, nothing half-made is served.

The film is valid by then (checked, with its thumbnails): only its web version is redone.

Real processes: `flask worker` on the SQLite job queue, killed alone with SIGKILL (as the OOM
killer does: its ffmpeg must die with it, not go on encoding for nobody), then a new worker
started, as after a reboot. The moment of the kill
does not race a real encode: the first worker's ffmpeg is a wrapper that writes half a rendition
and stalls, and says so; the second worker's runs the real ffmpeg.
"""

import os
import shutil
import signal
import time
from datetime import timedelta
from pathlib import Path

from festival.clock import utcnow
from festival.extensions import db
from festival.films.models import FilmVersion, VersionStatus
from festival.processing.files import sha256_of
from festival.processing.probe import probe
from festival.storage import media_path
from tests.processes import start_worker, wait_for

LEASE_SECONDS = "2"

# Stalls on the rendition (its output is a temporary ".web.mp4.….partial") while the flag file
# exists; every other command, and the rendition once the flag is gone, is the real ffmpeg.
STALLING_FFMPEG = """#!/bin/sh
for arg in "$@"; do
  case "$arg" in
    *.web.mp4.*.partial)
      if [ -e "{flag}" ]; then
        printf 'half a film' > "$arg"
        echo $$ > "{flag}.pid"
        touch "{flag}.reached"
        exec sleep 600
      fi ;;
  esac
done
exec "{real}" "$@"
"""


def stalling_ffmpeg(tmp_path: Path) -> tuple[Path, Path]:
    """A wrapper ffmpeg and the flag that makes it stall; returns (binary, flag)."""
    flag = tmp_path / "stall-rendition"
    flag.touch()
    binary = tmp_path / "ffmpeg-wrapper"
    binary.write_text(STALLING_FFMPEG.format(flag=flag, real=shutil.which("ffmpeg")))
    binary.chmod(0o755)
    return binary, flag


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split()[2]
    except FileNotFoundError:
        return False
    return state != "Z"  # a zombie has stopped; only its parent's wait is missing


def _fresh(version_id: int) -> FilmVersion:
    db.session.expire_all()
    return db.session.get(FilmVersion, version_id)


def _film_waiting_for_its_encode(film, make_video, tmp_path) -> tuple[FilmVersion, Path, dict]:
    """A VP8 WebM upload (its web version is a real encode, not a remux), uploaded a while ago
    and its queued job lost (Redis restarted, say): a starting worker finds it. Returns the
    version, the flag that stalls the encode, and the workers' environment."""
    source = make_video("long.webm", seconds=6, size="640x360", codec="vp8")
    version = FilmVersion(film=film, number=1, original_filename="long.webm", size=0)
    db.session.add(version)
    db.session.flush()
    original = media_path(version.original_path)
    original.parent.mkdir(parents=True)
    shutil.copyfile(source, original)
    version.uploaded_at = utcnow() - timedelta(minutes=5)
    db.session.commit()
    wrapper, stall = stalling_ffmpeg(tmp_path)
    env = {
        "JOBS_SQLITE_PATH": str(tmp_path / "jobs.sqlite3"),
        "PROCESSING_LEASE_SECONDS": LEASE_SECONDS,
        "FFMPEG_BINARY": str(wrapper),
    }
    return version, stall, env


def _encoder_once_stalled(worker, stall: Path, version_id: int) -> int:
    """Once the encode has started (the film valid from then on): the stalled ffmpeg's pid."""
    wait_for(
        lambda: Path(f"{stall}.reached").exists() and _fresh(version_id).step == "rendition",
        timeout=60,
        what=f"the rendition to start\n{worker.output()}",
        every=0.05,
    )
    return int(Path(f"{stall}.pid").read_text())


def test_a_killed_worker_leaves_no_half_file_and_the_job_runs_again(
    app, film, team, make_video, tmp_path, login_as
):
    version, stall, env = _film_waiting_for_its_encode(film, make_video, tmp_path)
    original = media_path(version.original_path)
    source_sha = sha256_of(original)
    version_id, rendition = version.id, media_path(version.rendition_path)
    directory = rendition.parent

    first = start_worker(app, tmp_path, "first", **env)
    try:
        encoder = _encoder_once_stalled(first, stall, version_id)
        os.kill(first.popen.pid, signal.SIGKILL)  # the worker alone, not its process group
        first.popen.wait(timeout=10)
        wait_for(
            lambda: not _alive(encoder),
            timeout=10,
            what="the killed worker's ffmpeg to die with it",
            every=0.05,
        )
    finally:
        first.stop()
    stall.unlink()  # from now on, the real ffmpeg

    # Killed mid-rendition: the half-written file is under a temporary name, never served.
    assert not rendition.exists()
    assert list(directory.glob(".web.mp4.*.partial"))
    # (VP8 in WebM: no player reads the upload itself while the web version is made.)
    assert login_as(team[0].user).get(f"/films/{film.id}/v1/web.mp4").status_code == 404
    killed = _fresh(version_id)
    assert killed.status == VersionStatus.VALID and len(killed.thumbnails) == 4
    assert killed.rendition_ready_at is None
    thumbnail_ids = [t.id for t in killed.thumbnails]

    time.sleep(float(LEASE_SECONDS) + 0.5)  # the dead worker's heartbeat goes stale
    second = _web_version_made_by_a_new_worker(app, tmp_path, "second", env, version_id)

    version = _fresh(version_id)
    assert version.status == VersionStatus.VALID, (version.error, second)
    assert [t.id for t in version.thumbnails] == thumbnail_ids  # only the rendition was redone
    assert "queued again" in second
    made = probe(rendition)
    assert made.video is not None and made.video.codec == "h264"
    assert abs(made.duration - 6) < 0.5
    assert not list(directory.glob("**/.*.partial")), "the killed attempt's leftovers remain"
    assert sha256_of(original) == source_sha, "the original upload was modified"


def _web_version_made_by_a_new_worker(app, tmp_path, name: str, env, version_id: int) -> str:
    """A worker started now makes the version's web version; what it printed."""
    worker = start_worker(app, tmp_path, name, **env)
    try:
        wait_for(
            lambda: _fresh(version_id).rendition_ready_at is not None,
            timeout=120,
            what=f"worker {name} to make the web version\n{worker.output()}",
            every=0.2,
        )
    finally:
        worker.stop()
    return worker.output()


def test_a_stopped_worker_stops_its_ffmpeg_and_hands_the_film_back(app, film, make_video, tmp_path):
    """Ctrl-C, or `flask serve` ending: the worker waited for its encode (minutes), or was
    killed after a minute and left ffmpeg encoding for nobody. Now its ffmpeg stops at once,
    the film is handed back as it was (valid, its web version to make), and the next start
    makes it."""
    version, stall, env = _film_waiting_for_its_encode(film, make_video, tmp_path)
    version_id = version.id
    worker = start_worker(app, tmp_path, "stopped", **env)
    try:
        encoder = _encoder_once_stalled(worker, stall, version_id)
        asked = time.monotonic()
        os.kill(worker.popen.pid, signal.SIGINT)  # what `flask serve` sends when it stops
        worker.popen.wait(timeout=30)
        stopped_in = time.monotonic() - asked
    finally:
        worker.stop()
    assert stopped_in < 10, f"the worker took {stopped_in:.1f} s to stop\n{worker.output()}"
    assert not _alive(encoder)
    handed_back = _fresh(version_id)
    assert handed_back.status == VersionStatus.VALID and handed_back.heartbeat_at is None
    assert handed_back.step == "rendition" and handed_back.error == ""  # not a failure

    stall.unlink()
    _web_version_made_by_a_new_worker(app, tmp_path, "again", env, version_id)
    assert probe(media_path(handed_back.rendition_path)).video.codec == "h264"
