"""An edition: one year of the festival, its dates, age bounds and rules."""

from __future__ import annotations

import enum
from datetime import date, datetime, timedelta
from urllib.parse import urlencode

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from festival.clock import utcnow
from festival.extensions import db
from festival.models_base import enum_type
from festival.text import folded

CEREMONY_LENGTH = timedelta(hours=3)
OPENSTREETMAP = "https://www.openstreetmap.org/"


class Venue(db.Model):
    """A place where the festival happens: the library's auditorium, a second room, a partner
    cinema. Shared by editions (the ceremony) and séances; staff add one as data."""

    __tablename__ = "venues"
    __table_args__ = (
        CheckConstraint("capacity IS NULL OR capacity > 0", name="venue_capacity_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # One name, one place, whatever the case, accents or hyphens (set with the name).
    name_key: Mapped[str] = mapped_column(String(200), unique=True)
    street: Mapped[str] = mapped_column(String(200), default="")
    postcode: Mapped[str] = mapped_column(String(10), default="")
    town: Mapped[str] = mapped_column(String(100), default="")
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    # None: not said. The public pages only claim what staff stated.
    step_free: Mapped[bool | None]
    access_notes: Mapped[str] = mapped_column(Text, default="")
    capacity: Mapped[int | None]
    # A link staff chose (the venue's own page, a map); else one is made from the address.
    map_link: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @validates("name")
    def _key_the_name(self, _attribute: str, name: str) -> str:
        self.name_key = folded(name)
        return name

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
        """The link staff gave, else the place on OpenStreetMap: a link only, no third-party
        map is embedded in a page."""
        if self.map_link:
            return self.map_link
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
        if self.capacity:
            place["maximumAttendeeCapacity"] = self.capacity
        return {key: value for key, value in place.items() if value not in (None, "")}

    def __repr__(self) -> str:
        return f"<Venue {self.id} {self.name!r}>"


class Edition(db.Model):
    __tablename__ = "editions"
    __table_args__ = (
        CheckConstraint("age_min >= 0 AND age_min <= age_max", name="age_bounds"),
        CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
        CheckConstraint("behind_missed_threshold >= 1", name="behind_threshold_positive"),
        CheckConstraint("ends_on >= starts_on", name="dates_ordered"),
        CheckConstraint(
            "max_film_seconds > 0 AND film_duration_tolerance >= 0", name="film_length_rule"
        ),
        # At most one current edition, enforced by the database itself.
        Index(
            "uq_editions_one_current",
            "is_current",
            unique=True,
            sqlite_where=db.text("is_current = 1"),
            postgresql_where=db.text("is_current"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(unique=True)
    title: Mapped[str] = mapped_column(String(200))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    age_min: Mapped[int] = mapped_column(default=14)
    age_max: Mapped[int] = mapped_column(default=19)
    # The day on which ages are computed; the ceremony's date when left empty.
    reference_date: Mapped[date | None]
    ceremony_at: Mapped[datetime]
    # Where the ceremony takes place (a Venue, shared with the séances held there).
    ceremony_venue_id: Mapped[int | None] = mapped_column(
        ForeignKey("venues.id", ondelete="SET NULL"), index=True
    )
    # Getting in: the event's own terms, whatever the place.
    entry_free: Mapped[bool] = mapped_column(default=True)
    entry_booking: Mapped[str] = mapped_column(String(300), default="")
    booking_url: Mapped[str] = mapped_column(String(300), default="")
    # People in the hall at the ceremony, as staff counted them (for the report).
    ceremony_audience: Mapped[int | None]
    # The address this edition's messages come from (the server's MAIL_SENDER when empty).
    mail_from: Mapped[str] = mapped_column(String(254), default="")
    upload_deadline: Mapped[datetime]
    capacity: Mapped[int | None]
    # A participant who missed this many held workshops is shown as falling behind.
    behind_missed_threshold: Mapped[int] = mapped_column(default=3)
    # The five-minute rule: the limit and a tolerance for encoder padding, in seconds.
    max_film_seconds: Mapped[float] = mapped_column(default=300.0)
    film_duration_tolerance: Mapped[float] = mapped_column(default=0.25)
    is_current: Mapped[bool] = mapped_column(default=False)
    personal_data_purged_at: Mapped[datetime | None]
    # The public sees the programme only once published.
    programme_published_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    ceremony_place: Mapped[Venue | None] = relationship()

    @property
    def ceremony_venue(self) -> str:
        """The ceremony's place by name, as pages and messages print it."""
        return self.ceremony_place.name if self.ceremony_place else ""

    def ceremony_is_over(self, now: datetime) -> bool:
        """Past the ceremony (three hours after it starts): the public pages speak of it in
        the past tense and registrations for this edition are closed."""
        return now >= self.ceremony_at + CEREMONY_LENGTH

    @property
    def age_reference_date(self) -> date:
        return self.reference_date or self.ceremony_at.date()

    def __repr__(self) -> str:
        return f"<Edition {self.year}>"


class BudgetKind(enum.StrEnum):
    COST = "cost"  # what the edition cost: facilitators, equipment, printing…
    PARTNER = "partner"  # what partners brought: grants, sponsorship, in-kind


class BudgetLine(db.Model):
    """A line of an edition's budget, typed in by staff for the report."""

    __tablename__ = "budget_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(
        ForeignKey("editions.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[BudgetKind] = mapped_column(enum_type(BudgetKind, "budget_kind"))
    label: Mapped[str] = mapped_column(String(200))
    amount_cents: Mapped[int]
    # A partner's line: what the partner did (« prêt de matériel », « jury »), and whether
    # the amount is money or a contribution in kind valued in euros.
    partner_role: Mapped[str] = mapped_column(String(200), default="")
    in_kind: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class LibraryIdentity(db.Model):
    """The médiathèque as its documents show it: name, town, who signs the certificates, and
    its logo and signature (PNG files in the media folder, named by the platform). One row;
    until staff fill it in, the LIBRARY_NAME and FESTIVAL_TOWN settings stand in."""

    __tablename__ = "library_identity"

    id: Mapped[int] = mapped_column(primary_key=True)
    library_name: Mapped[str] = mapped_column(String(200), default="")
    town: Mapped[str] = mapped_column(String(100), default="")
    signatory_name: Mapped[str] = mapped_column(String(200), default="")
    signatory_title: Mapped[str] = mapped_column(String(200), default="")
    has_logo: Mapped[bool] = mapped_column(default=False)
    has_signature: Mapped[bool] = mapped_column(default=False)
    # When the library and its teens are away, for the workshops' dates: the school holiday
    # zone (A, B or C; "" when unknown), the weekdays it is closed ("0,6": Monday and Sunday,
    # Python's numbering) and its other closures (one ISO date or range a line, a note after).
    school_zone: Mapped[str] = mapped_column(String(1), default="")
    closed_weekdays: Mapped[str] = mapped_column(String(20), default="")
    closed_dates: Mapped[str] = mapped_column(Text, default="")
    # The library catalogue's page for a record: « https://catalogue.example/notice/{id} ».
    catalogue_permalink: Mapped[str] = mapped_column(String(300), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
