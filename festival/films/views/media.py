"""A film's files behind access checks: video, stills and subtitles for the team, staff and the
jury (visitors have their own addresses in public/)."""

from __future__ import annotations

from flask import (
    abort,
)
from flask_login import current_user

from festival.extensions import db
from festival.films import publication, rights
from festival.films.models import Film
from festival.films.publication import Surface
from festival.films.views.blueprint import bp
from festival.responses import media_mimetype, serve_media


@bp.route("/films/<int:film_id>/sous-titres/<int:subtitle_id>.vtt")
def subtitle_file(film_id: int, subtitle_id: int):
    """The team, staff and the jury, like the film's video."""
    film = db.session.get(Film, film_id)
    if not (current_user.is_authenticated and film is not None):
        abort(404)
    surface = rights.surface_of(current_user, film)
    if surface is None:
        abort(404)
    # The team and staff reach every file; the jury the reviewed tracks of the approved cut.
    offered = film.subtitles if surface in (Surface.TEAM, Surface.STAFF) else None
    if offered is None:
        offered = publication.subtitles_for(surface, film)
    subtitle = next((s for s in offered if s.id == subtitle_id), None)
    if subtitle is None:
        abort(404)
    return serve_media(subtitle.path, "text/vtt", public=False)


def _serve_film_media(film_id: int, number: int, name: str | None):
    """The team, staff and the jury; visitors have their own addresses (see public/)."""
    film = db.session.get(Film, film_id)
    if not (current_user.is_authenticated and film is not None):
        abort(404)
    relative = rights.media_file_for(current_user, film, number, name)
    if relative is None:
        abort(404)
    return serve_media(relative, media_mimetype(name), public=False)


@bp.route("/films/<int:film_id>/v<int:number>/web.mp4")
def rendition_file(film_id: int, number: int):
    return _serve_film_media(film_id, number, None)


@bp.route("/films/<int:film_id>/v<int:number>/vignettes/<name>")
def thumbnail_file(film_id: int, number: int, name: str):
    return _serve_film_media(film_id, number, name)
