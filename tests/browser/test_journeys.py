"""The five journeys of a season, each in a real browser at the size its people use.

1. a teenager registers on the public form (phone), staff confirm them (desktop), they sign in;
2. a facilitator takes the roll of a workshop (tablet);
3. a team creates a film, uploads a portrait video with the page's uploader, sees the progress,
   the check result, and picks a thumbnail (phone);
4. staff approve it, build a block and publish the programme (desktop);
5. a visitor browses the lineup and opens the film (phone).

Screenshots of each step land in test-artifacts/journeys/; a failure keeps the screenshot and
the Playwright trace (see conftest.page_factory).
"""

from __future__ import annotations

import time

import pytest

from festival.auth.models import Role
from festival.extensions import db
from festival.films.models import Film, ReviewDecision, VersionStatus
from festival.people.models import Participant, ParticipantStatus
from festival.programme.models import ScreeningBlock
from festival.programme.services import add_film, publish
from festival.workshops.models import AttendanceStatus
from festival.workshops.services import attendance_sheet
from tests.helpers import PASSWORD, birth_date_for
from tests.helpers.browser import PHONE, TABLET, sign_in

pytestmark = pytest.mark.browser
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture
def shots(artifacts_dir):
    folder = artifacts_dir / "journeys"
    folder.mkdir(exist_ok=True)

    def shoot(page, name: str) -> None:
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)

    return shoot


def test_1_a_teenager_registers_staff_confirm_and_they_sign_in(
    live_server, page_factory, edition, make_user, shots
):
    teen = page_factory(PHONE)
    teen.goto(f"{live_server}/inscription")
    teen.fill("[name=first_name]", "Maëlys")
    teen.fill("[name=last_name]", "Garnier")
    teen.fill("[name=birth_date]", birth_date_for(edition, 15).isoformat())
    teen.fill("[name=email]", "maelys.garnier@example.org")
    teen.fill("[name=phone]", "06 12 34 56 78")
    teen.fill("[name=guardian_name]", "Sophie Garnier")
    teen.fill("[name=guardian_email]", "sophie.garnier@example.org")
    teen.fill("[name=guardian_phone]", "07 98 76 54 32")
    for consent in ("participation", "screening", "online"):
        teen.check(f"[name=consent_{consent}]")
    teen.fill("[name=password]", PASSWORD)
    shots(teen, "1a-registration-form-phone")
    teen.get_by_role("button", name="Envoyer mon inscription").click()
    teen.get_by_text("bien arrivée").wait_for()
    shots(teen, "1b-registration-sent-phone")

    registered = db.session.query(Participant).filter_by(last_name="Garnier").one()
    assert registered.status == ParticipantStatus.PENDING and registered.registered_online

    staff = page_factory(DESKTOP)
    sign_in(staff, live_server, make_user(Role.STAFF).login)
    staff.goto(f"{live_server}/equipe/participants")
    row = staff.locator("tr", has_text="Garnier")
    row.get_by_role("button", name="Confirmer").click()
    staff.wait_for_load_state()
    shots(staff, "1c-staff-confirmed-desktop")
    db.session.expire_all()
    assert registered.status == ParticipantStatus.CONFIRMED

    sign_in(teen, live_server, "maelys.garnier@example.org")
    teen.goto(f"{live_server}/mon-espace")
    teen.get_by_text("Maëlys").first.wait_for()
    shots(teen, "1d-my-space-phone")
    assert "/connexion" not in teen.url


def test_2_a_facilitator_takes_the_roll_on_a_tablet(
    live_server, page_factory, edition, make_user, make_participant, shots
):
    facilitator = make_user(Role.FACILITATOR)
    workshop = edition.workshops[0]
    workshop.facilitator = facilitator
    db.session.commit()
    people = [make_participant(first_name=f"Ado{n}", last_name=f"Famille{n}") for n in range(8)]

    page = page_factory(TABLET)
    sign_in(page, live_server, facilitator.login)
    shots(page, "2a-my-workshops-tablet")
    page.get_by_role("link", name=workshop.title).click()
    page.get_by_role("button", name="Tout le monde présent").click()
    page.locator(f"label[for='s-{people[2].id}-absent']").tap()
    page.locator(f"label[for='s-{people[5].id}-excused']").tap()
    shots(page, "2b-roll-call-ticked-tablet")
    page.get_by_role("button", name="Enregistrer l'appel").click()
    page.locator("[data-roll-status]").get_by_text("Appel enregistré").wait_for()
    shots(page, "2c-roll-call-saved-tablet")

    db.session.expire_all()
    sheet = attendance_sheet(workshop)
    assert len(sheet) == 8
    assert sheet[people[2].id] == AttendanceStatus.ABSENT
    assert sheet[people[5].id] == AttendanceStatus.EXCUSED
    assert sum(status == AttendanceStatus.PRESENT for status in sheet.values()) == 6


