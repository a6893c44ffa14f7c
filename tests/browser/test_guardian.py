"""A guardian gives the consents online, as a new user would, at phone size: the teen
registers, the guardian's email is read from the SMTP server, the link followed, the consents
chosen; staff then see them as given online."""

from __future__ import annotations

import re

import pytest

from festival.auth.models import Role
from festival.extensions import db
from festival.people.models import ConsentKind, Participant
from tests.helpers import birth_date_for
from tests.helpers.browser import PHONE, sign_in

pytestmark = pytest.mark.browser
LAPTOP = {"width": 1366, "height": 768}


def test_a_guardian_answers_from_the_email_on_a_phone(
    live_server, page_factory, edition, make_user, smtp_server, artifacts_dir
):
    teen = page_factory(PHONE)
    teen.goto(f"{live_server}/inscription")
    teen.fill("[name=first_name]", "Maëlys")
    teen.fill("[name=last_name]", "Garnier")
    teen.fill("[name=birth_date]", birth_date_for(edition, 15).isoformat())
    teen.fill("[name=email]", "maelys.garnier@example.org")
    teen.fill("[name=guardian_name]", "Sophie Garnier")
    teen.fill("[name=guardian_email]", "sophie.garnier@example.org")
    for consent in ("participation", "screening", "online"):
        teen.check(f"[name=consent_{consent}]")
    teen.get_by_role("button", name="Envoyer mon inscription").click()
    teen.get_by_text("bien arrivée").wait_for()

    (request,) = [
        m for m in smtp_server.to("sophie.garnier@example.org") if "votre réponse" in m["Subject"]
    ]
    html = request.get_body(preferencelist=("html",)).get_content()
    link = re.search(r'href="([^"]+/autorisation/[^"]+)"', html).group(1)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]

    guardian = page_factory(PHONE)
    guardian.goto(f"{live_server}{path}")  # what the button in the message opens
    guardian.get_by_text("Comme responsable légal·e").wait_for()
    assert guardian.locator("input[type=radio]:checked").count() == 0  # nothing presumed
    guardian.screenshot(path=str(artifacts_dir / "guardian-consents-phone.png"), full_page=True)
    guardian.locator("label[for=consent_participation-yes]").tap()
    guardian.locator("label[for=consent_screening-yes]").tap()
    guardian.locator("label[for=consent_online-no]").tap()
    guardian.get_by_role("button", name="Enregistrer ma réponse").tap()
    guardian.get_by_text("Merci, votre réponse est enregistrée").wait_for()
    guardian.screenshot(path=str(artifacts_dir / "guardian-done-phone.png"), full_page=True)

    registered = db.session.query(Participant).filter_by(last_name="Garnier").one()
    db.session.refresh(registered)
    assert registered.has_consent(ConsentKind.PARTICIPATION)
    assert not registered.has_consent(ConsentKind.ONLINE)

    staff = page_factory(LAPTOP)
    sign_in(staff, live_server, make_user(Role.STAFF).login)
    staff.goto(f"{live_server}/equipe/participants/{registered.id}")
    panel = staff.locator("section", has_text="Autorisations").first
    assert (
        "en ligne, par le lien envoyé par e-mail (sophie.garnier@example.org)" in panel.inner_text()
    )
    assert "En attente du ou de la responsable" not in panel.inner_text()
    staff.screenshot(path=str(artifacts_dir / "guardian-staff-view.png"), full_page=True)
