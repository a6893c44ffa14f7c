"""The guardian's consent, online: a link by email (no account, single use, expiring) to a
page where the guardian grants or refuses each of the three consents, and later withdraws.

Operations add and flush; the caller commits once (and only then does the message leave).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from festival.clock import utcnow
from festival.errors import ValidationError
from festival.extensions import db
from festival.mail.services import queue_email
from festival.people.age import is_minor
from festival.people.consents import record_consents
from festival.people.labels import CONSENT_LABELS
from festival.people.models import (
    Consent,
    ConsentChannel,
    ConsentGiver,
    ConsentKind,
    GuardianLink,
    Participant,
    ParticipantStatus,
)
from festival.people.queries import waiting_position
from festival.responses import absolute_url


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def needs_guardian(participant: Participant) -> bool:
    return participant.birth_date is not None and is_minor(participant.birth_date)


def can_send_link(participant: Participant) -> bool:
    return needs_guardian(participant) and bool(participant.guardian_email)


def _new_link(participant: Participant) -> tuple[GuardianLink, str]:
    token = secrets.token_urlsafe(24)
    days = current_app.config["GUARDIAN_LINK_DAYS"]
    link = GuardianLink(
        participant_id=participant.id,
        token_hash=_hash(token),
        sent_to=participant.guardian_email,
        expires_at=utcnow() + timedelta(days=days),
    )
    db.session.add(link)
    db.session.flush()
    return link, token


def send_guardian_link(participant: Participant) -> GuardianLink:
    """Email the guardian a link to give (or change) the three consents; earlier unused links
    stop working, so only the latest message counts."""
    participant.ensure_not_erased()
    if not can_send_link(participant):
        raise ValidationError(
            _("Indiquez d'abord l'e-mail du ou de la responsable légal·e."), field="guardian_email"
        )
    now = utcnow()
    for old in db.session.scalars(
        select(GuardianLink).where(
            GuardianLink.participant_id == participant.id, GuardianLink.used_at.is_(None)
        )
    ):
        old.used_at = now
    return _write_with_a_new_link(
        participant, participant.guardian_email, "guardian_consent_request"
    )


def _write_with_a_new_link(participant: Participant, to: str, kind: str, **context) -> GuardianLink:
    """Every message to a guardian carries a fresh link: to answer, or to change one's mind."""
    link, token = _new_link(participant)
    queue_email(
        to,
        kind,
        language=participant.language,
        guardian_name=participant.guardian_name or "",
        participant_name=participant.first_name,
        edition_title=participant.edition.title,
        link_url=absolute_url("people.guardian_consents", token=token),
        days=current_app.config["GUARDIAN_LINK_DAYS"],
        waiting_position=waiting_position(participant),
        edition=participant.edition,
        **context,
    )
    return link


def link_for(token: str) -> GuardianLink | None:
    """The link behind a token when it can still be used: not used, not expired."""
    link = db.session.scalar(select(GuardianLink).where(GuardianLink.token_hash == _hash(token)))
    if link is None or link.used_at is not None or link.expires_at <= utcnow():
        return None
    if link.participant.is_erased:
        return None
    return link


def answer(link: GuardianLink, decisions: dict[ConsentKind, bool]) -> list[Consent]:
    """Record the guardian's answer, given online through this link; the link is then used up
    and a fresh one is sent with the summary, for a later change of mind."""
    missing = [kind for kind in ConsentKind if kind not in decisions]
    if missing:
        raise ValidationError(
            _("Répondez pour chacune des trois autorisations."),
            fields={f"consent_{kind.value}": _("Choisissez oui ou non.") for kind in missing},
        )
    participant = link.participant
    added = record_consents(
        participant,
        decisions,
        recorded_by=None,
        given_by=ConsentGiver.GUARDIAN,
        channel=ConsentChannel.LINK,
        guardian_link=link,
        always=True,
    )
    link.used_at = utcnow()
    _write_with_a_new_link(
        participant,
        link.sent_to,
        "guardian_consent_recorded",
        decisions=decisions,
        consent_labels=CONSENT_LABELS,
    )
    db.session.flush()
    return added


def waiting_for_guardian(participant: Participant) -> bool:
    """A minor whose participation her guardian has not decided yet, neither online through
    the link nor on a paper form typed by staff (the teen's own tick is never the guardian's
    word)."""
    if not needs_guardian(participant) or participant.status == ParticipantStatus.WITHDRAWN:
        return False
    return participant.decisions_of(ConsentGiver.GUARDIAN)[ConsentKind.PARTICIPATION] is None
