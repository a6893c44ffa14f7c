"""A teenager sends a portrait HEVC film from a phone; the connection drops and comes back."""

import hashlib
import time

import pytest

from festival.extensions import db
from festival.films.models import VersionStatus
from festival.storage import media_path
from tests.helpers.browser import PHONE, sign_in

pytestmark = pytest.mark.browser


def test_a_portrait_film_resumes_after_the_connection_drops(
    app, live_server, page_factory, teen_film, make_video, artifacts_dir
):
    app.config["UPLOAD_CLIENT_CHUNK_BYTES"] = 64 * 1024
    teen, film = teen_film
    video = make_video(
        "iphone-portrait.mov",
        codec="hevc",
        size="640x360",
        rotation=90,
        seconds=4,
        vf="noise=alls=30:allf=t",
    )

    page = page_factory(PHONE)
    sign_in(page, live_server, teen.user.login)
    page.goto(f"{live_server}/films/{film.id}")
    # A weak 3G-like link: each chunk takes a moment.
    page.route("**/api/v1/uploads/*", lambda route: (time.sleep(0.15), route.continue_()))
    page.set_input_files("[data-file-input]", str(video))
    bar = page.locator("[data-progress-bar]")
    deadline = time.monotonic() + 60
    while bar.evaluate("bar => bar.value") <= 25:  # polled from here: the page's CSP forbids eval
        assert time.monotonic() < deadline, "the upload did not start"
        page.wait_for_timeout(100)

    page.context.set_offline(True)  # the train enters a tunnel
    status = page.locator("[data-upload-status]")
    status.get_by_text("reprendra tout seul").or_(
        status.get_by_text("nouvel essai")
    ).first.wait_for()
    stalled_at = page.locator("[data-progress-bar]").evaluate("bar => bar.value")
    page.screenshot(path=str(artifacts_dir / "upload-offline-phone.png"), full_page=True)
    assert 25 < stalled_at < 100

    page.wait_for_timeout(9000)  # long enough for the uploader to wait 10 s before its next try
    page.context.set_offline(False)
    # Back online: the notice goes and the upload restarts at once, not at the next retry.
    deadline = time.monotonic() + 4
    while bar.evaluate("bar => bar.value") <= stalled_at or "reprendra" in status.inner_text():
        assert time.monotonic() < deadline, "the upload did not restart when the network came back"
        page.wait_for_timeout(100)
    page.wait_for_selector("video.player", timeout=90_000)
    page.screenshot(path=str(artifacts_dir / "upload-done-phone.png"), full_page=True)
    assert "Valide" in page.locator("[data-film-status]").inner_text()

    db.session.expire_all()
    version = film.versions[0]
    assert version.status == VersionStatus.VALID
    assert (version.width, version.height) == (360, 640)
    assert (
        hashlib.sha256(media_path(version.original_path).read_bytes()).hexdigest()
        == hashlib.sha256(video.read_bytes()).hexdigest()
    )
