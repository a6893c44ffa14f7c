"""Backup and restore with the README's commands, in real processes, while the app runs.

A backup restores into a fresh instance (SQLite or PostgreSQL, whichever the backup came from)
with identical rows and identical media checksums.
"""

from __future__ import annotations

import json
import subprocess
import tarfile
import threading

import pytest
import sqlalchemy as sa

from festival.backup import media_checksums
from festival.extensions import db
from festival.films.models import FilmVersion, VersionStatus
from tests.databases import empty_postgres_schema
from tests.helpers.api import bearer
from tests.helpers.tus import RawTus
from tests.processes import BIN, app_env, start_gunicorn


def flask(app, *args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - fixed argv
        [str(BIN / "flask"), "--app", "festival", *args],
        env=app_env(app, **env),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_instance(request, tmp_path):
    """An empty database and media folder to restore into."""
    media = tmp_path / "restored-media"
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}", media
        return
    with empty_postgres_schema("restore_check") as url:
        yield url, media


def all_rows(url: str) -> dict[str, list[dict]]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return {
                table.name: [
                    dict(row._mapping)
                    for row in connection.execute(sa.select(table).order_by(*table.primary_key))
                ]
                for table in db.metadata.sorted_tables
            }
    finally:
        engine.dispose()


def test_a_backup_restores_identical_rows_and_media(
    app, film, team, client, tus_as, make_video, tmp_path, fresh_instance
):

    phone = tus_as(bearer(client, team[0].user))
    phone.send(film.id, make_video("kept.mp4", seconds=3).read_bytes(), chunk=256 * 1024)
    # And an upload left half-way: it must resume after the restore.
    halfway = phone.create(film.id, 1000)
    phone.patch(halfway.headers["Location"], 0, b"x" * 400)
    assert db.session.query(FilmVersion).one().status == VersionStatus.VALID

    archive = tmp_path / "backups"
    archive.mkdir()
    made = flask(app, "backup", str(archive))
    assert made.returncode == 0, made.stderr
    [backup] = list(archive.glob("festival-*.tar"))
    assert "Backup written to" in made.stdout

    url, media = fresh_instance
    restored = flask(app, "restore", str(backup), DATABASE_URL=url, MEDIA_ROOT=str(media))
    assert restored.returncode == 0, restored.stderr
    assert "checksums verified" in restored.stdout

    assert all_rows(url) == all_rows(app.config["SQLALCHEMY_DATABASE_URI"])
    source_media = media_checksums()
    assert source_media and any(name.endswith("web.mp4") for name in source_media)
    with app.test_request_context():
        app.config["MEDIA_ROOT"], kept = str(media), app.config["MEDIA_ROOT"]
        try:
            assert media_checksums() == source_media
        finally:
            app.config["MEDIA_ROOT"] = kept

    # A second restore into the same place is refused: nothing there is ever overwritten.
    again = flask(app, "restore", str(backup), DATABASE_URL=url, MEDIA_ROOT=str(media))
    assert again.returncode != 0
    assert "already holds data" in again.stderr


def test_a_backup_taken_while_films_arrive_restores_consistently(
    app, film, team, make_video, tmp_path
):
    data = make_video("busy.mp4", seconds=2).read_bytes()
    server, base = start_gunicorn(app, tmp_path)
    stop, sent = threading.Event(), []
    login, film_id = team[0].user.login, film.id

    def team_uploading():
        phone = RawTus(base, login)
        while not stop.is_set():
            path = phone.create(film_id, len(data))
            phone.resume(path, data)
            sent.append(path)

    uploader = threading.Thread(target=team_uploading)
    uploader.start()
    backups = []
    try:
        for n in range(3):
            made = flask(app, "backup", str(tmp_path / f"busy-{n}.tar"))
            assert made.returncode == 0, made.stderr
            backups.append(tmp_path / f"busy-{n}.tar")
    finally:
        stop.set()
        uploader.join(timeout=60)
        server.stop()
    assert len(sent) >= 3, "the uploads did not run during the backups"

    for n, backup in enumerate(backups):
        with tarfile.open(backup) as archive:
            manifest = json.load(archive.extractfile("manifest.json"))
        url = f"sqlite:///{tmp_path / f'busy-{n}.sqlite3'}"
        media = tmp_path / f"busy-media-{n}"
        restored = flask(app, "restore", str(backup), DATABASE_URL=url, MEDIA_ROOT=str(media))
        assert restored.returncode == 0, restored.stderr
        rows = all_rows(url)
        # Every version in the snapshot has its original file, byte for byte.
        for version in rows["film_versions"]:
            original = f"films/{version['film_id']}/v{version['number']}/original"
            assert original in manifest["media"]
            assert (media / original).stat().st_size == version["size"]


