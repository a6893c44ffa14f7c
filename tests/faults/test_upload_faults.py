"""Uploads against the production server (gunicorn) under faults: cut connections, a killed server.

Each ends with the server's copy byte-identical to the phone's file (SHA-256).
"""

from __future__ import annotations

import hashlib
import random
import socket
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from festival.extensions import db
from festival.films.models import FilmVersion, Upload
from festival.storage import media_path
from tests.helpers.tus import RawTus
from tests.processes import start_gunicorn, wait_for

TUS = {"Tus-Resumable": "1.0.0"}


SAVE_EVERY = 128 * 1024  # the server saves its offset this often while a body streams in


def _version_sha(film_id: int) -> str:
    db.session.expire_all()
    version = db.session.query(FilmVersion).filter_by(film_id=film_id).one()
    return hashlib.sha256(media_path(version.original_path).read_bytes()).hexdigest()


def test_an_upload_cut_at_twenty_random_offsets_ends_identical(
    app, film, team, make_video, tmp_path
):
    data = make_video("cuts.mp4", seconds=6, size="640x360").read_bytes()
    server, base = start_gunicorn(app, tmp_path, UPLOAD_OFFSET_SAVE_BYTES=str(SAVE_EVERY))
    try:
        phone = RawTus(base, team[0].user.login)
        path = phone.create(film.id, len(data))
        rng = random.Random(20261122)  # noqa: S311 - reproducible faults, not secrets
        cuts = sorted(rng.sample(range(1, len(data)), 20))
        offset, received_at_cuts = 0, []
        for cut in cuts:
            offset = phone.offset(path)
            if cut <= offset:
                continue
            phone.patch_and_hang_up(
                path, offset, data[offset:], sent=cut - offset, reset=rng.random() < 0.5
            )
            # The server keeps what arrived before the cut, never more than was sent.
            time.sleep(0.05)
            (received,) = wait_for(
                lambda: _settled_offset(phone, path), timeout=10, what="the offset to settle"
            )
            assert received <= cut
            received_at_cuts.append(received)
        assert phone.resume(path, data) == len(data)
    finally:
        server.stop()
    assert len(received_at_cuts) == 20
    # A clean hang-up keeps every byte sent; a reset may drop what was still in flight.
    assert sum(kept == cut for kept, cut in zip(received_at_cuts, cuts, strict=True)) >= 5
    assert received_at_cuts == sorted(received_at_cuts)  # never went backwards
    assert _version_sha(film.id) == hashlib.sha256(data).hexdigest()
    assert not list(Path(media_path("uploads")).glob("*.part"))


def _settled_offset(phone: RawTus, path: str) -> tuple[int] | None:
    first = phone.offset(path)
    time.sleep(0.05)
    return (first,) if phone.offset(path) == first else None


def test_an_upload_survives_the_server_killed_and_restarted(app, film, team, make_video, tmp_path):
    data = make_video("killed.mp4", seconds=8, size="640x360").read_bytes()
    server, base = start_gunicorn(app, tmp_path, UPLOAD_OFFSET_SAVE_BYTES=str(SAVE_EVERY))
    port = urlsplit(base).port
    phone = RawTus(base, team[0].user.login)
    path = phone.create(film.id, len(data))
    partial = media_path(db.session.query(Upload).one().partial_path)
    stop = threading.Event()

    def slow_phone():
        # 3G: the body trickles in, so the kill lands in the middle of it.
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
                sock.sendall(phone.patch_head(path, 0, len(data)))
                for start in range(0, len(data), 16 * 1024):
                    if stop.is_set():
                        return
                    sock.sendall(data[start : start + 16 * 1024])
                    time.sleep(0.02)
        except OSError:
            return  # the server died under us: that is the point

    sender = threading.Thread(target=slow_phone)
    sender.start()
    try:
        # Once the server has saved some progress (1 MiB reads, saved after each), kill it.
        saved_before_kill = wait_for(
            lambda: phone.offset(path), timeout=60, what="some progress to be saved", every=0.05
        )
        server.kill()  # SIGKILL to gunicorn and its workers: no cleanup of any kind
        killed_at = partial.stat().st_size
    finally:
        stop.set()
        sender.join(timeout=30)
        server.stop()
    assert 0 < saved_before_kill <= killed_at < len(data)

    restarted, base = start_gunicorn(
        app, tmp_path, port=port, UPLOAD_OFFSET_SAVE_BYTES=str(SAVE_EVERY)
    )
    try:
        resumed_from = phone.offset(path)
        # Bytes past the last saved offset are dropped, never trusted; little is lost.
        assert saved_before_kill <= resumed_from <= killed_at
        assert phone.resume(path, data) == len(data)
    finally:
        restarted.stop()
    assert _version_sha(film.id) == hashlib.sha256(data).hexdigest()


