"""The projection's key help sits at the top of the screen: at the bottom it covered the
film's subtitles during the first seconds of the ceremony."""

from __future__ import annotations

import pytest

from festival.auth.models import Role
from festival.extensions import db
from festival.programme import services as programme
from tests.helpers.browser import sign_in

pytestmark = pytest.mark.browser
SCREEN = {"width": 1280, "height": 720}


def test_the_help_never_covers_the_subtitles(
    live_server, page_factory, edition, block, make_valid_film, make_user
):
    programme.add_film(block, make_valid_film("Aube"))
    programme.publish(edition)
    db.session.commit()
    staff = make_user(Role.STAFF)
    page = page_factory(SCREEN)
    sign_in(page, live_server, staff.login)
    page.goto(f"{live_server}/equipe/programme/projection")
    help_box = page.locator("[data-help]")
    help_box.wait_for()
    box = help_box.bounding_box()
    assert box is not None and box["y"] + box["height"] < SCREEN["height"] * 0.15
    assert "Aube" in page.locator("[data-card-title]").inner_text()