def test_a_damaged_or_hostile_backup_is_refused(app, tmp_path):
    hostile = tmp_path / "hostile.tar"
    payload = tmp_path / "payload"
    payload.write_text("pwned")
    manifest = tmp_path / "manifest.json"
    manifest.write_text(
        json.dumps(
            {"format": 1, "revision": None, "rows": {}, "media": {"../../evil": {"sha256": ""}}}
        )
    )
    with tarfile.open(hostile, "w") as archive:
        archive.add(manifest, "manifest.json")
        archive.add(payload, "media/../../evil")
    url = f"sqlite:///{tmp_path / 'hostile.sqlite3'}"
    refused = flask(app, "restore", str(hostile), DATABASE_URL=url, MEDIA_ROOT=str(tmp_path / "m"))
    assert refused.returncode != 0
    assert not (tmp_path / "evil").exists()

    not_a_backup = tmp_path / "film.tar"
    with tarfile.open(not_a_backup, "w") as archive:
        archive.add(payload, "something")
    refused = flask(app, "restore", str(not_a_backup), DATABASE_URL=url)
    assert refused.returncode != 0
    assert "not a backup" in refused.stderr
    assert "Traceback" not in refused.stderr


@pytest.mark.parametrize(
    ("listed", "entry"),
    [
        ("../../evil", "media/../../evil"),  # a path leaving the media folder
        (".", "media/."),  # the media folder itself: once passed, then failed after the rows
    ],
)
def test_a_hostile_entry_after_good_rows_is_refused_before_anything_is_written(
    app, tmp_path, listed, entry
):
    """The rows come first in the archive, the forbidden entry last: nothing lands anyway."""
    archive_path = tmp_path / "late-hostile.tar"
    rows = tmp_path / "users.jsonl"
    rows.write_text("")
    payload = tmp_path / "payload"
    payload.write_text("pwned")
    manifest = tmp_path / "manifest.json"
    manifest.write_text(
        json.dumps(
            {
                "format": 1,
                "revision": None,
                "rows": {"users": 0},
                "media": {listed: {"sha256": "", "size": 5}},
            }
        )
    )
    with tarfile.open(archive_path, "w") as archive:
        archive.add(manifest, "manifest.json")
        archive.add(rows, "database/users.jsonl")
        archive.add(payload, entry)
    database = tmp_path / "untouched.sqlite3"
    refused = flask(
        app,
        "restore",
        str(archive_path),
        DATABASE_URL=f"sqlite:///{database}",
        MEDIA_ROOT=str(tmp_path / "m"),
    )
    assert refused.returncode != 0 and "Traceback" not in refused.stderr
    assert "refused" in refused.stderr
    assert not database.exists() or database.stat().st_size == 0  # no schema, no rows
    assert not (tmp_path / "evil").exists()


def test_a_folder_path_makes_the_folder_and_no_backup_is_ever_overwritten(app, tmp_path):
    runner = app.test_cli_runner()
    folder = tmp_path / "sauvegardes"
    first = runner.invoke(args=["backup", f"{folder}/"])
    assert first.exit_code == 0, first.output
    assert folder.is_dir() and len(list(folder.glob("festival-*.tar"))) == 1
    second = runner.invoke(args=["backup", f"{folder}/"])
    assert second.exit_code == 0 and len(list(folder.glob("festival-*.tar"))) == 2
    named = tmp_path / "veille.tar"
    assert runner.invoke(args=["backup", str(named)]).exit_code == 0
    before = named.read_bytes()
    again = runner.invoke(args=["backup", str(named)])
    assert again.exit_code != 0 and "never overwritten" in again.output
    assert named.read_bytes() == before
