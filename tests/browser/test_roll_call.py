"""A facilitator takes the roll on a phone, even when the network drops."""

import pytest

from festival.auth.models import Role
from festival.extensions import db
from festival.workshops.models import AttendanceStatus
from festival.workshops.services import attendance_sheet
from tests.helpers.browser import PHONE, TABLET, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def roll_setup(edition, make_user, make_participant):
    facilitator = make_user(Role.FACILITATOR)
    workshop = edition.workshops[0]
    workshop.facilitator = facilitator
    workshop.room = "Salle multimédia"
    db.session.commit()
    names = [
        ("Léa", "Martin"),
        ("Hugo", "Bernard"),
        ("Inès", "Dubois"),
        ("Nathan", "Thomas"),
        ("Chloé", "Robert"),
        ("Adam", "Richard"),
    ]
    people = [make_participant(first_name=first, last_name=last) for first, last in names]
    return facilitator, workshop, people


def test_facilitator_takes_the_roll_on_a_phone(
    live_server, page_factory, roll_setup, artifacts_dir
):
    facilitator, workshop, people = roll_setup
    page = page_factory(PHONE)
    sign_in(page, live_server, facilitator.login)
    page.get_by_role("link", name=workshop.title).click()
    page.get_by_role("button", name="Tout le monde présent").click()
    # Two of them are not there: tap the big toggles.
    page.locator(f"label[for='s-{people[1].id}-absent']").tap()
    page.locator(f"label[for='s-{people[2].id}-late']").tap()
    page.get_by_role("button", name="Enregistrer l'appel").click()
    status = page.locator("[data-roll-status]")
    status.get_by_text("Appel enregistré").wait_for()
    assert "5 présent·es sur 6" in status.inner_text()
    page.screenshot(path=str(artifacts_dir / "roll-call-phone.png"), full_page=True)

    sheet = attendance_sheet(workshop)
    assert sheet[people[0].id] == AttendanceStatus.PRESENT
    assert sheet[people[1].id] == AttendanceStatus.ABSENT
    assert sheet[people[2].id] == AttendanceStatus.LATE
    assert len(sheet) == 6


def test_a_failed_save_says_so_and_keeps_what_was_ticked(
    live_server, page_factory, roll_setup, artifacts_dir
):
    facilitator, workshop, people = roll_setup
    page = page_factory(TABLET)
    sign_in(page, live_server, facilitator.login)
    page.goto(f"{live_server}/ateliers/{workshop.id}/appel")
    page.locator(f"label[for='s-{people[0].id}-excused']").tap()
    page.locator(f"label[for='s-{people[3].id}-present']").tap()

    # The Wi-Fi of the workshop room drops just as the facilitator saves.
    page.route("**/appel", lambda route: route.abort("internetdisconnected"))
    page.get_by_role("button", name="Enregistrer l'appel").click()
    status = page.locator("[data-roll-status]")
    status.get_by_text("Échec de l’enregistrement").wait_for()
    page.screenshot(path=str(artifacts_dir / "roll-call-offline-tablet.png"), full_page=True)
    assert attendance_sheet(workshop) == {}
    assert page.locator(f"#s-{people[0].id}-excused").is_checked()

    # Even a reload keeps the ticks: they wait on the device for the network.
    page.unroute("**/appel")
    page.reload()
    assert page.locator(f"#s-{people[0].id}-excused").is_checked()
    assert page.locator(f"#s-{people[3].id}-present").is_checked()
    page.get_by_role("button", name="Enregistrer l'appel").click()
    status.get_by_text("Appel enregistré").wait_for()
    db.session.expire_all()
    assert attendance_sheet(workshop) == {
        people[0].id: AttendanceStatus.EXCUSED,
        people[3].id: AttendanceStatus.PRESENT,
    }


def test_the_roll_call_prints_as_a_sign_in_sheet_on_a4(
    live_server, page_factory, roll_setup, artifacts_dir
):
    facilitator, workshop, people = roll_setup
    page = page_factory(TABLET)
    sign_in(page, live_server, facilitator.login)
    page.goto(f"{live_server}/ateliers/{workshop.id}/appel")
    page.emulate_media(media="print")
    # Nothing sticky covers a name: the save bar and the toolbar are not printed.
    assert page.locator(".roll-footer").is_hidden()
    assert page.locator(".roll-toolbar").is_hidden()
    assert page.locator(".roll-print-head").is_visible()
    for person in people:
        assert page.get_by_text(person.full_name).is_visible()
    assert page.locator(".roll-signature").count() == len(people)
    assert all(box.is_visible() for box in page.locator(".roll-signature").all())
    page.pdf(path=str(artifacts_dir / "roll-call-a4.pdf"), format="A4")
