"""What a teen does with the uploader on a phone: pause, reload, another file, a wrong file.

Each ends with the server's copy compared to the phone's file (SHA-256), and every piece sent
carried its own checksum.
"""

from __future__ import annotations

import hashlib
import time

import pytest

from festival.extensions import db
from festival.films.models import FilmVersion, Upload
from festival.storage import media_path
from tests.helpers.browser import PHONE, sign_in

pytestmark = pytest.mark.browser

CHUNK = 256 * 1024


@pytest.fixture
def teen_film(app, teen_film):
    app.config["UPLOAD_CLIENT_CHUNK_BYTES"] = CHUNK
    return teen_film


@pytest.fixture
def noisy_video(make_video):
    # Noise does not compress: 3.6 MB, fourteen pieces of 256 KiB, 6 s on the slow link (a
    # 480x270 one of 9.7 MB made these tests a tenth of the suite's time).
    return make_video("noisy.mp4", seconds=4, size="320x180", vf="noise=alls=60:allf=t")


def _phone_on_slow_upload(page_factory, live_server, teen, film, *, kbps: int = 600):
    page = page_factory(PHONE)
    sign_in(page, live_server, teen.user.login)
    page.goto(f"{live_server}/films/{film.id}")
    # A weak mobile link: the body of each PATCH trickles, so the server is still reading it
    # when the teen taps Pause or reloads the page.
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": 40,
            "downloadThroughput": -1,
            "uploadThroughput": kbps * 1024 / 8 * 8,  # bytes per second
        },
    )
    patches: list[dict] = []
    page.on(
        "request",
        lambda request: patches.append(request.headers) if request.method == "PATCH" else None,
    )
    return page, patches


def _wait_for_progress(page, above: float, timeout: float = 60) -> float:
    bar = page.locator("[data-progress-bar]")
    deadline = time.monotonic() + timeout
    while (value := bar.evaluate("bar => bar.value")) <= above:
        assert time.monotonic() < deadline, f"the upload did not pass {above} %"
        page.wait_for_timeout(50)
    return value


def _stored_sha(film) -> str:
    db.session.expire_all()
    (version,) = db.session.query(FilmVersion).filter_by(film_id=film.id).all()
    return hashlib.sha256(media_path(version.original_path).read_bytes()).hexdigest()


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_pause_then_resume_on_a_phone_stores_the_exact_file(
    live_server, page_factory, teen_film, noisy_video, artifacts_dir
):
    teen, film = teen_film
    page, patches = _phone_on_slow_upload(page_factory, live_server, teen, film)
    page.set_input_files("[data-file-input]", str(noisy_video))
    _wait_for_progress(page, 30)
    page.get_by_role("button", name="Pause").click()
    page.get_by_text("En pause").wait_for()
    page.screenshot(path=str(artifacts_dir / "upload-paused-phone.png"), full_page=True)
    page.wait_for_timeout(300)
    page.get_by_role("button", name="Reprendre").click()
    page.wait_for_selector("video.player", timeout=90_000)
    assert _stored_sha(film) == _sha(noisy_video)
    assert patches and all(h.get("upload-checksum", "").startswith("sha256 ") for h in patches)


def _server_offset(film) -> int:
    db.session.expire_all()
    (upload,) = db.session.query(Upload).filter_by(film_id=film.id).all()
    return upload.offset


def test_pause_then_reload_keeps_every_piece_sent(
    live_server, page_factory, teen_film, noisy_video
):
    """Pause waits for the piece in flight: cut off, it could not be checked against its
    checksum and was thrown away, and a reload then started that piece over."""
    teen, film = teen_film
    page, _patches = _phone_on_slow_upload(page_factory, live_server, teen, film, kbps=300)
    page.set_input_files("[data-file-input]", str(noisy_video))
    clicked_at = _wait_for_progress(page, 30)
    page.get_by_role("button", name="Pause").click()
    page.get_by_text("Pause à la fin de ce morceau").wait_for()
    page.get_by_text("En pause").wait_for(timeout=30_000)
    kept = _server_offset(film)
    size = noisy_video.stat().st_size
    assert kept * 100 / size >= clicked_at - 0.5, (kept, size, clicked_at)
    assert kept % CHUNK == 0  # a whole number of checked pieces
    page.reload()
    page.locator("[data-resume-note]").wait_for()
    page.set_input_files("[data-file-input]", str(noisy_video))
    assert _wait_for_progress(page, 0) >= kept * 100 / size - 0.5
    page.wait_for_selector("video.player", timeout=90_000)
    assert _stored_sha(film) == _sha(noisy_video)


