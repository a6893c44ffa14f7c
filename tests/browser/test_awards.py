"""The awards as people live them, in Chromium: a juror scores two films on a phone (and on a
weak connection), staff deliberate on a laptop, twenty phones vote with their cards, the
projection shows the QR code, then the results and the envelopes."""

from __future__ import annotations

import pytest

from festival.auth.models import Role
from festival.awards import jury, prizes, vote
from festival.extensions import db
from tests.helpers.browser import PHONE, sign_in

pytestmark = pytest.mark.browser
LAPTOP = {"width": 1366, "height": 768}
GRADES = ["Excellent", "Très bien", "Bien", "Assez bien", "Passable", "À rejeter"]


@pytest.fixture
def ceremony(published_ceremony):
    return published_ceremony("Aube", "Brume")


def test_a_juror_scores_two_films_on_a_phone_even_offline(
    live_server, page_factory, make_user, edition, ceremony, artifacts_dir
):
    juror = make_user(Role.JURY, display_name="Juliette")
    grid = prizes.criteria_of(edition)
    page = page_factory(PHONE)
    sign_in(page, live_server, juror.login)
    page.get_by_role("link", name="Films").click()
    for index, film in enumerate(ceremony):
        page.goto(f"{live_server}/jury/films")
        page.locator(f"a[href='/jury/films/{film.id}']").tap()
        page.locator("video").wait_for()
        for position, criterion in enumerate(grid):
            page.locator(f"label[for='s-{criterion.id}-{(index + position) % 11}']").tap()
            page.locator("[data-jury-status].is-success").wait_for()
        with page.expect_response(lambda r: r.url.endswith("/notes")) as saved:
            page.get_by_label("Votre commentaire").fill(f"Commentaire sur {film.title}.")
        assert saved.value.ok  # sent when the juror pauses typing
    page.screenshot(path=str(artifacts_dir / "jury-scores-phone.png"), full_page=True)
    # The network drops in the hall: the score waits on the phone, then leaves.
    page.context.set_offline(True)
    page.locator(f"label[for='s-{grid[0].id}-10']").tap()
    page.locator("[data-jury-status]").get_by_text("Pas de réseau").wait_for()
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.locator("[data-jury-status]").get_by_text("Enregistré.").wait_for()
    db.session.expire_all()
    assert jury.scores_of(juror, ceremony[1])[grid[0].id] == 10
    assert jury.scores_of(juror, ceremony[0]) == {c.id: i % 11 for i, c in enumerate(grid)}
    assert jury.review_of(juror, ceremony[0]).comment == "Commentaire sur Aube."
    page.goto(f"{live_server}/jury/films")
    assert "2 film(s) noté(s) sur 2" in page.content()


def test_staff_deliberate_twenty_phones_vote_and_the_room_sees_the_reveal(
    live_server, page_factory, make_user, edition, ceremony, artifacts_dir
):
    aube, brume = ceremony
    grid = prizes.criteria_of(edition)
    for name, score in (("Juliette", 8), ("Karim", 6)):
        juror = make_user(Role.JURY, display_name=name)
        jury.save_review(juror, aube, scores={c.id: score for c in grid})
        jury.save_review(juror, brume, scores={c.id: score - 1 for c in grid})
    codes = vote.generate_codes(edition, 20)
    db.session.commit()
    staff = make_user(Role.STAFF)

    laptop = page_factory(LAPTOP)
    sign_in(laptop, live_server, staff.login)
    laptop.get_by_role("link", name="Prix").click()
    table = laptop.locator(".deliberation-table")
    assert "7.00" in table.inner_text() and "6.00" in table.inner_text()
    grand_prix = laptop.locator("form.award-assign").first
    grand_prix.locator("select").select_option(label="Aube")
    grand_prix.get_by_label("Mention du jury (facultative)").fill("Pour sa lumière.")
    grand_prix.get_by_role("button", name="Enregistrer").click()
    laptop.get_by_text("« Grand prix du jury » est enregistré.").wait_for()
    laptop.get_by_role("button", name="Clore la délibération").click()
    laptop.screenshot(path=str(artifacts_dir / "awards-deliberation-laptop.png"), full_page=True)

    # The projection opens the vote and shows the room its QR code.
    laptop.goto(f"{live_server}/equipe/prix/projection")
    laptop.get_by_role("button", name="Ouvrir le vote").click()
    laptop.locator(".vote-qr svg").wait_for()
    laptop.screenshot(path=str(artifacts_dir / "awards-projection-qr.png"))

    for index, code in enumerate(codes):
        phone = page_factory(PHONE)
        phone.goto(f"{live_server}/vote/{code}")  # what the card's QR code opens
        # Brume is the room's favourite: most give it a better grade than Aube.
        for film, grade in ((aube, GRADES[2 + index % 3]), (brume, GRADES[index % 2])):
            phone.locator(f"#film-{film.id}").get_by_text(grade, exact=True).tap()
        phone.get_by_role("button", name="Envoyer mon vote").tap()
        phone.get_by_text("Votre vote est enregistré").wait_for()
        if index == 0:
            phone.screenshot(path=str(artifacts_dir / "awards-ballot-phone.png"), full_page=True)
        phone.context.close()
    laptop.locator("[data-ballots]").get_by_text("20 vote(s) reçu(s)").wait_for(timeout=10000)

    laptop.get_by_role("button", name="Clore le vote").click()
    laptop.get_by_text("Vote du public : 20 votes").wait_for()
    results = laptop.locator(".projection-results li")
    assert results.first.inner_text().startswith("1. Brume")
    laptop.screenshot(path=str(artifacts_dir / "awards-projection-results.png"))
    # The envelopes: the last award in staff's order first, the grand prix last.
    envelope = laptop.locator("[data-envelope]:visible")
    laptop.keyboard.press("ArrowRight")
    assert "Prix du public" in envelope.inner_text() and "Brume" not in envelope.inner_text()
    laptop.keyboard.press("ArrowRight")
    assert "Brume" in envelope.inner_text()
    laptop.keyboard.press("ArrowRight")
    laptop.keyboard.press("ArrowRight")
    assert "Grand prix du jury" in envelope.inner_text() and "Aube" in envelope.inner_text()
    laptop.screenshot(path=str(artifacts_dir / "awards-projection-reveal.png"))
    db.session.expire_all()
    assert vote.vote_results(edition).ballots == 20


def test_a_teen_downloads_her_certificate_from_her_space(
    live_server, page_factory, edition, make_participant, artifacts_dir
):
    from pypdf import PdfReader

    from festival.workshops.models import Attendance, AttendanceStatus

    teen = make_participant(account=True, first_name="Thị Ánh", last_name="Nguyễn")
    db.session.add(
        Attendance(workshop=edition.workshops[0], participant=teen, status=AttendanceStatus.PRESENT)
    )
    db.session.commit()
    page = page_factory(PHONE)
    sign_in(page, live_server, teen.user.login)
    page.get_by_role("heading", name="Mon attestation").wait_for()
    page.screenshot(path=str(artifacts_dir / "space-certificate.png"), full_page=True)
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger (PDF)").click()
    path = artifacts_dir / "certificate-anh.pdf"
    download.value.save_as(path)
    text = PdfReader(str(path)).pages[0].extract_text()
    assert "Attestation de participation" in text and "Thị Ánh Nguyễn" in text
    assert "1 atelier de cinéma sur 10" in text
