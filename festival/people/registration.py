"""Registration: signing up, confirmation and the waiting list, consents, corrections.

Operations add and flush; the caller (view, API, CLI, job) commits once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from festival.auth.models import User
from festival.auth.passwords import password_problem
from festival.clock import utcnow
from festival.editions.models import Edition
from festival.errors import ValidationError
from festival.extensions import db
from festival.people import contacts, emails, guardians
from festival.people.accounts import open_account
from festival.people.age import age_problem, check_age, is_minor
from festival.people.models import (
    PERSONAL_FIELDS,
    Consent,
    ConsentChannel,
    ConsentGiver,
    ConsentKind,
    Participant,
    ParticipantStatus,
    RepeatRegistration,
)
from festival.people.queries import (
    is_full,
    is_same_name,
    same_birth_date,
    same_email,
    waiting_list,
    waiting_position,
)
from festival.text import single_line, single_line_problems


@dataclass
class RegistrationData:
    first_name: str
    last_name: str
    birth_date: date
    email: str | None = None
    phone: str | None = None
    guardian_name: str | None = None
    guardian_email: str | None = None
    guardian_phone: str | None = None
    consents: dict[ConsentKind, bool] = field(default_factory=dict)
    password: str | None = None
    language: str = "fr"
    workshop_reminders: bool = False
    commune: str | None = None
    had_library_card: bool | None = None


def _clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _texts(data: RegistrationData) -> dict[str, str | None]:
    """The typed fields, as the columns that keep them name them: the same length rules for
    the forms, the API and an imported spreadsheet's rows."""
    return {
        "first_name": data.first_name,
        "last_name": data.last_name,
        "email": data.email,
        "phone": data.phone,
        "guardian_name": data.guardian_name,
        "guardian_email": data.guardian_email,
        "guardian_phone": data.guardian_phone,
        "commune": data.commune,
    }


def check_registration(
    edition: Edition, data: RegistrationData, *, consent_to_come: bool = False
) -> None:
    """Every problem with a registration at once, by field (ValidationError.fields).

    `consent_to_come`: a minor's participation consent will be asked of the guardian online.
    """
    errors: dict[str, str] = single_line_problems(_texts(data))
    for name, value in _texts(data).items():
        longest = Participant.__table__.c[name].type.length
        if value and len(value.strip()) > longest:
            errors.setdefault(
                name, _("%(n)s caractères au plus : raccourcissez ce texte.", n=longest)
            )
    if not _clean(data.first_name):
        errors["first_name"] = _("Indiquez le prénom.")
    if not _clean(data.last_name):
        errors["last_name"] = _("Indiquez le nom.")
    problem = age_problem(edition, data.birth_date)
    if problem:
        errors["birth_date"] = problem
    if is_minor(data.birth_date):
        if not _clean(data.guardian_name):
            errors["guardian_name"] = _(
                "Pour un·e mineur·e, indiquez le nom du ou de la responsable légal·e."
            )
        if not (_clean(data.guardian_email) or _clean(data.guardian_phone)):
            errors["guardian_phone"] = _(
                "Pour un·e mineur·e, indiquez un téléphone ou un e-mail du ou de la "
                "responsable légal·e."
            )
    for name in ("email", "guardian_email"):
        problem = contacts.email_problem(getattr(data, name))
        if problem:
            errors.setdefault(name, problem)
    for name in ("phone", "guardian_phone"):
        problem = contacts.phone_problem(getattr(data, name))
        if problem:
            errors.setdefault(name, problem)
    problem = guardian_email_problem(data.guardian_email, own_email=data.email)
    if problem and "guardian_email" not in errors:
        errors["guardian_email"] = problem
    if not data.consents.get(ConsentKind.PARTICIPATION) and not consent_to_come:
        errors["consents.participation"] = (
            _("L'autorisation parentale de participation est nécessaire pour s'inscrire.")
            if is_minor(data.birth_date)
            else _("Votre accord de participation est nécessaire pour vous inscrire.")
        )
    if data.password is not None:
        if not _clean(data.email):
            errors["email"] = _("Un compte avec mot de passe demande une adresse e-mail.")
        problem = password_problem(data.password, login=data.email)
        if problem:
            errors["password"] = problem
    existing, matched_on = find_registered(edition, data)
    if matched_on == "email":
        errors["email"] = _(
            "Une inscription avec cette adresse e-mail existe déjà pour cette édition."
        )
    elif matched_on == "name_birth_date":
        errors.setdefault(
            "last_name",
            _("Cette personne est déjà inscrite à cette édition (même nom et date de naissance)."),
        )
    if errors:
        first = next(iter(errors.values()))
        raise ValidationError(first, fields=errors)


