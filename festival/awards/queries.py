"""Which films the awards concern: the jury's (retained for the ceremony, as staff approved
them) and the audience's (those in the ceremony's programme)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from festival.editions.models import Edition
from festival.extensions import db
from festival.films.models import Film, FilmMember, FilmVersion, ReviewDecision
from festival.films.publication import Surface, may_see
from festival.programme.models import ProgrammeItem, ScreeningBlock


def jury_films(edition: Edition) -> list[Film]:
    films = db.session.scalars(
        select(Film)
        .where(Film.edition_id == edition.id, Film.decision == ReviewDecision.SELECTED)
        .options(
            selectinload(Film.versions).selectinload(FilmVersion.thumbnails),
            selectinload(Film.members).selectinload(FilmMember.participant),
        )
        .order_by(Film.title)
    ).all()
    return [film for film in films if may_see(Surface.JURY, film)]


def ceremony_films(edition: Edition) -> list[Film]:
    """The films screened at the ceremony, in programme order: what the audience grades."""
    items = db.session.scalars(
        select(ProgrammeItem)
        .join(ScreeningBlock)
        .where(ScreeningBlock.edition_id == edition.id, ProgrammeItem.film_id.is_not(None))
        .options(selectinload(ProgrammeItem.film))
        .order_by(ScreeningBlock.starts_at, ScreeningBlock.position, ProgrammeItem.position)
    ).all()
    seen: set[int] = set()
    films = []
    for item in items:
        if item.film_id not in seen and may_see(Surface.CEREMONY, item.film):
            seen.add(item.film_id)
            films.append(item.film)
    return films
