"""Processing in the background: the SQLite queue of the embedded setup, and Redis."""

import hashlib
import os
import time

import pytest

from festival import create_app
from festival.auth.models import Role
from festival.clock import as_aware_utc
from festival.extensions import db, huey
from festival.films.models import FilmVersion, VersionStatus
from festival.jobs import LANES, init_jobs, make_consumer
from tests.conftest import IN_CI
from tests.helpers.api import bearer
from tests.helpers.workers import start_in_process_workers

# A Redis database per test process (15, 14, …): two processes sharing the queues took, and
# flushed, each other's jobs.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
REDIS_URL = f"redis://127.0.0.1:6379/{15 - int(_WORKER.removeprefix('gw') or 0) % 8}"


def redis_available() -> bool:
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except Exception:
        return False
    return True


@pytest.fixture(params=["sqlite", "redis"])
def queued_app(request, app, tmp_path):
    """The same app, with jobs queued for workers instead of run at once."""
    config = {"JOBS_IMMEDIATE": False, "JOBS_SQLITE_PATH": str(tmp_path / "jobs.sqlite3")}
    if request.param == "redis":
        if not redis_available():
            if IN_CI:
                pytest.fail(f"Redis must be reachable at {REDIS_URL} in CI")
            pytest.skip(f"Redis is not reachable at {REDIS_URL}")
        config["QUEUE_URL"] = REDIS_URL
    app.config.update(config)
    init_jobs(app)
    for queue in LANES.values():
        queue.flush()
    yield app
    for queue in LANES.values():
        queue.flush()
    app.config["JOBS_IMMEDIATE"] = True
    init_jobs(app)


