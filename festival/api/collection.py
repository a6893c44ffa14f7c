"""GET /api/v1/collection?q=: the library's film collection, searched by title or director
(public: a catalogue is public, and these records name no reader)."""

from __future__ import annotations

import marshmallow as ma

from festival.api.security import ApiBlueprint, public_operation
from festival.collection import services
from festival.editions.identity import catalogue_permalink

blp = ApiBlueprint(
    "api_collection", __name__, url_prefix="/api/v1/collection", description="Fonds cinéma"
)


class CollectionQuerySchema(ma.Schema):
    q = ma.fields.String(
        load_default="",
        validate=ma.validate.Length(max=200),
        metadata={"description": "Mots du titre ou du nom de la réalisatrice ou du réalisateur"},
    )
    limit = ma.fields.Integer(load_default=20, validate=ma.validate.Range(min=1, max=50))


class CatalogueTitleSchema(ma.Schema):
    title = ma.fields.String()
    director = ma.fields.String()
    year = ma.fields.Integer(allow_none=True)
    shelf_mark = ma.fields.String()
    record_id = ma.fields.String()
    opac_url = ma.fields.String(
        allow_none=True, metadata={"description": "La notice dans le catalogue de la médiathèque"}
    )


class AttachedTitleSchema(CatalogueTitleSchema):
    note = ma.fields.String()


class CollectionSearchSchema(ma.Schema):
    query = ma.fields.String()
    results = ma.fields.List(ma.fields.Nested(CatalogueTitleSchema))


@blp.route("", methods=["GET"])
@blp.arguments(CollectionQuerySchema, location="query")
@blp.response(200, CollectionSearchSchema)
@public_operation
def search_collection(arguments):
    """Chercher dans le fonds cinéma de la médiathèque (public) : chaque mot doit figurer dans
    le titre ou le nom de la réalisation, sans tenir compte des accents ni des majuscules."""
    query = arguments["q"].strip()
    pattern = catalogue_permalink()
    found = services.search_titles(query, limit=arguments["limit"]) if query else []
    return {"query": query, "results": [services.shown(t, pattern) for t in found]}
