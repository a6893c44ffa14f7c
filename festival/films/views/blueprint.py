"""The films blueprint, the helpers its rooms share, and what every template may ask of a
film (its player's tracks and file, the title as staff approved it)."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from festival.extensions import db
from festival.films import labels, publication, review, rights, services, subtitles
from festival.films import privacy as _privacy  # noqa: F401 - answers personal data exports
from festival.films.forms import (
    StillForm,
    SubtitleForm,
    ThumbnailForm,
)
from festival.films.models import Film
from festival.films.publication import Surface
from festival.forms import EmptyForm
from festival.processing.checks import PROBLEM_MESSAGES

bp = Blueprint("films", __name__)


# The projection mode offers the hall's track (programme/projection.html).
bp.add_app_template_global(subtitles.hall_track, "hall_track")
# Every page that names a film for an audience reads it as staff approved it.
bp.add_app_template_global(publication.shown_title, "shown_title")
bp.add_app_template_global(publication.shown_synopsis, "shown_synopsis")


@bp.app_template_global()
def film_player_tracks(film: Film, version) -> list[subtitles.Track]:
    """The <track>s of a team's, staff's or juror's player (visitors': see programme/lineup);
    the jury hears only what staff reviewed."""
    return subtitles.player_tracks(
        film, version, str(get_locale()), reviewed_only=not team_side(film)
    )


@bp.app_template_global()
def film_video_path(film: Film, version) -> str | None:
    """What this person's player reads of the version (the team's pages, review, jury)."""
    return rights.media_file_for(current_user, film, version.number, None)


def team_side(film: Film) -> bool:
    """Staff and the film's own team, who see what still waits for review."""
    return rights.surface_of(current_user, film) in (Surface.TEAM, Surface.STAFF)


@bp.app_context_processor
def version_status_labels():
    """Version statuses, on the films' pages and their section of a personal data export."""
    return {"VERSION_STATUS_LABELS": labels.VERSION_STATUS_LABELS}


def film_or_404(film_id: int) -> Film:
    film = db.session.get(Film, film_id)
    if film is None or not rights.can_view(current_user, film):
        abort(404)
    return film


def problem_message(problem: dict) -> str:
    """A check problem in the reader's language (the check itself speaks French)."""
    template = PROBLEM_MESSAGES.get(problem.get("code"))
    if template is None:
        return problem.get("message", "")
    params = problem.get("params") or {}
    return _(template, **params) if params else _(template)


def film_context(film: Film) -> dict:
    thumbnail_form = ThumbnailForm()
    current = film.current_version
    chosen = services.chosen_thumbnail(film)
    return {
        "film": film,
        "status": services.film_status(film),
        "labels": labels.STATUS_LABELS,
        "role_labels": labels.ROLE_LABELS,
        "music_labels": labels.MUSIC_LABELS,
        "team": services.team_by_person(film),
        "current": current,
        "chosen": chosen,
        "can_edit": rights.can_edit(current_user, film),
        "thumbnail_form": thumbnail_form,
        "still_form": StillForm(),
        "problem_message": problem_message,
        "max_bytes": current_app.config["UPLOAD_MAX_BYTES"],
        "chunk_bytes": current_app.config["UPLOAD_CLIENT_CHUNK_BYTES"],
        "max_seconds": services.rules_for(film.edition).longest_accepted,
        "deadline_passed": rights.upload_deadline_passed(film.edition),
        "awaiting": review.changes_awaiting_approval(film),
        "subtitle_form": SubtitleForm(),
        "tracks": publication.tracks_for(film, current, reviewed_only=False),
        "language_name": subtitles.language_name,
        "remove_form": EmptyForm(),
    }