def guardian_email_problem(
    guardian_email: str | None, *, own_email: str | None, participant: Participant | None = None
) -> str | None:
    """The guardian's address must be someone else's: not the teen's own, nor the address of
    any participant's account (a minor could otherwise consent for herself)."""
    address = (guardian_email or "").strip().lower()
    if not address:
        return None
    message = _(
        "L'e-mail du ou de la responsable légal·e doit être le sien, pas celui d'un·e jeune "
        "inscrit·e : indiquez l'adresse d'un parent ou d'un tuteur."
    )
    if address == (own_email or "").strip().lower():
        return message
    own_ids = [participant.id] if participant is not None and participant.id else []
    participant_address = select(Participant.id).where(
        func.lower(Participant.email) == address, Participant.id.not_in(own_ids)
    )
    account_address = (
        select(User.id)
        .join(Participant, Participant.user_id == User.id)
        .where(
            (func.lower(User.login) == address) | (func.lower(User.email) == address),
            Participant.id.not_in(own_ids),
        )
    )
    if db.session.scalar(participant_address.limit(1)) or db.session.scalar(
        account_address.limit(1)
    ):
        return message
    return None


class AlreadyRegistered(Exception):
    """An online registration for someone already registered: recorded for staff, and the
    form answers as for a new one (nobody learns from it who is registered)."""

    def __init__(self, participant: Participant):
        super().__init__(participant.id)
        self.participant = participant


def find_registered(edition: Edition, data: RegistrationData):
    """(participant, "email" | "name_birth_date") when already registered, else (None, None)."""
    if data.email and _clean(data.email):
        found = db.session.scalar(
            select(Participant).where(Participant.edition_id == edition.id, same_email(data.email))
        )
        if found is not None:
            return found, "email"
    born_that_day = db.session.scalars(
        select(Participant).where(
            Participant.edition_id == edition.id, same_birth_date(data.birth_date)
        )
    )
    for found in born_that_day:
        if is_same_name(found, data.first_name, data.last_name):
            return found, "name_birth_date"
    return None, None


def register_participant(
    edition: Edition,
    data: RegistrationData,
    *,
    recorded_by: User | None,
    online: bool = False,
    consent_to_come: bool = False,
) -> Participant:
    """Register a teenager for an edition.

    At the desk (online=False) the registration is confirmed at once, or put on the waiting
    list when the edition is full; online it waits for staff confirmation. Records the three
    consents, given by the guardian for a minor, and opens an account when a password is given.
    With `consent_to_come` (a minor imported without the signed paper), the registration waits
    for the guardian's answer to the link sent by email, as an online one does.
    """
    if online:
        existing, matched_on = find_registered(edition, data)
        if existing is not None:
            db.session.add(RepeatRegistration(participant=existing, matched_on=matched_on))
            db.session.flush()
            raise AlreadyRegistered(existing)
    check_registration(edition, data, consent_to_come=consent_to_come)
    minor = is_minor(data.birth_date)
    participant = Participant(
        edition=edition,
        first_name=data.first_name.strip(),
        last_name=data.last_name.strip(),
        birth_date=data.birth_date,
        email=_clean(data.email),
        phone=contacts.phone_for_record(data.phone),
        guardian_name=_clean(data.guardian_name),
        guardian_email=_clean(data.guardian_email),
        guardian_phone=contacts.phone_for_record(data.guardian_phone),
        status=ParticipantStatus.PENDING,
        registered_online=online,
        language=data.language,
        workshop_reminders=data.workshop_reminders,
        commune=contacts.commune_for_record(data.commune),
        had_library_card=data.had_library_card,
    )
    db.session.add(participant)
    # Online, the person ticks her own wishes: never her guardian's decision, which comes
    # through the link (or a paper form staff type). At the desk or from the library's list,
    # staff type the signed paper form: the guardian's decision for a minor.
    if online:
        giver, channel = ConsentGiver.PARTICIPANT, ConsentChannel.FORM
    else:
        giver = ConsentGiver.GUARDIAN if minor else ConsentGiver.PARTICIPANT
        channel = ConsentChannel.PAPER
    for kind in ConsentKind:
        if kind not in data.consents or (consent_to_come and not data.consents[kind]):
            continue  # not refused: not asked yet
        participant.consents.append(
            Consent(
                kind=kind,
                granted=bool(data.consents.get(kind, False)),
                given_by=giver,
                channel=channel,
                recorded_by=recorded_by,
                recorded_at=utcnow(),
            )
        )
    db.session.flush()
    if consent_to_come:
        if guardians.can_send_link(participant):
            guardians.send_guardian_link(participant)
    elif not online:
        confirm_participant(participant, confirmed_by=recorded_by)
        # A list with the participation signed but no answer for the images: asked online.
        if len(data.consents) < len(ConsentKind) and guardians.can_send_link(participant):
            guardians.send_guardian_link(participant)
    else:
        emails.tell_registration_received(
            participant, waiting_position=waiting_position(participant)
        )
        if guardians.can_send_link(participant):
            guardians.send_guardian_link(participant)  # the guardian confirms online
    if data.password is not None:
        open_account(participant, password=data.password)
    db.session.flush()
    return participant


