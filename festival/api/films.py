"""Films: create one for a team, read its state, and send its file with tus."""

from __future__ import annotations

import marshmallow as ma
from flask import abort, jsonify, url_for
from flask_babel import gettext as _

from festival.api.schemas import FrenchSchema, RowId, UtcDateTime
from festival.api.security import ApiBlueprint, require_user
from festival.auth.models import Role
from festival.awards.queries import jury_films
from festival.editions.loader import current_edition_or_404
from festival.extensions import db
from festival.films import publication, rights, services
from festival.films.models import Film, FilmRole, MusicKind
from festival.films.publication import Surface

blp = ApiBlueprint("api_films", __name__, url_prefix="/api/v1/films", description="Films")
SECURITY = [{"bearerAuth": []}]


class TeamEntrySchema(FrenchSchema):
    participant_id = RowId(required=True)
    role = ma.fields.Enum(
        FilmRole,
        by_value=True,
        required=True,
        metadata={"description": "direction, script, camera, sound, editing, acting, music, other"},
    )


class FilmCreateSchema(FrenchSchema):
    title = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    synopsis = ma.fields.String(load_default="", validate=ma.validate.Length(max=4000))
    team = ma.fields.List(ma.fields.Nested(TeamEntrySchema), required=True)
    music_kind = ma.fields.Enum(MusicKind, by_value=True, load_default=MusicKind.NONE)
    music_licence = ma.fields.String(load_default="", validate=ma.validate.Length(max=200))
    music_credit = ma.fields.String(load_default="", validate=ma.validate.Length(max=2000))


def thumbnail_urls(film: Film) -> dict | None:
    """The still the team chose (or the first), by size and format."""
    return _still_urls(film, services.chosen_thumbnail(film))


def jury_thumbnail_urls(film: Film) -> dict | None:
    """The still staff approved: the jury's."""
    return _still_urls(film, publication.still_for(Surface.JURY, film))


def jury_rendition_url(film: Film) -> str | None:
    if publication.video_for(Surface.JURY, film) is None:
        return None  # the clean rendition is still being made
    return url_for("films.rendition_file", film_id=film.id, number=film.screened_version.number)


def _still_urls(film: Film, thumbnail) -> dict | None:
    if thumbnail is None:
        return None
    return {
        key: url_for(
            "films.thumbnail_file",
            film_id=film.id,
            number=thumbnail.version.number,
            name=path.rsplit("/", 1)[-1],
        )
        for key, path in sorted(thumbnail.files.items())
    }


def rendition_url(film: Film) -> str | None:
    current = film.current_version
    if current is None or current.playable_path is None:
        return None  # valid, its web version still being made from a file browsers cannot play
    return url_for("films.rendition_file", film_id=film.id, number=current.number)


class VersionSchema(ma.Schema):
    number = ma.fields.Integer()
    status = ma.fields.Function(lambda v: v.status.value)
    step = ma.fields.String()
    progress = ma.fields.Integer(
        metadata={"description": "0 à 100 : la vérification, puis la version web une fois valide"}
    )
    rendition_ready = ma.fields.Function(
        lambda v: v.rendition_ready_at is not None,
        metadata={"description": "la version web (lue par les navigateurs) est prête"},
    )
    duration = ma.fields.Float(allow_none=True)
    width = ma.fields.Integer(allow_none=True)
    height = ma.fields.Integer(allow_none=True)
    problems = ma.fields.List(ma.fields.Dict())
    sha256 = ma.fields.String(
        metadata={"description": "SHA-256 of the file as received (before any tag is washed)"}
    )
    uploaded_at = UtcDateTime()
    processed_at = UtcDateTime(
        allow_none=True,
        metadata={"description": "quand la vérification a rendu son verdict (valide ou refusée)"},
    )
    rendition_ready_at = UtcDateTime(
        allow_none=True, metadata={"description": "quand la version web a été prête"}
    )