def wait_for(version_id: int, seconds: float = 60, *, rendition: bool = True) -> FilmVersion:
    """Until the job is over: checked and, unless `rendition` is False, its web version made."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        db.session.expire_all()
        version = db.session.get(FilmVersion, version_id)
        done = not (rendition and version.rendition_pending and not version.rendition_failed)
        if version.status != VersionStatus.PROCESSING and done:
            return version
        time.sleep(0.2)
    raise AssertionError("the job did not finish")


def test_a_worker_processes_queued_versions(queued_app, client, team, film, tus_as, make_video):
    tus = tus_as(bearer(client, team[0].user))
    tus.send(film.id, make_video("queued.mp4").read_bytes())
    db.session.refresh(film)
    version = film.versions[0]
    assert version.status == VersionStatus.PROCESSING and version.step == "queued"
    # Queued, not run: one processing job (the team's registration emails wait beside it).
    queued = [task.name for task in huey.pending() if task.name != "send_email"]
    assert queued == ["process_version"]

    consumer = start_in_process_workers(workers=1)
    try:
        finished = wait_for(version.id)
    finally:
        consumer.stop(graceful=True)
    assert finished.status == VersionStatus.VALID and finished.progress == 100
    # Nothing of this film is left in the queue (a minute's periodic sweep may be, by chance).
    assert [task for task in huey.pending() if task.name.endswith("process_version")] == []


def test_a_job_run_twice_does_nothing_the_second_time(app, client, team, film, tus_as, make_video):
    from festival.films.pipeline import process_version
    from festival.storage import media_path

    tus_as(bearer(client, team[0].user)).send(film.id, make_video("twice.mp4").read_bytes())
    db.session.refresh(film)
    version = film.versions[0]
    rendition = media_path(version.rendition_path)
    before = rendition.stat().st_mtime_ns
    process_version(version.id)
    assert rendition.stat().st_mtime_ns == before
    assert len(version.thumbnails) == 4


def test_a_failed_check_is_recorded_and_a_retry_finishes_it(
    app, client, team, film, tus_as, make_video, monkeypatch
):
    from festival.films import pipeline
    from festival.storage import media_path

    calls = []
    real = pipeline.make_thumbnails

    def crash_once(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OSError("worker killed")
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "make_thumbnails", crash_once)
    data = make_video("retry.mp4").read_bytes()
    tus_as(bearer(client, team[0].user)).send(film.id, data)
    db.session.refresh(film)
    version = film.versions[0]
    assert version.status == VersionStatus.FAILED and "worker killed" in version.error
    assert not media_path(version.rendition_path).exists()  # the rendition begun was dropped
    # Huey schedules a retry; here it is run by hand: the version ends valid.
    from festival.films.tasks import process_version

    process_version.call_local(version.id)
    db.session.refresh(version)
    assert len(calls) == 2
    assert version.status == VersionStatus.VALID and version.error == ""
    assert version.rendition_ready_at is not None
    assert media_path(version.original_path).read_bytes() == data


def test_a_remux_that_ends_before_the_failure_is_heard_leaves_nothing(make_video, tmp_path):
    """The job failed while its remux, a second of copying, had already finished: the file it
    made goes with the rest (it was left behind when the remux won the race)."""
    from festival.films.pipeline import RenditionInProgress
    from festival.processing.probe import probe

    original = make_video("raced.mp4")
    out_path = tmp_path / "web.mp4"
    rendition = RenditionInProgress(original, out_path, probe(original))
    assert rendition.wait(30) is not None and out_path.exists()
    rendition.abandon()
    assert not out_path.exists()


def test_a_failed_rendition_leaves_the_film_valid_and_staff_start_it_again(
    app, client, team, film, tus_as, make_video, monkeypatch, login_as
):
    from festival.films import pipeline
    from festival.storage import media_path

    real = pipeline.make_rendition
    monkeypatch.setattr(
        pipeline, "make_rendition", lambda *a, **k: (_ for _ in ()).throw(OSError("disk full"))
    )
    data = make_video("no-room.mp4").read_bytes()
    tus_as(bearer(client, team[0].user)).send(film.id, data)
    db.session.refresh(film)
    version = film.versions[0]
    # Checked and given its thumbnails: the team chooses one and the film can be reviewed.
    assert version.status == VersionStatus.VALID and len(version.thumbnails) == 4
    assert version.rendition_failed and "disk full" in version.error
    assert pipeline.requeue_stalled() == []  # given up on: not retried every minute
    thumbnail_ids = [t.id for t in version.thumbnails]

    teen = login_as(team[0].user)
    page = teen.get(f"/films/{film.id}").get_data(as_text=True)
    assert "La version web de ce film n'a pas pu être préparée" in page
    # The uploaded file plays meanwhile (H.264 in MP4: browsers read it as it is).
    player = teen.get(f"/films/{film.id}/v1/web.mp4")
    assert player.status_code == 200 and player.get_data() == data

    monkeypatch.setattr(pipeline, "make_rendition", real)
    staff = login_as(Role.STAFF)
    review = staff.get(f"/equipe/films/{film.id}").get_data(as_text=True)
    assert "Relancer la préparation" in review
    response = staff.post_form(
        f"/equipe/films/{film.id}/v1/version-web", {}, token_page=f"/equipe/films/{film.id}"
    )
    assert response.status_code == 302
    db.session.refresh(version)
    assert version.rendition_ready_at is not None and version.step == "done"
    assert [t.id for t in version.thumbnails] == thumbnail_ids  # only the rendition was redone
    rendition = teen.get(f"/films/{film.id}/v1/web.mp4").get_data()
    assert rendition != data and rendition == media_path(version.rendition_path).read_bytes()


def test_a_film_is_valid_with_its_thumbnails_while_its_rendition_is_made(
    queued_app, client, team, film, tus_as, make_video, monkeypatch, login_as
):
    """The team chooses a thumbnail and watches its upload while the web version is made."""
    import threading

    from festival.films import pipeline

    release = threading.Event()
    real = pipeline.make_rendition

    def slow_rendition(*args, **kwargs):
        release.wait(timeout=60)
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "make_rendition", slow_rendition)
    data = make_video("soon.mp4", seconds=3).read_bytes()
    tus_as(bearer(client, team[0].user)).send(film.id, data)
    db.session.refresh(film)
    version_id = film.versions[0].id
    consumer = start_in_process_workers(workers=1)
    try:
        valid = wait_for(version_id, rendition=False)
        assert valid.status == VersionStatus.VALID and len(valid.thumbnails) == 4
        assert valid.rendition_ready_at is None and valid.step == "rendition"
        teen = login_as(team[0].user)
        state = teen.get(f"/films/{film.id}/etat.json").get_json()
        assert state["status"] == "valid"
        assert state["version"]["rendition"] == {"ready": False, "failed": False}
        page = teen.get(f"/films/{film.id}").get_data(as_text=True)
        assert "Version web en préparation" in page and "data-rendition-progress" in page
        assert teen.get(f"/films/{film.id}/v1/web.mp4").get_data() == data
        api = client.get(f"/api/v1/films/{film.id}", headers=bearer(client, team[0].user))
        listed = api.get_json()["versions"][0]
        assert listed["rendition_ready"] is False and listed["rendition_ready_at"] is None
        # When the verdict came, to the microsecond (the processing benchmark times from it).
        assert listed["processed_at"] == as_aware_utc(valid.processed_at).isoformat()

        release.set()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            db.session.expire_all()
            if db.session.get(FilmVersion, version_id).rendition_ready_at:
                break
            time.sleep(0.1)
    finally:
        release.set()
        consumer.stop(graceful=True)
    ready = db.session.get(FilmVersion, version_id)
    assert ready.rendition_ready_at is not None and ready.progress == 100
    assert teen.get(f"/films/{film.id}/v1/web.mp4").get_data() != data
    assert "Version web en préparation" not in teen.get(f"/films/{film.id}").get_data(as_text=True)
    # Once ready, the file as received by its fingerprint: what the rehearsal compares with
    # the phone's own (make rehearsal).
    api = client.get(f"/api/v1/films/{film.id}", headers=bearer(client, team[0].user))
    assert api.get_json()["versions"][0]["sha256"] == hashlib.sha256(data).hexdigest()


def test_workers_look_at_the_queue_ten_times_a_second_even_after_a_quiet_night(
    queued_app,
):
    """Huey backs off to 10 s between looks by default: a film would wait that long."""
    lanes = start_in_process_workers(workers=2)
    try:
        for consumer in lanes.consumers:
            assert all(worker.max_delay <= 0.1 for worker, _ in consumer.worker_threads)
    finally:
        lanes.stop(graceful=True)
    # `flask worker` builds its consumers the same way.
    assert make_consumer(1).max_delay <= 0.1 and make_consumer(1, lane="encodes").max_delay <= 0.1


def test_the_worker_command_refuses_immediate_mode(app):
    result = app.test_cli_runner().invoke(args=["worker"])
    assert result.exit_code != 0 and "immediately" in result.output


def test_create_app_picks_redis_from_queue_url(tmp_path):
    from huey.storage import RedisStorage, SqliteStorage

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db",
            "MEDIA_ROOT": str(tmp_path / "m"),
            "QUEUE_URL": REDIS_URL,
        },
        mode="development",
    )
    assert isinstance(huey.storage, RedisStorage)
    create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db",
            "MEDIA_ROOT": str(tmp_path / "m"),
            "JOBS_SQLITE_PATH": str(tmp_path / "j.db"),
        },
        mode="development",
    )
    assert isinstance(huey.storage, SqliteStorage)
    assert app.config["QUEUE_URL"] == REDIS_URL


def test_a_version_is_worked_on_by_one_worker_and_a_stalled_one_is_found(app, film):
    from datetime import timedelta

    from festival.clock import utcnow
    from festival.films.pipeline import claim, requeue_stalled

    app.config["PROCESSING_LEASE_SECONDS"] = 60
    version = FilmVersion(film=film, number=1, original_filename="a.mp4", size=1)
    db.session.add(version)
    db.session.commit()
    assert requeue_stalled() == []  # just uploaded: its job is surely still queued
    assert claim(version.id) is True
    assert claim(version.id) is False  # a live worker holds it
    assert requeue_stalled() == []

    version.heartbeat_at = utcnow() - timedelta(seconds=61)  # its worker died
    db.session.commit()
    assert requeue_stalled() == [version.id]
    assert claim(version.id) is True

    # Valid, its rendition under way: a dead worker's rendition is handed over too.
    version.status = VersionStatus.VALID
    version.step = "rendition"
    version.heartbeat_at = utcnow() - timedelta(seconds=61)
    db.session.commit()
    assert requeue_stalled() == [version.id]
    assert claim(version.id) is True

    version.rendition_ready_at = utcnow()
    version.heartbeat_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    assert requeue_stalled() == []
    assert claim(version.id) is False  # finished versions are never redone


def test_a_valid_version_gets_every_thumbnail_size_the_large_one_after_the_others(
    app, client, team, film, tus_as, make_video
):
    from festival.storage import media_path

    video = make_video("wide.mp4", seconds=2, size="1280x720")
    tus_as(bearer(client, team[0].user)).send(film.id, video.read_bytes())
    db.session.refresh(film)
    version = film.versions[0]
    assert version.status == VersionStatus.VALID and len(version.thumbnails) == 4
    for thumbnail in version.thumbnails:
        assert set(thumbnail.files) == {
            f"{width}.{fmt}" for width in (320, 640, 1280) for fmt in ("webp", "jpeg")
        }
        assert all(media_path(path).is_file() for path in thumbnail.files.values())


@pytest.mark.parametrize(
    ("name", "codec", "encoded"), [("phone.mp4", "h264", False), ("web.webm", "vp8", True)]
)
def test_an_encode_waits_for_the_first_thumbnails_a_remux_runs_beside_them(
    app, client, team, film, tus_as, make_video, monkeypatch, name, codec, encoded
):
    """An encode's threads, even niced, took a share of both cores: a 5-minute HEVC film had
    its thumbnails in 2.6 s beside its encode, 0.8 s alone. A remux only copies: it goes on
    beside the thumbnails, and the film is ready sooner."""
    import threading

    from festival.films import pipeline

    rendition_started = threading.Event()
    seen_while_making_thumbnails = []
    real_rendition, real_thumbnails = pipeline.make_rendition, pipeline.make_thumbnails

    def rendition(*args, **kwargs):
        rendition_started.set()
        return real_rendition(*args, **kwargs)

    def thumbnails(*args, **kwargs):
        # Long enough for a thread started before the thumbnails to have begun.
        seen_while_making_thumbnails.append(rendition_started.wait(timeout=2))
        return real_thumbnails(*args, **kwargs)

    monkeypatch.setattr(pipeline, "make_rendition", rendition)
    monkeypatch.setattr(pipeline, "make_thumbnails", thumbnails)
    video = make_video(name, seconds=2, size="320x240", codec=codec)
    tus_as(bearer(client, team[0].user)).send(film.id, video.read_bytes())
    db.session.refresh(film)
    version = film.versions[0]
    assert version.status == VersionStatus.VALID and len(version.thumbnails) == 4
    assert version.rendition_ready_at is not None
    assert version.rendition_remuxed is (not encoded)
    assert seen_while_making_thumbnails == [not encoded]


def _endless_encode(path, out_path, probe, *, on_progress=None, **_options):
    """An encode that would run a minute (ffmpeg reading its test source in real time), with
    progress like the real one's: a job that stops early must stop it."""
    from festival.processing.ffmpeg import FFMPEG, run_with_progress

    command = [
        FFMPEG, "-v", "error", "-nostdin", "-re", "-f", "lavfi", "-i", "testsrc2=size=64x48:rate=5",
        "-t", "60", "-progress", "pipe:1", "-f", "null", "-",
    ]  # fmt: skip
    run_with_progress(command, duration=60, timeout=120, on_progress=on_progress)
    raise AssertionError("the encode was not stopped")


