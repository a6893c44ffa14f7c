"""Processing in the background: the SQLite queue of the embedded setup, and Redis."""

import time

import pytest

from festival import create_app
from festival.extensions import db, huey
from festival.films.models import FilmVersion, VersionStatus
from festival.jobs import init_jobs, start_in_process_workers
from tests.conftest import IN_CI
from tests.helpers.api import bearer

REDIS_URL = "redis://127.0.0.1:6379/15"


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
    huey.flush()
    yield app
    huey.flush()
    app.config["JOBS_IMMEDIATE"] = True
    init_jobs(app)


def wait_for(version_id: int, seconds: float = 60) -> FilmVersion:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        db.session.expire_all()
        version = db.session.get(FilmVersion, version_id)
        if version.status != VersionStatus.PROCESSING:
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


def test_a_failed_job_is_recorded_and_a_retry_finishes_it(
    app, client, team, film, tus_as, make_video, monkeypatch
):
    from festival.films import pipeline
    from festival.storage import media_path

    calls = []
    real = pipeline.make_rendition

    def crash_once(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OSError("worker killed")
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "make_rendition", crash_once)
    data = make_video("retry.mp4").read_bytes()
    tus_as(bearer(client, team[0].user)).send(film.id, data)
    db.session.refresh(film)
    version = film.versions[0]
    assert version.status == VersionStatus.FAILED and "worker killed" in version.error
    assert not media_path(version.rendition_path).exists()
    # Huey schedules a retry; here it is run by hand: the version ends valid.
    from festival.films.tasks import process_version

    process_version.call_local(version.id)
    db.session.refresh(version)
    assert len(calls) == 2
    assert version.status == VersionStatus.VALID and version.error == ""
    assert media_path(version.original_path).read_bytes() == data


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

    version.status = VersionStatus.VALID
    version.heartbeat_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    assert requeue_stalled() == []
    assert claim(version.id) is False  # finished versions are never redone
