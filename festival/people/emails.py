"""What the people domain writes to a teen and, for a minor, to their guardian: the
registration received, confirmed, or a place freed from the waiting list."""

from __future__ import annotations

from festival.clock import local_now
from festival.editions.signals import answers, edition_agenda_asked
from festival.mail.services import queue_email
from festival.people.addresses import confirmation_url
from festival.people.age import is_minor
from festival.people.models import Participant
from festival.responses import absolute_url


def recipients(participant: Participant) -> list[tuple[str, str]]:
    """(address, first name to greet): the teen, and the guardian of a minor."""
    found = []
    if participant.email:
        found.append((participant.email, participant.first_name or ""))
    minor = participant.birth_date is not None and is_minor(participant.birth_date)
    if minor and participant.guardian_email and participant.guardian_email != participant.email:
        found.append((participant.guardian_email, participant.guardian_name or ""))
    return found


def _tell(participant: Participant, kind: str, *, to_the_teen: dict | None = None, **context):
    """`to_the_teen`: what only the teen's own message carries (not the guardian's)."""
    edition = participant.edition
    first_workshop = answers(edition_agenda_asked, edition, now=local_now()).get("next_workshop")
    for address, greeting in recipients(participant):
        own = to_the_teen if address == participant.email else None
        queue_email(
            address,
            kind,
            language=participant.language,
            first_name=greeting,
            participant_name=participant.first_name,
            edition_title=edition.title,
            edition_url=absolute_url("public.home"),
            space_url=absolute_url("people.my_space"),
            first_workshop=first_workshop,
            edition=edition,
            **context,
            **(own or {}),
        )


def tell_registration_received(participant: Participant, *, waiting_position: int | None) -> None:
    confirm = (
        participant.registered_online and participant.email and not participant.email_confirmed_at
    )
    _tell(
        participant,
        "registration_received",
        waiting_position=waiting_position,
        to_the_teen={"confirm_url": confirmation_url(participant)} if confirm else None,
    )


def tell_registration_confirmed(participant: Participant) -> None:
    _tell(participant, "registration_confirmed")


def tell_place_freed(participant: Participant) -> None:
    _tell(participant, "place_freed")
