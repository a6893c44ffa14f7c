"""Who gets a certificate: one home for the rule, read by the PDFs, the teen's space, staff's
page of her and the palmarès e-mail (which must not promise what does not exist)."""

from __future__ import annotations

from festival.people.models import Participant, ParticipantStatus


def may_have_certificate(participant: Participant) -> bool:
    """Took part: a confirmed registration (or one withdrawn later) and at least one workshop
    attended. Nobody gets a certificate for signing up."""
    if participant.is_erased or participant.status not in (
        ParticipantStatus.CONFIRMED,
        ParticipantStatus.WITHDRAWN,
    ):
        return False
    return any(a.status.attended for a in participant.attendances)
