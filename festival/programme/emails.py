"""The invitation to the ceremony: every confirmed participant (and the guardian of a minor)
receives the date, the place, their own film's time when it is screened, the programme's
address and the ceremony's calendar file."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from festival.editions.models import Edition
from festival.editions.venue import venue_of
from festival.errors import ValidationError
from festival.extensions import db
from festival.films.models import Film, FilmMember
from festival.mail.services import queue_email, sent_about
from festival.people.emails import recipients
from festival.people.models import ParticipantStatus
from festival.people.queries import edition_participants
from festival.programme import lineup
from festival.programme.calendar import programme_ics
from festival.responses import absolute_url, public_host

INVITATION = "ceremony_invitation"


def invite_to_ceremony(edition: Edition, *, again: bool = False) -> int:
    """Queue the invitations; returns how many messages. The programme must be public, since
    the message points to it; a second round only when asked for (`again`)."""
    if invitations_sent(edition)[0] and not again:
        raise ValidationError(
            _("Les invitations sont déjà parties : cochez la case pour les envoyer de nouveau.")
        )
    if not lineup.is_published(edition):
        raise ValidationError(
            _("Publiez d'abord le programme : l'invitation y renvoie et joint son calendrier.")
        )
    blocks = lineup.public_programme(edition)
    venue = venue_of(edition)
    calendar = (f"ceremonie-{edition.year}.ics", programme_ics(edition, blocks, host=public_host()))
    screened = {
        item.film.id: (item.film.title, item.starts_at)
        for block in blocks
        for item in block.items
        if item.film is not None
    }
    films_of: dict[int, set[int]] = {}
    for member in db.session.scalars(
        select(FilmMember).join(Film).where(Film.edition_id == edition.id)
    ):
        films_of.setdefault(member.participant_id, set()).add(member.film_id)
    sent = 0
    for person in edition_participants(edition, status=ParticipantStatus.CONFIRMED):
        own_films = sorted(
            (screened[film_id] for film_id in films_of.get(person.id, ()) if film_id in screened),
            key=lambda pair: pair[1],
        )
        for address, greeting in recipients(person):
            queue_email(
                address,
                INVITATION,
                language=person.language,
                first_name=greeting,
                participant_name=person.first_name,
                edition_title=edition.title,
                ceremony_at=edition.ceremony_at,
                venue=venue.one_line,
                map_url=venue.map_url or "",
                step_free=venue.step_free,
                booking=edition.entry_booking,
                own_films=own_films,
                programme_url=absolute_url("public.programme"),
                calendar_url=absolute_url("public.programme_calendar"),
                edition=edition,
                calendar=calendar,
            )
            sent += 1
    db.session.flush()
    return sent


def invitations_sent(edition: Edition) -> tuple[int, datetime | None]:
    """How many invitations left for this edition's ceremony, and when the last one did."""
    return sent_about(INVITATION, edition)