def _open_patch(phone: RawTus, path: str, offset: int, data: bytes) -> socket.socket:
    """A PATCH announcing the whole rest of the file, its body left to the caller to send."""
    sock = socket.create_connection((phone.host, phone.port), timeout=30)
    sock.sendall(phone.patch_head(path, offset, len(data) - offset))
    return sock


@pytest.mark.parametrize(
    ("first_part", "reload"),
    [
        (48 * 1024, False),  # pause inside the first chunk, before any progress was saved
        (48 * 1024, True),
        (320 * 1024, False),  # pause later, after the server saved progress twice
        (704 * 1024, True),  # reload the page and choose the same file again
    ],
)
def test_pause_or_reload_while_a_chunk_still_streams_keeps_the_file_intact(
    app, film, team, make_video, tmp_path, first_part, reload
):
    """What the uploader's Pause (or a reload) does: the old PATCH is still being read by the
    server when the page asks HEAD for the offset and sends a new PATCH from there."""
    data = make_video("pause.mp4", seconds=6, size="640x360").read_bytes()
    # The server reads 16 KiB at a time, so every part sent below (whole 16 KiB) reaches its disk.
    server, base = start_gunicorn(
        app, tmp_path, UPLOAD_OFFSET_SAVE_BYTES=str(SAVE_EVERY), UPLOAD_CHUNK_BYTES=str(16 * 1024)
    )
    try:
        phone = RawTus(base, team[0].user.login)
        path = phone.create(film.id, len(data))
        partial = media_path(db.session.query(Upload).one().partial_path)
        streaming = _open_patch(phone, path, 0, data)
        streaming.sendall(data[:first_part])
        wait_for(
            lambda: partial.stat().st_size >= first_part,
            timeout=10,
            what="the first part to reach the disk",
            every=0.02,
        )
        # The page asks where to resume while the old request is still being read.
        asked = phone.offset(path)
        assert asked <= first_part
        if reload:
            status, _headers, _body = phone.patch(path, asked, data[asked:])
            assert status == 409  # the old request still holds the upload
        # The bytes the phone had already put on the wire still arrive, then it hangs up.
        streaming.sendall(data[first_part : first_part + 200 * 1024])
        streaming.close()
        assert phone.resume(path, data) == len(data)
    finally:
        server.stop()
    assert _version_sha(film.id) == hashlib.sha256(data).hexdigest()


def test_a_phone_that_goes_silent_mid_piece_frees_its_server_thread(
    app, film, team, make_video, tmp_path
):
    """One byte every few seconds must not hold a thread: the read times out, what arrived
    is kept, and the upload resumes from there."""
    data = make_video("silent.mp4", seconds=2, size="320x180").read_bytes()
    server, base = start_gunicorn(
        app,
        tmp_path,
        UPLOAD_OFFSET_SAVE_BYTES="1024",
        UPLOAD_CHUNK_BYTES="1024",
        UPLOAD_READ_TIMEOUT_SECONDS="2",
    )
    try:
        phone = RawTus(base, team[0].user.login)
        path = phone.create(film.id, len(data))
        sock = socket.create_connection((phone.host, phone.port), timeout=30)
        sock.sendall(phone.patch_head(path, 0, len(data)) + data[:4096])
        started = time.monotonic()
        # Then silence: the server gives up on the read and answers.
        sock.settimeout(20)
        answer = sock.recv(4096)
        waited = time.monotonic() - started
        sock.close()
        assert answer.startswith(b"HTTP/1.1 204"), answer[:200]
        assert waited < 10
        assert phone.offset(path) == 4096
        assert phone.resume(path, data) == len(data)
    finally:
        server.stop()
    assert _version_sha(film.id) == hashlib.sha256(data).hexdigest()
