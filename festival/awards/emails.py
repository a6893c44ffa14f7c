"""The palmarès, told to every confirmed participant (and the guardian of a minor) when staff
publish it for the first time: the page's address, their team's prizes, their certificate."""

from __future__ import annotations

from festival.awards.certificate_rules import may_have_certificate
from festival.awards.models import Award
from festival.editions.models import Edition
from festival.extensions import db
from festival.films import publication
from festival.mail.services import queue_email, sent_about
from festival.people.emails import recipients
from festival.people.models import ParticipantStatus
from festival.people.queries import edition_participants
from festival.responses import absolute_url

PALMARES = "palmares_published"


def tell_palmares(edition: Edition, awards: list[Award]) -> int:
    """Once per edition: publishing again after a correction writes to nobody twice."""
    if sent_about(PALMARES, edition)[0]:
        return 0
    prizes_of: dict[int, list[tuple[str, str]]] = {}
    for award in awards:
        film = award.film
        if film is None:
            continue
        for member in film.members:
            prizes = prizes_of.setdefault(member.participant_id, [])
            entry = (award.name, publication.shown_title(film))
            if entry not in prizes:
                prizes.append(entry)
    sent = 0
    for person in edition_participants(edition, status=ParticipantStatus.CONFIRMED):
        for address, greeting in recipients(person):
            queue_email(
                address,
                PALMARES,
                language=person.language,
                optional=True,  # news, not something the teen has to act on
                first_name=greeting,
                participant_name=person.first_name,
                edition_title=edition.title,
                prizes=prizes_of.get(person.id, []),
                palmares_url=absolute_url("awards.palmares_page", year=edition.year),
                space_url=absolute_url("people.my_space"),
                has_certificate=may_have_certificate(person),
                edition=edition,
            )
            sent += 1
    db.session.flush()
    return sent
