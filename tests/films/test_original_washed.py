"""The original a phone sent is kept without its tags (GPS position, make, model, owner):
washed once the clean rendition exists, and never played with them in the meantime."""

from __future__ import annotations

import hashlib
import json
import subprocess

from festival.auth.models import Role
from festival.extensions import db
from festival.films.models import VersionStatus
from festival.processing.probe import personal_tags, probe
from festival.storage import media_path
from tests.helpers.films import add_version
from tests.media import PHONE_TAGS


def _tags(path) -> str:
    return subprocess.run(  # noqa: S603 - fixed arguments
        ["ffprobe", "-v", "error", "-show_entries", "format_tags:stream_tags", "-of", "json",
         str(path)],
        capture_output=True, text=True, check=True, timeout=30,
    ).stdout.lower()  # fmt: skip


def test_technical_tags_are_not_personal_but_everything_else_is():
    assert personal_tags(
        {"major_brand": "qt", "encoder": "Lavf", "handler_name": "Core Media Video",
         "language": "und", "_STATISTICS_WRITING_APP": "mkvmerge", "DURATION": "00:00:02"}
    ) == set()  # fmt: skip
    assert personal_tags(
        {"location": "+48.8566+002.3522/", "com.apple.quicktime.make": "Apple",
         "creation_time": "2026-05-01T10:00:00Z", "comment": "Léa", "major_brand": "qt"}
    ) == {"location", "com.apple.quicktime.make", "creation_time", "comment"}  # fmt: skip


def test_a_phone_original_loses_its_tags_once_the_rendition_exists(film, make_video):
    sent = make_video("phone-gps.mov", phone_tags=True)
    assert any(tag in _tags(sent) for tag in PHONE_TAGS)
    received = hashlib.sha256(sent.read_bytes()).hexdigest()

    version = add_version(film, sent, number=1)

    assert version.status == VersionStatus.VALID and version.rendition_ready_at
    assert {"location", "make", "model", "comment"} <= set(version.report["personal_tags"])
    assert version.report["washed_at"] and version.original_is_clean
    original = media_path(version.original_path)
    tags = _tags(original)
    assert not any(tag in tags for tag in PHONE_TAGS), tags
    # What was filmed stays whole: the same streams, the same length.
    before, after = probe(sent), probe(original)
    assert [s.codec for s in after.streams] == [s.codec for s in before.streams]
    assert abs(after.duration - before.duration) < 0.1
    # Staff's record of the file received is what arrived, not the washed copy.
    assert version.sha256 == received


def test_an_original_without_tags_is_kept_byte_for_byte(film, make_video):
    sent = make_video("plain.mp4")
    version = add_version(film, sent, number=1)
    assert version.report["personal_tags"] == []
    assert "washed_at" not in version.report
    assert media_path(version.original_path).read_bytes() == sent.read_bytes()


def test_no_player_reads_an_original_with_tags_while_the_rendition_is_made(film, make_video):
    version = add_version(film, make_video("phone-gps.mov", phone_tags=True), number=1)
    version.rendition_ready_at = None  # as while the rendition is made, before the wash
    version.report = {k: v for k, v in version.report.items() if k != "washed_at"}
    db.session.commit()
    assert version.original_plays_in_browsers
    assert version.playable_path is None

    version.report = {**version.report, "personal_tags": []}  # a file that never had any
    assert version.playable_path == version.original_path

    version.report = {k: v for k, v in version.report.items() if k != "personal_tags"}
    assert version.playable_path is None, "a report from before the check named tags: unknown"
    assert json.dumps(version.report)


def test_staff_see_that_the_phone_data_left_the_original(film, make_video, login_as):
    add_version(film, make_video("phone-gps.mov", phone_tags=True), number=1)
    page = login_as(Role.STAFF).get(f"/equipe/films/{film.id}").get_data(as_text=True)
    assert "Données du téléphone" in page
    assert "retirées de l" in page
