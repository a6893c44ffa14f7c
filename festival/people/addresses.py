"""Online registrations confirm their email address: the first message carries a signed link
that proves the teen reads that mailbox (no typo, nobody else's address)."""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from festival.clock import utcnow
from festival.extensions import db
from festival.people.models import Participant
from festival.responses import absolute_url

CONFIRMATION_DAYS = 30


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="participant-email")


def confirmation_url(participant: Participant) -> str:
    token = _serializer().dumps([participant.id, (participant.email or "").lower()])
    return absolute_url("people.confirm_email", token=token)


def confirm_address(token: str) -> Participant | None:
    """Mark the address as confirmed; None when the link is forged, too old, or the address
    has changed since it was sent."""
    try:
        participant_id, address = _serializer().loads(token, max_age=CONFIRMATION_DAYS * 86400)
    except (BadSignature, ValueError, TypeError):
        return None
    participant = db.session.get(Participant, participant_id)
    if participant is None or participant.is_erased:
        return None
    if (participant.email or "").lower() != address:
        return None
    participant.email_confirmed_at = participant.email_confirmed_at or utcnow()
    db.session.flush()
    return participant