def test_reload_mid_upload_and_choosing_the_same_file_resumes_it_intact(
    live_server, page_factory, teen_film, noisy_video, artifacts_dir
):
    teen, film = teen_film
    page, patches = _phone_on_slow_upload(page_factory, live_server, teen, film)
    page.set_input_files("[data-file-input]", str(noisy_video))
    _wait_for_progress(page, 30)
    page.reload()
    note = page.locator("[data-resume-note]")
    note.wait_for()
    assert "noisy" in note.inner_text()
    page.screenshot(path=str(artifacts_dir / "upload-reloaded-phone.png"), full_page=True)
    page.set_input_files("[data-file-input]", str(noisy_video))
    resumed_at = _wait_for_progress(page, 0)
    assert resumed_at > 10, "the upload started over instead of resuming"
    page.wait_for_selector("video.player", timeout=90_000)
    assert _stored_sha(film) == _sha(noisy_video)
    assert all(h.get("upload-checksum", "").startswith("sha256 ") for h in patches)


def test_choosing_another_file_mid_upload_stops_the_first(
    live_server, page_factory, teen_film, noisy_video, make_video
):
    teen, film = teen_film
    second = make_video("second.mp4", seconds=2, size="320x180")
    page, _patches = _phone_on_slow_upload(page_factory, live_server, teen, film)
    page.set_input_files("[data-file-input]", str(noisy_video))
    _wait_for_progress(page, 15)
    page.set_input_files("[data-file-input]", str(second))
    page.locator("[data-upload-name]").get_by_text("second").wait_for(timeout=10_000)
    page.wait_for_selector("video.player", timeout=90_000)
    assert _stored_sha(film) == _sha(second)
    # The first upload was given up on the server too: no partial file left behind.
    db.session.expire_all()
    deadline = time.monotonic() + 15
    while db.session.query(Upload).filter(Upload.completed_at.is_(None)).count():
        assert time.monotonic() < deadline, "the first upload was left open"
        time.sleep(0.2)
        db.session.expire_all()


def test_an_empty_file_gets_one_plain_sentence(live_server, page_factory, teen_film, tmp_path):
    teen, film = teen_film
    empty = tmp_path / "vide.mp4"
    empty.write_bytes(b"")
    page, patches = _phone_on_slow_upload(page_factory, live_server, teen, film)
    page.set_input_files("[data-file-input]", str(empty))
    status = page.locator("[data-upload-status]")
    status.get_by_text("Ce fichier est vide").wait_for()
    assert "Upload-Length" not in status.inner_text()
    assert page.get_by_role("button", name="Reprendre").is_hidden()
    assert page.get_by_role("button", name="Pause").is_hidden()
    assert patches == []


def test_a_film_clearly_over_the_limit_is_flagged_before_sending(
    live_server, page_factory, teen_film, edition, make_video, artifacts_dir
):
    teen, film = teen_film
    edition.max_film_seconds = 3
    db.session.commit()
    long_film = make_video("long.mp4", seconds=5, size="320x180")
    page, patches = _phone_on_slow_upload(page_factory, live_server, teen, film)
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    page.set_input_files("[data-file-input]", str(long_film))
    page.get_by_text("plus que les 3 s permises").wait_for()
    page.screenshot(path=str(artifacts_dir / "upload-too-long-phone.png"), full_page=True)
    assert "5 s" in page.locator("[data-upload-status]").inner_text()
    assert [url for url in posts if "/uploads" in url] == []
    # The browser may misread a file: the teen can still send it, the server decides.
    page.get_by_role("button", name="L'envoyer quand même").click()
    page.locator("[data-film-status]").get_by_text("Refusé").wait_for(timeout=60_000)
    assert patches
