"""Pages a teen opens on her phone fit its width: « Mes données » once scrolled sideways at
390 px (a long guardian address, ISO dates that did not break)."""

from __future__ import annotations

import pytest

from festival.extensions import db
from tests.helpers.browser import sign_in

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def test_my_data_fits_a_phone(live_server, page_factory, make_participant, artifacts_dir):
    teen = make_participant(
        account=True,
        first_name="Thị Ánh",
        last_name="Nguyễn-Schwarzenberger",
        guardian_name="Văn Minh Nguyễn-Schwarzenberger",
        guardian_email="van.minh.nguyen-schwarzenberger@messagerie-familiale.example.org",
    )
    db.session.commit()
    page = page_factory(PHONE)
    sign_in(page, live_server, teen.user.login)
    for path in ("/mon-espace/mes-donnees", "/mon-espace"):
        page.goto(f"{live_server}{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], (path, width)
    page.goto(f"{live_server}/mon-espace/mes-donnees")
    assert "2011-" not in page.content().split("<main")[1]  # dates as every page writes them
    page.screenshot(path=str(artifacts_dir / "my-data-phone.png"), full_page=True)
