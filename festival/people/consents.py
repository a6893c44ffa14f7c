"""Recording consents: each decision a dated row, whoever gives it and however."""

from __future__ import annotations

from festival.auth.models import User
from festival.caching import forget_public_pages_after_commit
from festival.clock import utcnow
from festival.extensions import db
from festival.people.age import is_minor
from festival.people.models import (
    Consent,
    ConsentChannel,
    ConsentGiver,
    ConsentKind,
    GuardianLink,
    Participant,
)


def paper_giver(participant: Participant) -> ConsentGiver:
    """Whose decision a signed paper form records: the guardian's for a minor, the person's
    own for an adult."""
    minor = participant.birth_date is not None and is_minor(participant.birth_date)
    return ConsentGiver.GUARDIAN if minor else ConsentGiver.PARTICIPANT


def record_consents(
    participant: Participant,
    decisions: dict[ConsentKind, bool],
    *,
    recorded_by: User | None,
    given_by: ConsentGiver | None = None,
    channel: ConsentChannel = ConsentChannel.PAPER,
    guardian_link: GuardianLink | None = None,
    always: bool = False,
) -> list[Consent]:
    """Record the decisions of one giver that changed (all of them with `always`: a guardian
    answering through the link); each decision is a new dated row with its channel.

    By default staff type a signed paper form: the guardian's decision for a minor, the
    person's own for an adult. A box left unticked where that giver never decided records
    nothing: an unticked box on a screen is no one's refusal.
    """
    participant.ensure_not_erased()
    giver = given_by or paper_giver(participant)
    current = participant.decisions_of(giver)
    added = []
    for kind, granted in decisions.items():
        previous = current.get(kind)
        if not always and (previous.granted if previous is not None else False) == granted:
            continue
        consent = Consent(
            kind=kind,
            granted=granted,
            given_by=giver,
            channel=channel,
            recorded_by=recorded_by,
            recorded_at=utcnow(),
            guardian_link=guardian_link,
        )
        participant.consents.append(consent)
        added.append(consent)
    if added:
        forget_public_pages_after_commit()  # a withdrawn consent hides images within minutes
    db.session.flush()
    return added
