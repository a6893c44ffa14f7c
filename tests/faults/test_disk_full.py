"""The disk fills up while a film arrives: a clear answer, a consistent database, then recovery.

The media folder is a small tmpfs made for the test (root can mount one; elsewhere the test
is skipped, except in CI).
"""

from __future__ import annotations

import hashlib
import os
import subprocess

import pytest

from festival.extensions import db
from festival.films.models import FilmVersion, Upload, VersionStatus
from festival.storage import media_path
from tests.conftest import IN_CI
from tests.helpers.api import bearer

FILESYSTEM_BYTES = 16 * 1024 * 1024


@pytest.fixture
def small_media(app, tmp_path):
    mountpoint = tmp_path / "small-media"
    mountpoint.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={FILESYSTEM_BYTES}", "tmpfs", str(mountpoint)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        reason = f"cannot mount a small tmpfs for the disk-full test: {mounted.stderr.strip()}"
        if IN_CI:
            pytest.fail(reason + " (CI runs as root and must run it)")
        pytest.skip(reason)
    app.config["MEDIA_ROOT"] = str(mountpoint)
    try:
        yield mountpoint
    finally:
        subprocess.run(["umount", "-l", str(mountpoint)], check=False)


def _fill_leaving(mountpoint, free_bytes: int):
    stats = os.statvfs(mountpoint)
    available = stats.f_bavail * stats.f_frsize
    filler = mountpoint / "filler"
    with filler.open("wb") as handle:
        handle.write(b"\0" * (available - free_bytes))
    return filler


def test_a_full_disk_refuses_clearly_loses_nothing_and_recovers(
    app, small_media, film, team, client, tus_as, make_video
):
    data = make_video("full.mp4", seconds=6, size="640x360").read_bytes()
    phone = tus_as(bearer(client, team[0].user))
    filler = _fill_leaving(small_media, 512 * 1024)

    created = phone.create(film.id, len(data))
    assert created.status_code == 201
    url = created.headers["Location"]
    refused = phone.patch(url, 0, data)

    # A sentence the person understands, and what will happen next.
    assert refused.status_code == 507
    error = refused.json["error"]
    assert error["code"] == "disk_full"
    assert "manque de place" in error["message"] and "reprendra" in error["message"]
    # The database says exactly what the disk holds; nothing became a version.
    upload = db.session.query(Upload).one()
    assert upload.offset == media_path(upload.partial_path).stat().st_size < len(data)
    assert db.session.query(FilmVersion).count() == 0
    assert int(phone.head(url).headers["Upload-Offset"]) == upload.offset

    filler.unlink()  # staff made room
    offset = int(phone.head(url).headers["Upload-Offset"])
    resumed = phone.patch(url, offset, data[offset:])
    assert resumed.status_code == 204, resumed.get_data(as_text=True)
    version = db.session.query(FilmVersion).one()
    assert version.status == VersionStatus.VALID, version.error
    stored = media_path(version.original_path).read_bytes()
    assert hashlib.sha256(stored).hexdigest() == hashlib.sha256(data).hexdigest()

    # And the next film arrives normally.
    phone.send(film.id, data, chunk=256 * 1024)
    assert db.session.query(FilmVersion).count() == 2
