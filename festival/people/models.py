"""Participants of an edition, their guardians and their consents."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from festival.clock import utcnow
from festival.errors import ValidationError
from festival.extensions import db
from festival.models_base import enum_type
from festival.people.consent_kinds import ConsentChannel, ConsentGiver, ConsentKind
from festival.people.consent_rules import consent_holds, consent_states

if TYPE_CHECKING:  # other domains' models, for type hints only
    from festival.auth.models import User
    from festival.editions.models import Edition


class ParticipantStatus(enum.StrEnum):
    PENDING = "pending"  # registered online, waiting for staff to confirm
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    WITHDRAWN = "withdrawn"


# Everything that identifies a participant or their family: edited by staff, erased on request.
PERSONAL_FIELDS = (
    "first_name",
    "last_name",
    "birth_date",
    "email",
    "phone",
    "guardian_name",
    "guardian_email",
    "guardian_phone",
)


class Participant(db.Model):
    __tablename__ = "participants"
    __table_args__ = (Index("ix_participants_edition_status", "edition_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("editions.id", ondelete="CASCADE"))
    # Personal fields are nullable: erasure empties them and keeps the row for statistics.
    first_name: Mapped[str | None] = mapped_column(String(100))
    last_name: Mapped[str | None] = mapped_column(String(100))
    birth_date: Mapped[date | None]
    email: Mapped[str | None] = mapped_column(String(254))
    # When the teen followed the link sent to that address (online registrations).
    email_confirmed_at: Mapped[datetime | None]
    phone: Mapped[str | None] = mapped_column(String(40))
    guardian_name: Mapped[str | None] = mapped_column(String(200))
    guardian_email: Mapped[str | None] = mapped_column(String(254))
    guardian_phone: Mapped[str | None] = mapped_column(String(40))
    status: Mapped[ParticipantStatus] = mapped_column(
        enum_type(ParticipantStatus, "participant_status")
    )
    registered_online: Mapped[bool] = mapped_column(default=False)
    # The language messages to this person and their guardian are written in.
    language: Mapped[str] = mapped_column(String(5), default="fr")
    # Opted in: an email two days before each workshop.
    workshop_reminders: Mapped[bool] = mapped_column(default=False)
    # For the report to the town council and funders (optional, kept after erasure: a town
    # and a yes/no name nobody): where the teen lives, and the library card before/during.
    commune: Mapped[str | None] = mapped_column(String(100))
    had_library_card: Mapped[bool | None]
    library_card_during_festival: Mapped[bool] = mapped_column(default=False)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), unique=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[datetime | None]
    # Kept after erasure so that statistics stay true without naming anyone.
    age_on_reference_date: Mapped[int | None]
    erased_at: Mapped[datetime | None]

    edition: Mapped[Edition] = relationship()
    user: Mapped[User | None] = relationship(back_populates="participant", foreign_keys=[user_id])
    consents: Mapped[list[Consent]] = relationship(
        back_populates="participant",
        order_by="Consent.recorded_at, Consent.id",
        cascade="all, delete-orphan",
    )

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None

    def ensure_not_erased(self) -> None:
        """Every operation that changes a participant starts here: once erased, they are frozen
        (nothing is left to correct, consent to or sign in with)."""
        if self.is_erased:
            raise ValidationError(
                _("Les données de cette personne ont été effacées : plus rien ne peut y changer.")
            )

    @property
    def full_name(self) -> str:
        if self.is_erased:
            return _("Participant·e anonymisé·e n°%(id)s", id=self.id)
        return f"{self.first_name} {self.last_name}"

    @property
    def public_name(self) -> str:
        """First name and last initial: all the public ever sees of a participant."""
        if self.is_erased:
            return _("Participant·e anonyme")
        if not self.last_name:
            return self.first_name or "—"
        return f"{self.first_name} {self.last_name[0].upper()}."

    def current_consents(self) -> dict[ConsentKind, Consent | None]:
        """The latest decision of each kind, whoever gave it (for history and display)."""
        latest: dict[ConsentKind, Consent | None] = dict.fromkeys(ConsentKind)
        for consent in self.consents:  # ordered oldest first: the last one wins
            latest[consent.kind] = consent
        return latest

    def decisions_of(self, giver: ConsentGiver) -> dict[ConsentKind, Consent | None]:
        """The latest decision of each kind given by the teen herself, or by her guardian."""
        latest: dict[ConsentKind, Consent | None] = dict.fromkeys(ConsentKind)
        for consent in self.consents:
            if consent.given_by == giver:
                latest[consent.kind] = consent
        return latest

    def has_consent(self, kind: ConsentKind) -> bool:
        """Whether this consent holds now, by the one rule on who must agree
        (festival.people.consent_rules): every page, export and the API ask here."""
        return consent_holds(self, kind)

    def consents_held(self) -> dict[ConsentKind, bool]:
        """`has_consent` for every kind at once, for lists (the same rule, asked once)."""
        return {kind: state.holds for kind, state in consent_states(self).items()}

    def __repr__(self) -> str:
        return f"<Participant {self.id} {self.status}>"


class Consent(db.Model):
    """One consent decision; a change adds a row, so the history stays auditable."""

    __tablename__ = "consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[ConsentKind] = mapped_column(enum_type(ConsentKind, "consent_kind"))
    granted: Mapped[bool]
    given_by: Mapped[ConsentGiver] = mapped_column(enum_type(ConsentGiver, "consent_giver"))
    channel: Mapped[ConsentChannel] = mapped_column(
        enum_type(ConsentChannel, "consent_channel"), default=ConsentChannel.PAPER
    )
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Empty when the participant or guardian ticked it on the public form.
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Given by the guardian online, through this link (else on paper or on the form).
    guardian_link_id: Mapped[int | None] = mapped_column(
        ForeignKey("guardian_links.id", ondelete="SET NULL")
    )

    participant: Mapped[Participant] = relationship(back_populates="consents")
    recorded_by: Mapped[User | None] = relationship()
    guardian_link: Mapped[GuardianLink | None] = relationship()


class GuardianLink(db.Model):
    """A link sent to a minor's guardian to give or withdraw the consents online: no account,
    single use, expiring. Only a hash of its secret is stored."""

    __tablename__ = "guardian_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    sent_to: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    participant: Mapped[Participant] = relationship()


class RepeatRegistration(db.Model):
    """An online registration sent for someone already registered to the edition (same e-mail,
    or same name and birth date). Not saved as a new registration, and the form answers as if
    it were, so that nobody learns who is registered; staff see it on the person's page."""

    __tablename__ = "repeat_registrations"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    matched_on: Mapped[str] = mapped_column(String(20))  # "email" or "name_birth_date"
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    seen_at: Mapped[datetime | None]

    participant: Mapped[Participant] = relationship()


class ImportColumnChoice(db.Model):
    """What staff said a spreadsheet column means, remembered for the next list with that
    title (« Tél. maman » is the guardian's phone): the library keeps the same sheet yearly.

    `field` is one of festival.people.imports.FIELDS, or "" for a column to ignore."""

    __tablename__ = "import_column_choices"

    id: Mapped[int] = mapped_column(primary_key=True)
    title_key: Mapped[str] = mapped_column(String(200), unique=True)
    field: Mapped[str] = mapped_column(String(40))
    chosen_at: Mapped[datetime] = mapped_column(default=utcnow)
