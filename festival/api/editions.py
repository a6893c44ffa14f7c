"""GET /api/v1/editions/current: the edition in progress and its workshops; and an edition's
report as open data."""

from __future__ import annotations

import marshmallow as ma
from flask import abort
from flask_babel import gettext as _

from festival.api.collection import AttachedTitleSchema
from festival.api.security import ApiBlueprint, public_operation
from festival.clock import as_aware_local, local_now
from festival.collection.services import edition_titles
from festival.editions.loader import current_edition_or_404, edition_of_year_or_404
from festival.report.figures import figures_are_public, report_for

blp = ApiBlueprint("api_editions", __name__, url_prefix="/api/v1/editions", description="Éditions")


class LocalDateTime(ma.fields.DateTime):
    """An event time, stored as festival wall-clock time, sent with its UTC offset."""

    def _serialize(self, value, attr, obj, **kwargs):
        return super()._serialize(as_aware_local(value), attr, obj, **kwargs)


class WorkshopSchema(ma.Schema):
    """A workshop, with the titles of the library's collection recommended for it."""

    id = ma.fields.Integer()
    number = ma.fields.Integer()
    title = ma.fields.String()
    theme = ma.fields.String()
    starts_at = LocalDateTime()
    ends_at = LocalDateTime()
    room = ma.fields.String()
    titles = ma.fields.List(ma.fields.Nested(AttachedTitleSchema))


class _With:
    """An object as the API shows it: its own fields, some given beside (a workshop's titles,
    read once for the whole edition rather than once a workshop)."""

    def __init__(self, thing, **given) -> None:
        self._thing = thing
        self.__dict__.update(given)

    def __getattr__(self, name: str):
        return getattr(self._thing, name)


class EditionSchema(ma.Schema):
    year = ma.fields.Integer()
    title = ma.fields.String()
    reference_date = ma.fields.Date(attribute="age_reference_date")
    age_min = ma.fields.Integer()
    age_max = ma.fields.Integer()
    ceremony_at = LocalDateTime()
    ceremony_venue = ma.fields.String()
    upload_deadline = LocalDateTime()
    workshops = ma.fields.List(ma.fields.Nested(WorkshopSchema))

    @ma.pre_dump
    def _with_titles(self, edition, **_kwargs):
        titles = edition_titles(edition)
        return _With(
            edition, workshops=[_With(w, titles=titles.of(w.id)) for w in edition.workshops]
        )


@blp.route("/current")
@blp.response(200, EditionSchema)
@blp.alt_response(404, description="Aucune édition en cours")
@public_operation
def get_current_edition():
    """L'édition en cours, avec ses ateliers (public)."""
    return current_edition_or_404()


@blp.route("/<int:year>/report")
@blp.response(200, description="Les chiffres agrégés du bilan, sans donnée personnelle")
@blp.alt_response(404, description="Aucune édition cette année-là")
@public_operation
def get_edition_report(year: int):
    """Le bilan d'une édition en données ouvertes (public) : inscriptions, âges, communes,
    présences, films, cérémonie, budget ; tout groupe de moins de 5 personnes est « < 5 »."""
    edition = edition_of_year_or_404(year)
    if not figures_are_public(edition, local_now()):
        abort(404, _("Les chiffres de cette édition seront publiés après sa cérémonie."))
    return report_for(edition).as_data()
