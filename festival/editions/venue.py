"""The festival's places (Venue) and coming to the ceremony: where, how to get in, what it
costs, in one place.

A place is data: the library's auditorium, a second room, a partner cinema are typed once and
picked for the ceremony and each séance. Every surface that names a place (public pages,
structured data, calendars, messages) reads it through here, so an address typed once is the
same everywhere. Nothing is claimed that staff did not state: an access left unsaid is not
shown as accessible.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from festival.caching import forget_public_pages_after_commit
from festival.editions.models import Edition, Venue
from festival.errors import ValidationError
from festival.extensions import db
from festival.text import folded


def json_ld_entry(edition: Edition) -> dict:
    """What an event adds about getting in: free or not, and where to book."""
    entry: dict = {"isAccessibleForFree": edition.entry_free}
    if edition.entry_free or edition.booking_url:
        offer = {"@type": "Offer", "url": edition.booking_url or None}
        if edition.entry_free:
            offer.update({"price": 0, "priceCurrency": "EUR"})
        entry["offers"] = _without_empty(offer)
    return entry


def venue_of(edition: Edition) -> Venue:
    """The ceremony's place; an empty, unsaved one while staff have not said where."""
    return edition.ceremony_place or Venue(name="")


def all_venues() -> list[Venue]:
    return list(db.session.scalars(select(Venue).order_by(Venue.name)))


def venue_named(name: str) -> Venue | None:
    """The venue of this name (typed once, then picked), or None for an empty name."""
    name = (name or "").strip()
    if not name:
        return None
    found = _venue_called(name)
    if found is None:
        found = Venue(name=name)
        db.session.add(found)
        db.session.flush()
    return found


def _venue_called(name: str, *, other_than: Venue | None = None) -> Venue | None:
    """The place of this name, whatever its case, accents or hyphens (one name, one place)."""
    query = select(Venue).where(Venue.name_key == folded(name))
    if other_than is not None and other_than.id is not None:
        query = query.where(Venue.id != other_than.id)
    return db.session.scalar(query)


PLACE_FIELDS = (
    "name", "street", "postcode", "town", "latitude", "longitude", "step_free", "access_notes",
    "capacity", "map_link",
)  # fmt: skip
TEXT_FIELDS = frozenset({"name", "street", "postcode", "town", "access_notes", "map_link"})
ENTRY_FIELDS = ("entry_free", "entry_booking", "booking_url")


def save_venue(venue: Venue, **fields) -> Venue:
    """Staff's answers about a place, tidied; the public pages forget their copies once
    committed. Raises ValidationError (the caller rolls back, nothing is changed)."""
    for name, value in fields.items():
        if name not in PLACE_FIELDS:
            raise TypeError(f"not a venue field: {name}")
        setattr(venue, name, (value or "").strip() if name in TEXT_FIELDS else value)
    if not venue.name:
        raise ValidationError(_("Donnez un nom au lieu."), field="name")
    with db.session.no_autoflush:  # the check comes before the change reaches the database
        taken = _venue_called(venue.name, other_than=venue) is not None
    if taken:
        raise ValidationError(_("Un lieu porte déjà ce nom : choisissez-le."), field="name")
    if (venue.latitude is None) != (venue.longitude is None):
        raise ValidationError(
            _("Indiquez la latitude et la longitude, ou aucune des deux."), field="longitude"
        )
    if venue.capacity is not None and venue.capacity <= 0:
        raise ValidationError(_("La jauge est un nombre de places, au moins 1."), field="capacity")
    db.session.add(venue)
    db.session.flush()
    forget_public_pages_after_commit()
    return venue


def set_entry(edition: Edition, **fields) -> None:
    for name, value in fields.items():
        if name not in ENTRY_FIELDS:
            raise TypeError(f"not an entry field: {name}")
        setattr(edition, name, bool(value) if name == "entry_free" else (value or "").strip())
    forget_public_pages_after_commit()


def copy_venue(source: Edition, target: Edition) -> None:
    """Last year's hall and entry terms for the new edition, where staff have not said
    otherwise."""
    if target.ceremony_place is None:
        target.ceremony_place = source.ceremony_place
    for name in ENTRY_FIELDS:
        if getattr(target, name) in ("", None):
            setattr(target, name, getattr(source, name))


def _without_empty(data: dict) -> dict:
    return {key: value for key, value in data.items() if value not in (None, "")}


def venue_uses() -> list[tuple[Venue, list[int]]]:
    """Each place with the years of the editions whose ceremony it hosts (the list page)."""
    hosting: dict[int, list[int]] = {}
    for venue_id, year in db.session.execute(
        select(Edition.ceremony_venue_id, Edition.year).where(
            Edition.ceremony_venue_id.is_not(None)
        )
    ):
        hosting.setdefault(venue_id, []).append(year)
    return [(venue, sorted(hosting.get(venue.id, []), reverse=True)) for venue in all_venues()]
