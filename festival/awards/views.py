"""The jury's pages: the retained films and each film as the jury watches it."""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from festival.auth.decorators import roles_required
from festival.auth.models import Role
from festival.awards.queries import is_jury_film, jury_films
from festival.editions.services import current_edition
from festival.extensions import db
from festival.films import labels as film_labels
from festival.films import services as films
from festival.films.models import Film

bp = Blueprint("awards", __name__, url_prefix="/jury")


@bp.route("/films")
@roles_required(Role.JURY, Role.STAFF, Role.ADMIN)
def jury_film_list():
    edition = current_edition()
    if edition is None:
        abort(404)
    return render_template(
        "awards/jury_films.html",
        edition=edition,
        films=jury_films(edition),
        team_of=films.team_by_person,
        thumbnail_of=lambda film: film.approved_thumbnail,
        role_labels=film_labels.ROLE_LABELS,
    )


@bp.route("/films/<int:film_id>")
@roles_required(Role.JURY, Role.STAFF, Role.ADMIN)
def jury_film(film_id: int):
    film = db.session.get(Film, film_id)
    if film is None or not is_jury_film(film):
        abort(404)
    return render_template(
        "awards/jury_film.html",
        film=film,
        current=film.screened_version,
        chosen=film.approved_thumbnail,
        team=films.team_by_person(film),
        role_labels=film_labels.ROLE_LABELS,
        music_labels=film_labels.MUSIC_LABELS,
    )
