"""The published programme for the library's website, and the staff's programme builder."""

from __future__ import annotations

import json

import marshmallow as ma
from flask import Response, abort, request
from flask_babel import gettext as _

from festival.api.editions import LocalDateTime
from festival.api.schemas import FrenchSchema, RowId
from festival.api.security import ApiBlueprint, public_operation, require_staff, staff_only
from festival.caching import rendered
from festival.editions.loader import current_edition_or_404
from festival.editions.models import Venue
from festival.editions.services import current_edition, edition_of_year
from festival.editions.venue import venue_of
from festival.extensions import db
from festival.films.models import Film
from festival.programme import lineup, services
from festival.programme.models import ItemKind, ScreeningBlock

blp = ApiBlueprint(
    "api_programme", __name__, url_prefix="/api/v1", description="Programme de la cérémonie"
)
SECURITY = [{"bearerAuth": []}]


class PublicTeamMemberSchema(ma.Schema):
    name = ma.fields.String(metadata={"description": "Prénom et initiale du nom"})
    roles = ma.fields.List(ma.fields.String())


class PublicItemSchema(ma.Schema):
    kind = ma.fields.Function(
        lambda i: i.kind.value, metadata={"enum": [k.value for k in ItemKind]}
    )
    title = ma.fields.String()
    starts_at = LocalDateTime()
    duration = ma.fields.Integer(attribute="seconds", metadata={"description": "secondes"})
    id = ma.fields.Function(lambda i: i.film.id if i.film else None, allow_none=True)
    synopsis = ma.fields.Function(lambda i: i.film.synopsis if i.film else None, allow_none=True)
    team = ma.fields.Function(
        lambda i: PublicTeamMemberSchema(many=True).dump(i.film.team) if i.film else None,
        allow_none=True,
    )
    thumbnail = ma.fields.Function(
        lambda i: i.film.thumbnail if i.film else None,
        allow_none=True,
        metadata={"description": "URL par taille et format"},
    )
    plays_online = ma.fields.Function(
        lambda i: i.film.plays_online if i.film else None, allow_none=True
    )
    subtitle_languages = ma.fields.Function(
        lambda i: i.film.subtitle_languages if i.film else None,
        allow_none=True,
        metadata={"description": "langues des sous-titres (codes à deux lettres)"},
    )


class PublicBlockSchema(ma.Schema):
    id = ma.fields.Integer()
    title = ma.fields.String()
    venue = ma.fields.String()
    starts_at = LocalDateTime()
    ends_at = LocalDateTime()
    items = ma.fields.List(ma.fields.Nested(PublicItemSchema))


class VenueSchema(ma.Schema):
    name = ma.fields.String()
    street = ma.fields.String()
    postcode = ma.fields.String()
    town = ma.fields.String()
    latitude = ma.fields.Float(allow_none=True)
    longitude = ma.fields.Float(allow_none=True)
    map_url = ma.fields.String(allow_none=True, metadata={"description": "OpenStreetMap"})
    step_free = ma.fields.Boolean(
        allow_none=True,
        metadata={"description": "accessible en fauteuil roulant ; null : non précisé"},
    )
    access_notes = ma.fields.String()
    capacity = ma.fields.Integer(allow_none=True, metadata={"description": "places"})


class EntrySchema(ma.Schema):
    free = ma.fields.Boolean(attribute="entry_free", metadata={"description": "entrée gratuite"})
    booking = ma.fields.String(attribute="entry_booking")
    booking_url = ma.fields.String()


class ProgrammeSchema(ma.Schema):
    year = ma.fields.Integer()
    title = ma.fields.String()
    ceremony_at = LocalDateTime()
    ceremony_venue = ma.fields.String()
    venue = ma.fields.Nested(VenueSchema)
    entry = ma.fields.Nested(EntrySchema)
    blocks = ma.fields.List(ma.fields.Nested(PublicBlockSchema))


def _programme(edition_for) -> Response:
    """The programme as JSON, rendered once for many visitors (see festival.caching)."""

    def body() -> str:
        edition = edition_for()
        if not lineup.is_published(edition):
            abort(404, _("Le programme de cette édition n'est pas encore publié."))
        document = {
            "year": edition.year,
            "title": edition.title,
            "ceremony_at": edition.ceremony_at,
            "ceremony_venue": edition.ceremony_venue,
            "venue": venue_of(edition),
            "entry": edition,
            "blocks": lineup.public_programme(edition),
        }
        return json.dumps(ProgrammeSchema().dump(document), ensure_ascii=False)

    response = Response(rendered("api", body), mimetype="application/json")
    response.add_etag()
    response.headers["Cache-Control"] = "public, max-age=60"
    return response.make_conditional(request)


@blp.route("/programme", methods=["GET"])
@blp.response(200, ProgrammeSchema)
@blp.alt_response(404, description="Pas encore publié")
@public_operation
def current_programme():
    """Le programme publié de l'édition en cours (public)."""
    return _programme(current_edition)


@blp.route("/editions/<int:year>/programme", methods=["GET"])
@blp.response(200, ProgrammeSchema)
@blp.alt_response(404, description="Édition inconnue ou programme non publié")
@public_operation
def edition_programme(year: int):
    """Le programme publié d'une édition passée ou en cours (public)."""
    return _programme(lambda: edition_of_year(year))


