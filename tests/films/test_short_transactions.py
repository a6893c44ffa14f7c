"""No database write waits on ffmpeg: while a film's check, thumbnails and embedded subtitles
run, another process writes at once (a roll call, a registration, a vote)."""

from __future__ import annotations

import sqlite3

import pytest

from festival.films import pipeline, subtitles
from tests.helpers.films import add_version


def _write_elsewhere(database: str) -> str:
    """A write from another connection, as another process does, waiting 0.2 s at most."""
    connection = sqlite3.connect(database, timeout=0.2)
    try:
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("UPDATE editions SET title = title")
        connection.commit()
        return "written"
    except sqlite3.OperationalError as error:
        return str(error)
    finally:
        connection.close()


def test_no_write_waits_while_a_film_is_processed(app, film, make_video, monkeypatch):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if not url.startswith("sqlite:///"):
        pytest.skip("the write lock is SQLite's: PostgreSQL locks rows, not the database")
    database = url.removeprefix("sqlite:///")
    seen: dict[str, str] = {}

    def watched(name, real):
        def run(*args, **kwargs):
            seen[name] = _write_elsewhere(database)
            return real(*args, **kwargs)

        return run

    monkeypatch.setattr(pipeline, "check_file_and", watched("check", pipeline.check_file_and))
    monkeypatch.setattr(
        pipeline, "make_thumbnails", watched("thumbnails", pipeline.make_thumbnails)
    )
    monkeypatch.setattr(pipeline, "add_sizes", watched("larger sizes", pipeline.add_sizes))
    monkeypatch.setattr(
        subtitles, "embedded_tracks", watched("subtitles", subtitles.embedded_tracks)
    )
    version = add_version(film, make_video("short-tx.mp4", seconds=2.0), number=1, process=False)
    pipeline.process_version(version.id)
    assert seen == {
        "check": "written",
        "thumbnails": "written",
        "subtitles": "written",
        "larger sizes": "written",
    }


def test_a_film_whose_packets_refuse_what_its_header_claimed_keeps_no_thumbnail(
    app, film, make_video, monkeypatch
):
    """The thumbnails are made while the packets are listed (on the header's word): when the
    packets say the film is too long after all, its pictures are thrown away."""
    from festival.films.models import VersionStatus
    from festival.processing import Rules
    from festival.storage import media_path
    from tests.processing.test_checks import _claim_shorter

    monkeypatch.setattr(
        pipeline, "rules_for", lambda _edition: Rules(max_duration=5.0, duration_tolerance=0.25)
    )
    forged = _claim_shorter(make_video("lying-header.mp4", seconds=8), 2)
    version = add_version(film, forged, number=1, process=False)
    pipeline.process_version(version.id)
    assert version.status == VersionStatus.REFUSED and version.thumbnails == []
    thumbs = media_path(f"{version.directory}/thumbs")
    assert not thumbs.exists() or not any(p.is_file() for p in thumbs.iterdir())