def unseen_repeat_registrations(edition: Edition) -> list[RepeatRegistration]:
    return list(
        db.session.scalars(
            select(RepeatRegistration)
            .join(Participant)
            .where(Participant.edition_id == edition.id, RepeatRegistration.seen_at.is_(None))
            .order_by(RepeatRegistration.created_at)
        )
    )


def repeat_registrations_seen(participant: Participant) -> list[RepeatRegistration]:
    """The repeats of this person's registration, marked as seen by staff who open the page."""
    repeats = list(
        db.session.scalars(
            select(RepeatRegistration)
            .where(RepeatRegistration.participant_id == participant.id)
            .order_by(RepeatRegistration.created_at)
        )
    )
    for repeat in repeats:
        repeat.seen_at = repeat.seen_at or utcnow()
    db.session.flush()
    return repeats


def confirm_participant(participant: Participant, *, confirmed_by: User | None) -> Participant:
    """Confirm a registration, or put it on the waiting list when the edition is full."""
    participant.ensure_not_erased()
    if participant.status in (ParticipantStatus.CONFIRMED,):
        return participant
    full = is_full(participant.edition)
    participant.status = ParticipantStatus.WAITLISTED if full else ParticipantStatus.CONFIRMED
    if not full:
        participant.confirmed_at = utcnow()
    db.session.flush()
    if full:
        emails.tell_registration_received(
            participant, waiting_position=waiting_position(participant)
        )
    else:
        emails.tell_registration_confirmed(participant)
    return participant


def fill_free_places(edition: Edition) -> list[Participant]:
    """Move people from the waiting list, first come first served, into free places."""
    promoted = []
    for participant in waiting_list(edition):
        if is_full(edition):
            break
        participant.status = ParticipantStatus.CONFIRMED
        participant.confirmed_at = utcnow()
        db.session.flush()
        emails.tell_place_freed(participant)
        promoted.append(participant)
    return promoted


def withdraw_participant(participant: Participant) -> list[Participant]:
    """Withdraw a registration; returns who got the freed place from the waiting list."""
    participant.ensure_not_erased()
    was_confirmed = participant.status == ParticipantStatus.CONFIRMED
    participant.status = ParticipantStatus.WITHDRAWN
    db.session.flush()
    return fill_free_places(participant.edition) if was_confirmed else []


# What the report reads of a participant (coarse, kept after erasure), edited by staff.
REPORT_FIELDS = ("commune", "had_library_card", "library_card_during_festival")


def update_participant(participant: Participant, changes: dict[str, Any]) -> Participant:
    """Correct a participant's details; the age rule applies to a new birth date."""
    participant.ensure_not_erased()
    if "commune" in changes:
        single_line(changes["commune"] or "", field="commune")
    changes = _kept_contacts(changes)
    for name in REPORT_FIELDS:
        if name in changes:
            value = changes[name]
            setattr(participant, name, _clean(value) if isinstance(value, str) else value)
    if "birth_date" in changes and changes["birth_date"] != participant.birth_date:
        check_age(participant.edition, changes["birth_date"])
    for name, value in changes.items():
        if name in PERSONAL_FIELDS and isinstance(value, str):
            single_line(value, field=name)
    if "guardian_email" in changes or "email" in changes:
        problem = guardian_email_problem(
            changes.get("guardian_email", participant.guardian_email),
            own_email=changes.get("email", participant.email),
            participant=participant,
        )
        if problem:
            raise ValidationError(problem, field="guardian_email")
    if "email" in changes and _clean(changes["email"]) != participant.email:
        participant.email_confirmed_at = None  # a new address has not proved anything yet
    for name, value in changes.items():
        if name in PERSONAL_FIELDS:
            setattr(participant, name, _clean(value) if isinstance(value, str) else value)
    if not participant.first_name or not participant.last_name:
        raise ValidationError(_("Le prénom et le nom sont obligatoires."), field="last_name")
    db.session.flush()
    return participant


def _kept_contacts(changes: dict[str, Any]) -> dict[str, Any]:
    """The changed addresses checked, the numbers and the town as they are kept."""
    kept = dict(changes)
    for name in ("email", "guardian_email"):
        if name in kept and (problem := contacts.email_problem(kept[name])):
            raise ValidationError(problem, field=name)
    for name in ("phone", "guardian_phone"):
        if name in kept:
            if problem := contacts.phone_problem(kept[name]):
                raise ValidationError(problem, field=name)
            kept[name] = contacts.phone_for_record(kept[name])
    if "commune" in kept:
        kept["commune"] = contacts.commune_for_record(kept["commune"])
    return kept


def set_workshop_reminders(participant: Participant, wanted: bool) -> None:
    participant.ensure_not_erased()
    participant.workshop_reminders = wanted
    db.session.flush()
