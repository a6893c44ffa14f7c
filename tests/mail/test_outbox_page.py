"""Staff's outbox lists a season's thousands of messages a page at a time, and names every
message that could not leave, however old."""

from __future__ import annotations

from datetime import timedelta

from festival.auth.models import Role
from festival.clock import utcnow
from festival.extensions import db
from festival.mail import services
from festival.mail.models import EmailStatus, OutgoingEmail


def test_every_failed_message_is_named_even_past_the_first_page(login_as, monkeypatch):
    monkeypatch.setattr(services, "OUTBOX_PER_PAGE", 3)
    start = utcnow() - timedelta(days=30)
    old_failure = OutgoingEmail(
        to_address="parent.lointain@example.org",
        subject="Autorisation à signer",
        kind="guardian_link",
        body_text="Bonjour",
        status=EmailStatus.FAILED,
        attempts=5,
        created_at=start,
    )
    db.session.add(old_failure)
    for n in range(6):
        db.session.add(
            OutgoingEmail(
                to_address=f"eleve{n}@example.org",
                subject=f"Rappel {n}",
                kind="workshop_reminder",
                body_text="Bonjour",
                status=EmailStatus.SENT,
                created_at=start + timedelta(days=n + 1),
            )
        )
    db.session.commit()
    staff = login_as(Role.STAFF)

    first = staff.get("/equipe/courriels").get_data(as_text=True)
    assert "1 message(s) n'ont pas pu partir" in first
    assert f"/equipe/courriels/{old_failure.id}" in first
    assert "Rappel 5" in first and "Rappel 3" in first and "Rappel 2" not in first
    assert "Page 1 sur 3 (1–3 sur 7)" in first
    last = staff.get("/equipe/courriels?page=3").get_data(as_text=True)
    assert "parent.lointain@example.org" in last and "Rappel 5" not in last
