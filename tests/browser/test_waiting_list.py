"""A teen who registers when the festival is full, at phone size, as a new user would: the
thank-you page, her email, her guardian's email and page, and « Mon espace » all say she is on
the waiting list, with her place and what happens next; then a place frees."""

from __future__ import annotations

import re

import pytest

from festival.extensions import db
from festival.people import queries
from festival.people.models import Participant, ParticipantStatus
from festival.people.registration import confirm_participant, withdraw_participant
from tests.helpers import PASSWORD, birth_date_for
from tests.helpers.browser import PHONE, sign_in
from tests.helpers.mail import text_of

pytestmark = pytest.mark.browser
POSITION = "liste d'attente, en position 1"


def test_a_waitlisted_teen_knows_where_she_stands(
    live_server, page_factory, edition, make_participant, smtp_server, artifacts_dir
):
    edition.capacity = 1
    holder = make_participant(age=16)
    db.session.commit()

    teen = page_factory(PHONE)
    teen.goto(f"{live_server}/inscription")
    teen.fill("[name=first_name]", "Thảo")
    teen.fill("[name=last_name]", "Nguyễn")
    teen.fill("[name=birth_date]", birth_date_for(edition, 15).isoformat())
    teen.fill("[name=email]", "thao.nguyen@example.org")
    teen.fill("[name=guardian_name]", "Lan Nguyễn")
    teen.fill("[name=guardian_email]", "lan.nguyen@example.org")
    teen.check("[name=consent_participation]")
    teen.check("[name=consent_screening]")
    teen.fill("[name=password]", PASSWORD)
    teen.get_by_role("button", name="Envoyer mon inscription").click()
    notice = teen.locator(".waiting-notice")
    notice.wait_for()
    assert "position 1" in notice.inner_text()
    assert "inutile de venir aux ateliers" in notice.inner_text()
    teen.screenshot(path=str(artifacts_dir / "waitlist-thanks-phone.png"), full_page=True)
    assert teen.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    (received,) = [m for m in smtp_server.to("thao.nguyen@example.org") if "reçue" in m["Subject"]]
    assert POSITION in text_of(received)
    (request,) = [m for m in smtp_server.to("lan.nguyen@example.org") if "réponse" in m["Subject"]]
    assert POSITION in text_of(request)
    link = re.search(
        r'href="([^"]+/autorisation/[^"]+)"', request.get_body(("html",)).get_content()
    )
    guardian = page_factory(PHONE)
    guardian.goto(live_server + "/" + link.group(1).split("://", 1)[1].split("/", 1)[1])
    guardian_notice = guardian.locator(".waiting-notice")
    assert "l'inscription de Thảo est sur la liste d'attente" in guardian_notice.inner_text()
    guardian.screenshot(path=str(artifacts_dir / "waitlist-guardian-phone.png"), full_page=True)

    sign_in(teen, live_server, "thao.nguyen@example.org")
    teen.goto(f"{live_server}/mon-espace")
    assert "position 1" in teen.locator(".waiting-notice").inner_text()
    teen.screenshot(path=str(artifacts_dir / "waitlist-my-space-phone.png"), full_page=True)

    thao = db.session.scalars(
        db.select(Participant).filter_by(email="thao.nguyen@example.org")
    ).one()
    confirm_participant(thao, confirmed_by=None)
    withdraw_participant(holder)
    db.session.commit()
    assert thao.status == ParticipantStatus.CONFIRMED and queries.waiting_position(thao) is None
    (freed,) = [m for m in smtp_server.to("thao.nguyen@example.org") if "libérée" in m["Subject"]]
    assert "quitte la liste d'attente et est confirmée" in text_of(freed)
    teen.goto(f"{live_server}/mon-espace")
    assert teen.locator(".waiting-notice").count() == 0
