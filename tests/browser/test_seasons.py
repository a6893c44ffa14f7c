"""A librarian prepares next year while this one is live, releases a changed programme and
reads the report, on a laptop; a visitor's phone shows what changes only once released."""

from __future__ import annotations

from datetime import timedelta

import pytest

from festival.auth.models import Role
from festival.extensions import db
from festival.programme import services as programme
from tests.helpers.browser import PHONE, sign_in

pytestmark = pytest.mark.browser
LAPTOP = {"width": 1366, "height": 768}


def test_next_year_beside_this_one_a_release_and_the_report(
    live_server, page_factory, edition, block, make_valid_film, make_user, artifacts_dir
):
    aube, brume = make_valid_film("Aube"), make_valid_film("Brume")
    programme.add_film(block, aube)
    programme.add_film(block, brume)
    programme.publish(edition)
    db.session.commit()
    make_user(Role.STAFF, login="bibliothecaire@example.org")
    staff = page_factory(LAPTOP)
    sign_in(staff, live_server, "bibliothecaire@example.org")
    visitor = page_factory(PHONE)
    visitor.goto(f"{live_server}/")
    before = visitor.locator("main").inner_text()

    staff.goto(f"{live_server}/equipe/editions/nouvelle")
    staff.fill("[name=year]", str(edition.year + 1))
    staff.fill("[name=title]", "La saison suivante")
    start = edition.starts_on.replace(year=edition.starts_on.year + 1)
    ceremony = edition.ceremony_at.replace(year=edition.ceremony_at.year + 1)
    staff.fill("[name=starts_on]", start.isoformat())
    staff.fill("[name=ends_on]", ceremony.date().isoformat())
    staff.fill("[name=ceremony_at]", ceremony.strftime("%Y-%m-%dT%H:%M"))
    # A month before (the first of the ceremony's month was the ceremony itself on 1 April).
    deadline = ceremony - timedelta(days=30)
    staff.fill("[name=upload_deadline]", deadline.strftime("%Y-%m-%dT%H:%M"))
    staff.get_by_role("button", name="Enregistrer").click()
    staff.get_by_text(f"Vous travaillez sur {edition.year + 1}.").wait_for()
    staff.screenshot(path=str(artifacts_dir / "seasons-preparing.png"))
    visitor.reload()
    assert visitor.locator("main").inner_text() == before

    staff.goto(f"{live_server}/equipe/programme")
    staff.select_option("#edition-switch", label=f"{edition.year} · en cours")
    staff.get_by_role("button", name="Afficher").click()
    staff.get_by_role("button", name="Descendre « Aube »").click()
    staff.get_by_text("Modifications non publiées").wait_for()
    staff.get_by_text("« Aube » change de place dans « Première séance ».").wait_for()
    visitor.goto(f"{live_server}/programme")
    titles = visitor.locator(".lineup-title").all_inner_texts()
    assert titles.index("Aube") < titles.index("Brume")  # still version 1
    staff.get_by_role("button", name="Publier la version 2").click()
    staff.get_by_text("Version 2 publiée").wait_for()
    visitor.reload()
    titles = visitor.locator(".lineup-title").all_inner_texts()
    assert titles.index("Brume") < titles.index("Aube")
    visitor.get_by_text("Historique du programme (2 versions)").click()
    visitor.screenshot(path=str(artifacts_dir / "seasons-history-phone.png"), full_page=True)

    staff.goto(f"{live_server}/equipe/bilan")
    assert staff.locator("svg.chart").count() >= 3
    staff.screenshot(path=str(artifacts_dir / "seasons-report.png"), full_page=True)
    response = staff.request.get(f"{live_server}/equipe/bilan.pdf")
    assert response.status == 200 and response.body().startswith(b"%PDF")