def test_a_progress_that_cannot_be_saved_stops_its_encode(
    app, client, team, film, tus_as, make_video, monkeypatch
):
    """The job failed on a progress update while its ffmpeg went on encoding, and the retry
    started a second encode of the same film beside the first."""
    from sqlalchemy.exc import OperationalError

    from festival.films import pipeline
    from festival.processing.ffmpeg import running_commands

    def locked(_version, _fraction):
        raise OperationalError("UPDATE film_versions", {}, Exception("database is locked"))

    monkeypatch.setattr(pipeline, "make_rendition", _endless_encode)
    monkeypatch.setattr(pipeline, "_save_progress", locked)
    started = time.monotonic()
    video = make_video("to-encode.webm", seconds=2, size="320x240", codec="vp8")
    tus_as(bearer(client, team[0].user)).send(film.id, video.read_bytes())
    assert time.monotonic() - started < 30  # not the minute of the encode
    assert running_commands() == 0
    db.session.refresh(film)
    version = film.versions[0]
    assert version.status == VersionStatus.VALID and version.rendition_failed
    assert version.heartbeat_at is None  # free for the retry, nothing runs beside it


def test_a_new_film_is_checked_while_two_others_encode(
    queued_app, client, team, film, make_participant, tus_as, make_video, monkeypatch
):
    """Two HEVC encodes took both job threads: a film uploaded next waited minutes before
    its check even began. Checks have their own lane now."""
    from festival.films import pipeline
    from festival.films.models import FilmRole
    from festival.films.services import TeamEntry, create_film

    monkeypatch.setattr(pipeline, "make_rendition", _endless_encode)
    token = bearer(client, team[0].user)
    encoding = []
    for n in range(2):
        other = create_film(
            film.edition,
            title=f"Long {n}",
            team=[TeamEntry(team[0].id, FilmRole.DIRECTION)],
            created_by=team[0].user,
        )
        db.session.commit()
        video = make_video(f"long-{n}.webm", seconds=2, size="320x240", codec="vp8")
        tus_as(token).send(other.id, video.read_bytes())
        encoding.append(other.versions[0].id)
    lanes = start_in_process_workers(workers=2, encodes=2)
    try:
        for version_id in encoding:  # both valid, both encoding
            wait_for(version_id, rendition=False)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and lanes.consumers[1].huey.pending_count():
            time.sleep(0.1)
        time.sleep(0.5)
        tus_as(token).send(film.id, make_video("next.mp4", seconds=2).read_bytes())
        db.session.refresh(film)
        uploaded = time.monotonic()
        newest = wait_for(film.versions[0].id, seconds=30, rendition=False)
        waited = time.monotonic() - uploaded
    finally:
        from festival.processing.ffmpeg import allow_commands_again, stop_every_command

        stop_every_command()  # as a stopping worker does: the endless encodes end
        lanes.stop(graceful=True)
        allow_commands_again()
    assert newest.status == VersionStatus.VALID and len(newest.thumbnails) == 4
    assert waited < 10, f"the check waited {waited:.1f} s behind the encodes"


def test_a_long_step_keeps_its_version_from_a_second_worker(
    app, client, team, film, tus_as, make_video, monkeypatch
):
    """The heartbeat was renewed between steps only: a step longer than the lease (a slow
    check, a frame hard to decode) let the sweep hand the version to a second worker while the
    first still worked on it."""
    import threading

    from festival.films import pipeline

    app.config["PROCESSING_LEASE_SECONDS"] = 1
    monkeypatch.setattr(pipeline, "HEARTBEAT_SECONDS", 0.2)
    real = pipeline.make_thumbnails
    second_worker_got_it = []

    def slow_thumbnails(*args, **kwargs):
        time.sleep(2.5)  # longer than the lease

        def other_worker():
            with app.app_context():
                version_id = db.session.scalar(db.select(FilmVersion.id))
                second_worker_got_it.append(pipeline.claim(version_id))
                db.session.remove()

        thread = threading.Thread(target=other_worker)
        thread.start()
        thread.join()
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "make_thumbnails", slow_thumbnails)
    tus_as(bearer(client, team[0].user)).send(film.id, make_video("slow.mp4").read_bytes())
    assert second_worker_got_it == [False]
    db.session.refresh(film)
    assert film.versions[0].status == VersionStatus.VALID
