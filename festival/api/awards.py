"""GET /api/v1/editions/{year}/awards: the palmarès, once staff publish it."""

from __future__ import annotations

import marshmallow as ma
from flask import abort
from flask_babel import gettext as _

from festival.api.security import ApiBlueprint, public_operation
from festival.awards import palmares
from festival.editions.services import edition_of_year

blp = ApiBlueprint("api_awards", __name__, url_prefix="/api/v1", description="Palmarès")


class AwardSchema(ma.Schema):
    award = ma.fields.String(attribute="award.name")
    kind = ma.fields.Function(lambda e: e.award.kind.value, metadata={"enum": ["jury", "audience"]})
    mention = ma.fields.String(attribute="award.mention")
    film = ma.fields.Function(
        lambda e: {"id": e.film.id, "title": e.title, "team": e.team},
        metadata={"description": "Le film primé : id, titre, équipe (prénom et initiale)"},
    )


class PalmaresSchema(ma.Schema):
    year = ma.fields.Integer()
    awards = ma.fields.List(ma.fields.Nested(AwardSchema))


@blp.route("/editions/<int:year>/awards", methods=["GET"])
@blp.response(200, PalmaresSchema)
@blp.alt_response(404, description="Édition inconnue ou palmarès pas encore publié")
@public_operation
def edition_awards(year: int):
    """Le palmarès d'une édition, une fois publié (public)."""
    edition = edition_of_year(year)
    if edition is None or not palmares.is_palmares_published(edition):
        abort(404, _("Le palmarès de cette édition n'est pas encore publié."))
    return {"year": edition.year, "awards": palmares.palmares_entries(edition)}
