"""What the jury may watch: the films retained for the ceremony, as staff approved them."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from festival.editions.models import Edition
from festival.extensions import db
from festival.films.models import Film, FilmMember, FilmVersion, ReviewDecision


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
    return [film for film in films if film.screened_version is not None]


def is_jury_film(film: Film) -> bool:
    return film.decision == ReviewDecision.SELECTED and film.screened_version is not None