def test_3_a_team_creates_a_film_uploads_it_and_picks_a_thumbnail(
    app, live_server, page_factory, make_participant, make_video, shots
):
    app.config["UPLOAD_CLIENT_CHUNK_BYTES"] = 128 * 1024  # several chunks: the bar moves
    teen = make_participant(account=True, first_name="Yanis", last_name="Lefèvre")
    video = make_video(
        "journey-portrait.mp4", size="640x360", rotation=90, seconds=4, vf="noise=alls=20:allf=t"
    )

    page = page_factory(PHONE)
    sign_in(page, live_server, teen.user.login)
    page.goto(f"{live_server}/films/nouveau")
    page.get_by_label("Titre du film").fill("Le bruit des pages")
    page.get_by_label("Synopsis").fill("Une bibliothécaire entend les livres chuchoter la nuit.")
    shots(page, "3a-new-film-phone")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("est créé").wait_for()
    film = db.session.query(Film).filter_by(title="Le bruit des pages").one()
    assert [m.participant_id for m in film.members] == [teen.id]

    # A phone's uplink: each chunk takes a moment, so the progress can be seen moving.
    page.route("**/api/v1/uploads/*", lambda route: (time.sleep(0.1), route.continue_()))
    page.set_input_files("[data-file-input]", str(video))
    bar = page.locator("[data-progress-bar]")
    deadline = time.monotonic() + 60
    while not 0 < bar.evaluate("bar => bar.value") < 100:
        assert time.monotonic() < deadline, "no progress was shown"
        page.wait_for_timeout(50)
    assert "%" in page.locator("[data-percent]").inner_text()
    shots(page, "3b-upload-in-progress-phone")

    page.wait_for_selector("video.player", timeout=90_000)
    assert "Valide" in page.locator("[data-film-status]").inner_text()
    shots(page, "3c-checked-valid-phone")

    db.session.expire_all()
    version = film.versions[0]
    assert version.status == VersionStatus.VALID
    assert (version.width, version.height) == (360, 640)  # upright, as filmed
    second = version.thumbnails[1]
    page.locator(f"input[name=thumbnail_id][value='{second.id}']").check()
    page.get_by_role("button", name="Choisir cette vignette").click()
    page.wait_for_load_state()
    shots(page, "3d-thumbnail-chosen-phone")
    db.session.expire_all()
    assert film.chosen_thumbnail_id == second.id


def test_4_staff_approve_a_film_build_a_block_and_publish(
    live_server, page_factory, edition, make_participant, make_valid_film, make_user, shots
):
    film = make_valid_film("La dernière séance", selected=False)
    staff = page_factory(DESKTOP)
    sign_in(staff, live_server, make_user(Role.STAFF).login)

    staff.goto(f"{live_server}/equipe/films")
    staff.get_by_role("link", name="La dernière séance").first.click()
    staff.get_by_label("Retenu pour la projection").check()
    staff.get_by_label("Note pour l'équipe du film").fill("Très beau plan final.")
    shots(staff, "4a-review-desktop")
    staff.get_by_role("button", name="Enregistrer la décision").click()
    staff.wait_for_load_state()
    db.session.expire_all()
    assert film.decision == ReviewDecision.SELECTED

    staff.goto(f"{live_server}/equipe/programme")
    staff.get_by_label("Titre de la séance").fill("Séance de clôture")
    lieu = staff.get_by_label("Lieu", exact=True)
    assert lieu.input_value() == "0"  # where the ceremony is, unless staff pick another place
    staff.get_by_label("Début").fill(edition.ceremony_at.strftime("%Y-%m-%dT%H:%M"))
    staff.get_by_label("Durée prévue (minutes)").fill("45")
    staff.get_by_role("button", name="Ajouter la séance").click()
    staff.wait_for_load_state()
    staff.get_by_label("Ajouter un film").select_option(label="La dernière séance")
    staff.get_by_role("button", name="Ajouter").first.click()
    staff.wait_for_load_state()
    shots(staff, "4b-block-built-desktop")
    staff.get_by_role("button", name="Publier la version 1").click()
    staff.wait_for_load_state()
    shots(staff, "4c-published-desktop")

    db.session.expire_all()
    assert edition.programme_published_at is not None
    [block] = db.session.query(ScreeningBlock).filter_by(edition_id=edition.id).all()
    assert block.title == "Séance de clôture"
    assert [item.film_id for item in block.items] == [film.id]


def test_5_a_visitor_browses_the_lineup_and_opens_a_film(
    live_server, page_factory, edition, make_valid_film, block, shots
):
    first = make_valid_film("Les chats de minuit", seconds=3)
    second = make_valid_film("Ticket perdu", seconds=2)
    add_film(block, first)
    add_film(block, second)
    publish(edition)
    db.session.commit()

    visitor = page_factory(PHONE)
    visitor.goto(f"{live_server}/")
    visitor.get_by_role("link", name="Programme").first.click()
    visitor.get_by_text("Première séance").first.wait_for()
    assert visitor.get_by_text("Les chats de minuit").count() >= 1
    shots(visitor, "5a-lineup-phone")
    visitor.get_by_role("link", name="Ticket perdu").first.click()
    visitor.wait_for_selector("video.player")
    assert "Ticket perdu" in visitor.locator("h1").inner_text()
    # The film plays: its first frames are fetched and decoded.
    player = visitor.locator("video.player")
    player.evaluate("video => { video.muted = true; return video.play(); }")
    deadline = time.monotonic() + 15
    while player.evaluate("video => video.currentTime") <= 0.3:
        assert time.monotonic() < deadline, "the film did not play"
        visitor.wait_for_timeout(100)
    shots(visitor, "5b-film-page-phone")
    # No surname of a teenager on public pages: first name and initial only.
    assert "Secretnom" not in visitor.content()