class BlockCreateSchema(FrenchSchema):
    title = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    venue_id = ma.fields.Integer(
        load_default=None,
        allow_none=True,
        metadata={"description": "Un lieu du festival ; absent : le lieu de la cérémonie"},
    )
    starts_at = ma.fields.NaiveDateTime(
        required=True,
        metadata={
            "description": "Heure locale du festival, sans fuseau",
            "example": "2027-03-27T18:30",
        },
    )
    planned_minutes = ma.fields.Integer(
        required=True, validate=ma.validate.Range(min=1, max=services.MAX_BLOCK_MINUTES)
    )


class ItemCreateSchema(FrenchSchema):
    kind = ma.fields.Enum(ItemKind, by_value=True, required=True)
    film_id = RowId(load_default=None, allow_none=True)
    title = ma.fields.String(load_default="", validate=ma.validate.Length(max=200))
    duration = ma.fields.Integer(
        load_default=0,
        validate=ma.validate.Range(min=0, max=services.MAX_MOMENT_SECONDS),
        metadata={"description": "secondes, hors films"},
    )


class OrderSchema(FrenchSchema):
    items = ma.fields.List(
        RowId(),
        required=True,
        metadata={"description": "Les identifiants des éléments, dans l'ordre"},
    )


class StaffItemSchema(ma.Schema):
    id = ma.fields.Integer(attribute="item.id")
    kind = ma.fields.Function(lambda s: s.item.kind.value)
    film_id = ma.fields.Integer(attribute="item.film_id", allow_none=True)
    title = ma.fields.Function(lambda s: s.item.film.title if s.item.film else s.item.title)
    starts_at = LocalDateTime()
    duration = ma.fields.Integer(attribute="seconds")
    warnings = ma.fields.List(ma.fields.String())


class StaffBlockSchema(ma.Schema):
    id = ma.fields.Integer(attribute="block.id")
    title = ma.fields.String(attribute="block.title")
    venue = ma.fields.Function(lambda s: s.block.venue_name)
    venue_id = ma.fields.Integer(attribute="block.venue_id", allow_none=True)
    starts_at = LocalDateTime(attribute="block.starts_at")
    planned_minutes = ma.fields.Integer(attribute="block.planned_minutes")
    total = ma.fields.Integer(attribute="total_seconds")
    overrun = ma.fields.Integer(attribute="overrun_seconds")
    warnings = ma.fields.List(ma.fields.String())
    items = ma.fields.List(ma.fields.Nested(StaffItemSchema))


def _block(block_id: int) -> ScreeningBlock:
    block = db.session.get(ScreeningBlock, block_id)
    if block is None or block.edition_id != current_edition_or_404().id:
        abort(404, _("Aucune séance à ce numéro dans l'édition en cours."))
    return block


@blp.route("/programme/blocks", methods=["GET"])
@blp.doc(security=SECURITY)
@blp.response(200, StaffBlockSchema(many=True))
@staff_only
def list_blocks():
    """Les séances en préparation, avec horaires calculés et avertissements (équipe)."""
    require_staff()
    return services.edition_schedule(current_edition_or_404())


@blp.route("/programme/blocks", methods=["POST"])
@blp.doc(security=SECURITY)
@blp.arguments(BlockCreateSchema)
@blp.response(201, StaffBlockSchema)
@staff_only
def create_block(payload):
    """Créer une séance (équipe)."""
    require_staff()
    venue_id = payload.pop("venue_id")
    venue = db.session.get(Venue, venue_id) if venue_id else None
    if venue_id and venue is None:
        abort(422, _("Aucun lieu à ce numéro : voyez la liste des lieux du festival."))
    block = services.add_block(current_edition_or_404(), venue=venue, **payload)
    db.session.commit()
    return services.schedule(block)


@blp.route("/programme/blocks/<int:block_id>/items", methods=["POST"])
@blp.doc(security=SECURITY)
@blp.arguments(ItemCreateSchema)
@blp.response(201, StaffBlockSchema)
@staff_only
def add_item(payload, block_id: int):
    """Ajouter un film ou un moment (accueil, remise des prix, entracte) à la fin (équipe)."""
    require_staff()
    block = _block(block_id)
    if payload["kind"] == ItemKind.FILM:
        film = db.session.get(Film, payload["film_id"] or 0)
        if film is None:
            abort(422, _("Indiquez le film à ajouter (film_id)."))
        services.add_film(block, film)
    else:
        services.add_moment(
            block,
            kind=payload["kind"],
            title=payload["title"],
            duration_seconds=payload["duration"],
        )
    db.session.commit()
    return services.schedule(block)


@blp.route("/programme/blocks/<int:block_id>/order", methods=["PUT"])
@blp.doc(security=SECURITY)
@blp.arguments(OrderSchema)
@blp.response(200, StaffBlockSchema)
@staff_only
def order_block(payload, block_id: int):
    """Fixer l'ordre des éléments d'une séance ; un élément d'une autre séance y est déplacé."""
    require_staff()
    block = _block(block_id)
    services.set_order(block, payload["items"])
    db.session.commit()
    return services.schedule(block)