class FilmSchema(ma.Schema):
    id = ma.fields.Integer()
    title = ma.fields.String()
    synopsis = ma.fields.String()
    status = ma.fields.Function(lambda f: services.film_status(f).value)
    duration = ma.fields.Function(
        lambda f: f.current_version.duration if f.current_version else None
    )
    problems = ma.fields.Function(
        lambda f: f.latest_version.problems if f.latest_version else [],
        metadata={"description": "Problèmes de la dernière version envoyée : code, message"},
    )
    team = ma.fields.Function(
        lambda f: [
            {"participant_id": p.id, "name": p.public_name, "roles": [r.value for r in roles]}
            for p, roles in services.team_by_person(f)
        ]
    )
    music_kind = ma.fields.Function(lambda f: f.music_kind.value)
    thumbnail = ma.fields.Function(
        thumbnail_urls, allow_none=True, metadata={"description": "URL par taille et format"}
    )
    rendition_url = ma.fields.Function(rendition_url, allow_none=True)
    versions = ma.fields.List(ma.fields.Nested(VersionSchema))
    decision = ma.fields.Function(lambda f: f.decision.value if f.decision else None)
    decision_note = ma.fields.String()


class JuryFilmSchema(ma.Schema):
    """A film as the jury sees it: as staff last approved it, nothing staff keep to
    themselves (review notes, versions, problems)."""

    id = ma.fields.Integer()
    title = ma.fields.Function(publication.shown_title)
    synopsis = ma.fields.Function(publication.shown_synopsis)
    duration = ma.fields.Function(lambda f: f.screened_version.duration)
    team = ma.fields.Function(
        lambda f: [
            {"participant_id": p.id, "name": p.public_name, "roles": [r.value for r in roles]}
            for p, roles in publication.credits_for(Surface.JURY, f)
        ]
    )
    music_kind = ma.fields.Function(lambda f: f.music_kind.value)
    thumbnail = ma.fields.Function(jury_thumbnail_urls, allow_none=True)
    rendition_url = ma.fields.Function(jury_rendition_url, allow_none=True)


def _for_reader(user, films: list[Film] | Film):
    """The jury reads its own view of a film (a response as it is, so the route's full
    schema does not dump it again); everyone else the full one."""
    if user.role != Role.JURY:
        return films
    return jsonify(JuryFilmSchema(many=isinstance(films, list)).dump(films))


def _film_or_404(film_id: int, user) -> Film:
    film = db.session.get(Film, film_id)
    if film is None or not rights.can_view(user, film):
        abort(404, _("Aucun film à ce numéro, ou il ne vous concerne pas."))
    return film


@blp.route("", methods=["GET"])
@blp.doc(security=SECURITY)
@blp.response(200, FilmSchema(many=True))
def list_films():
    """Les films de l'édition en cours : tous pour l'équipe ; pour le jury, les films retenus
    tels que l'équipe les a validés ; les siens sinon."""
    user = require_user()
    edition = current_edition_or_404()
    if user.role == Role.JURY:
        return _for_reader(user, jury_films(edition))
    if user.is_staff:
        return services.edition_films(edition)
    # Team rights end with the registration: a withdrawn teen no longer lists the team's film.
    participant = rights.active_participant_of(user)
    return services.films_of(participant) if participant else []


@blp.route("", methods=["POST"])
@blp.doc(security=SECURITY)
@blp.arguments(FilmCreateSchema)
@blp.response(201, FilmSchema)
@blp.alt_response(422, description="Titre manquant, équipe invalide, musique non déclarée")
def create_film(payload):
    """Créer un film : par un·e participant·e de son équipe, ou par l'équipe de la médiathèque."""
    user = require_user()
    film = services.create_film(
        current_edition_or_404(),
        title=payload["title"],
        synopsis=payload["synopsis"],
        team=[services.TeamEntry(e["participant_id"], e["role"]) for e in payload["team"]],
        created_by=user,
        music_kind=payload["music_kind"],
        music_licence=payload["music_licence"],
        music_credit=payload["music_credit"],
    )
    db.session.commit()
    return film


@blp.route("/<int:film_id>", methods=["GET"])
@blp.doc(security=SECURITY)
@blp.response(200, FilmSchema)
def get_film(film_id: int):
    """Un film : statut, durée, problèmes, vignettes et rendu quand ils sont prêts (pour le
    jury : le film tel que l'équipe de la médiathèque l'a validé)."""
    user = require_user()
    return _for_reader(user, _film_or_404(film_id, user))
