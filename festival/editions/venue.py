"""Coming to the ceremony: where it is, how to get in, what it costs, in one place.

Every surface that names the venue (public pages, structured data, calendars, messages) reads
it from here, so an address typed once is the same everywhere. Nothing is claimed that staff
did not state: an access left unsaid is not shown as accessible.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from flask_babel import gettext as _

from festival.caching import forget_public_pages_after_commit
from festival.editions.models import Edition
from festival.errors import ValidationError

OPENSTREETMAP = "https://www.openstreetmap.org/"


@dataclass(frozen=True)
class Venue:
    name: str
    street: str
    postcode: str
    town: str
    latitude: float | None
    longitude: float | None
    step_free: bool | None
    access_notes: str
    free: bool
    booking: str
    booking_url: str

    @property
    def locality(self) -> str:
        return " ".join(part for part in (self.postcode, self.town) if part)

    @property
    def address(self) -> str:
        """The street address on one line, as a calendar or a message writes it."""
        return ", ".join(part for part in (self.street, self.locality) if part)

    @property
    def one_line(self) -> str:
        return ", ".join(part for part in (self.name, self.address) if part)

    @property
    def has_address(self) -> bool:
        return bool(self.street or self.town)

    @property
    def coordinates(self) -> tuple[float, float] | None:
        if self.latitude is None or self.longitude is None:
            return None
        return self.latitude, self.longitude

    @property
    def map_url(self) -> str | None:
        """The place on OpenStreetMap, a link only: no third-party map is embedded."""
        if self.latitude is not None and self.longitude is not None:
            lat, lon = f"{self.latitude:.5f}", f"{self.longitude:.5f}"
            return f"{OPENSTREETMAP}?{urlencode({'mlat': lat, 'mlon': lon})}#map=18/{lat}/{lon}"
        if self.has_address:
            return f"{OPENSTREETMAP}search?{urlencode({'query': self.address})}"
        return None

    def json_ld_place(self) -> dict:
        place: dict = {"@type": "Place", "name": self.name or self.town or None}
        if self.has_address:
            place["address"] = {
                "@type": "PostalAddress",
                "streetAddress": self.street or None,
                "postalCode": self.postcode or None,
                "addressLocality": self.town or None,
                "addressCountry": "FR",
            }
        if self.latitude is not None and self.longitude is not None:
            place["geo"] = {
                "@type": "GeoCoordinates",
                "latitude": self.latitude,
                "longitude": self.longitude,
            }
        if self.step_free is not None:
            place["amenityFeature"] = {
                "@type": "LocationFeatureSpecification",
                "name": "Accès de plain-pied (fauteuil roulant)",
                "value": self.step_free,
            }
        return _without_empty(place)

    def json_ld_entry(self) -> dict:
        """What an event adds about getting in: free or not, and where to book."""
        entry: dict = {"isAccessibleForFree": self.free}
        if self.free or self.booking_url:
            offer = {"@type": "Offer", "url": self.booking_url or None}
            if self.free:
                offer.update({"price": 0, "priceCurrency": "EUR"})
            entry["offers"] = _without_empty(offer)
        return entry


def venue_of(edition: Edition) -> Venue:
    return Venue(
        name=edition.ceremony_venue,
        street=edition.venue_street,
        postcode=edition.venue_postcode,
        town=edition.venue_town,
        latitude=edition.venue_latitude,
        longitude=edition.venue_longitude,
        step_free=edition.venue_step_free,
        access_notes=edition.venue_access_notes,
        free=edition.entry_free,
        booking=edition.entry_booking,
        booking_url=edition.booking_url,
    )


VENUE_FIELDS = (
    "ceremony_venue",
    "venue_street",
    "venue_postcode",
    "venue_town",
    "venue_latitude",
    "venue_longitude",
    "venue_step_free",
    "venue_access_notes",
    "entry_free",
    "entry_booking",
    "booking_url",
)


# Typed by staff: kept without surrounding spaces, and never None.
TEXT_FIELDS = frozenset(
    {"ceremony_venue", "venue_street", "venue_postcode", "venue_town", "venue_access_notes",
     "entry_booking", "booking_url"}
)  # fmt: skip


def set_venue(edition: Edition, **fields) -> None:
    """Staff's answers about the venue, tidied; the public pages forget their copies once
    committed. Raises ValidationError for coordinates given alone (nothing is changed then:
    the caller rolls back)."""
    for name, value in fields.items():
        if name not in VENUE_FIELDS:
            raise TypeError(f"not a venue field: {name}")
        setattr(edition, name, (value or "").strip() if name in TEXT_FIELDS else value)
    if (edition.venue_latitude is None) != (edition.venue_longitude is None):
        raise ValidationError(
            _("Indiquez la latitude et la longitude, ou aucune des deux."), field="venue_longitude"
        )
    forget_public_pages_after_commit()


def copy_venue(source: Edition, target: Edition) -> None:
    """Last year's hall for the new edition, where staff have not said otherwise."""
    for name in VENUE_FIELDS:
        if getattr(target, name) in ("", None):
            setattr(target, name, getattr(source, name))


def _without_empty(data: dict) -> dict:
    return {key: value for key, value in data.items() if value not in (None, "")}
