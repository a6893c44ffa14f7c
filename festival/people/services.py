"""Registration, consents, accounts and privacy of the participants.

Operations add and flush; the caller (view, API, CLI, job) commits once.
"""

from __future__ import annotations

import calendar
import hashlib
import re
import secrets
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from werkzeug.security import generate_password_hash

from festival.auth.models import LoginCode, Role, User
from festival.auth.passwords import password_problem
from festival.caching import forget_public_pages_after_commit
from festival.clock import local_today, utcnow
from festival.editions.models import Edition
from festival.errors import ValidationError
from festival.extensions import db
from festival.people.models import (
    PERSONAL_FIELDS,
    Consent,
    ConsentGiver,
    ConsentKind,
    Participant,
    ParticipantStatus,
    RepeatRegistration,
)
from festival.text import single_line, single_line_problems

AGE_OF_MAJORITY = 18
# Unambiguous characters for codes read off paper by a teenager (no 0/O, 1/I/L).
LOGIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LOGIN_CODE_LENGTH = 8


# ---------------------------------------------------------------- age rules


def age_on(birth_date: date, on: date) -> int:
    """Exact age in whole years on a given day.

    Someone born on 29 February has their birthday on 1 March in common years, as in
    French civil practice: they are still 13 on 28 February of the year they turn 14.
    """
    years = on.year - birth_date.year
    birthday_month, birthday_day = birth_date.month, birth_date.day
    if (birthday_month, birthday_day) == (2, 29) and not calendar.isleap(on.year):
        birthday_month, birthday_day = 3, 1
    if (on.month, on.day) < (birthday_month, birthday_day):
        years -= 1
    return years


def age_problem(edition: Edition, birth_date: date) -> str | None:
    """The French sentence that says why this birth date is refused, or None when it is fine."""
    reference = edition.age_reference_date
    if birth_date > local_today():
        return _("La date de naissance est dans le futur : vérifiez l'année.")
    age = age_on(birth_date, reference)
    if age < edition.age_min:
        return _(
            "Le festival est ouvert aux jeunes de %(min)s à %(max)s ans : vous aurez %(age)s ans "
            "le %(day)s, date de référence de l'édition. Il faut avoir au moins %(min)s ans ce "
            "jour-là.",
            min=edition.age_min,
            max=edition.age_max,
            age=age,
            day=reference.strftime("%d/%m/%Y"),
        )
    if age > edition.age_max:
        return _(
            "Le festival est ouvert aux jeunes de %(min)s à %(max)s ans : vous aurez %(age)s ans "
            "le %(day)s, date de référence de l'édition, soit plus que l'âge maximum.",
            min=edition.age_min,
            max=edition.age_max,
            age=age,
            day=reference.strftime("%d/%m/%Y"),
        )
    return None


def check_age(edition: Edition, birth_date: date) -> int:
    problem = age_problem(edition, birth_date)
    if problem:
        raise ValidationError(problem, field="birth_date", code="age_out_of_bounds")
    return age_on(birth_date, edition.age_reference_date)


def is_minor(birth_date: date, on: date | None = None) -> bool:
    return age_on(birth_date, on or local_today()) < AGE_OF_MAJORITY


def participant_age(participant: Participant) -> int | None:
    if participant.birth_date is None:
        return participant.age_on_reference_date
    return age_on(participant.birth_date, participant.edition.age_reference_date)


# ---------------------------------------------------------------- registration


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


def _clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _validate_registration(edition: Edition, data: RegistrationData) -> None:
    errors: dict[str, str] = single_line_problems(
        {
            "first_name": data.first_name,
            "last_name": data.last_name,
            "email": data.email,
            "phone": data.phone,
            "guardian_name": data.guardian_name,
            "guardian_email": data.guardian_email,
            "guardian_phone": data.guardian_phone,
        }
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
    if not data.consents.get(ConsentKind.PARTICIPATION):
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
            select(Participant).where(
                Participant.edition_id == edition.id,
                func.lower(Participant.email) == data.email.strip().lower(),
            )
        )
        if found is not None:
            return found, "email"
    found = db.session.scalar(
        select(Participant).where(
            Participant.edition_id == edition.id,
            func.lower(Participant.first_name) == (data.first_name or "").strip().lower(),
            func.lower(Participant.last_name) == (data.last_name or "").strip().lower(),
            Participant.birth_date == data.birth_date,
        )
    )
    return (found, "name_birth_date") if found is not None else (None, None)


def register_participant(
    edition: Edition,
    data: RegistrationData,
    *,
    recorded_by: User | None,
    online: bool = False,
) -> Participant:
    """Register a teenager for an edition.

    At the desk (online=False) the registration is confirmed at once, or put on the waiting
    list when the edition is full; online it waits for staff confirmation. Records the three
    consents, given by the guardian for a minor, and opens an account when a password is given.
    """
    if online:
        existing, matched_on = find_registered(edition, data)
        if existing is not None:
            db.session.add(RepeatRegistration(participant=existing, matched_on=matched_on))
            db.session.flush()
            raise AlreadyRegistered(existing)
    _validate_registration(edition, data)
    minor = is_minor(data.birth_date)
    participant = Participant(
        edition=edition,
        first_name=data.first_name.strip(),
        last_name=data.last_name.strip(),
        birth_date=data.birth_date,
        email=_clean(data.email),
        phone=_clean(data.phone),
        guardian_name=_clean(data.guardian_name),
        guardian_email=_clean(data.guardian_email),
        guardian_phone=_clean(data.guardian_phone),
        status=ParticipantStatus.PENDING,
        registered_online=online,
    )
    db.session.add(participant)
    giver = ConsentGiver.GUARDIAN if minor else ConsentGiver.PARTICIPANT
    for kind in ConsentKind:
        participant.consents.append(
            Consent(
                kind=kind,
                granted=bool(data.consents.get(kind, False)),
                given_by=giver,
                recorded_by=recorded_by,
                recorded_at=utcnow(),
            )
        )
    db.session.flush()
    if not online:
        confirm_participant(participant, confirmed_by=recorded_by)
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


def search_participants(
    edition: Edition, *, status: ParticipantStatus | None = None, text: str = ""
) -> list[Participant]:
    """The edition's participants by name, optionally of one status or matching a text."""
    stmt = select(Participant).where(Participant.edition_id == edition.id)
    if status is not None:
        stmt = stmt.where(Participant.status == status)
    if text:
        like = f"%{text}%"
        stmt = stmt.where(
            or_(
                Participant.first_name.ilike(like),
                Participant.last_name.ilike(like),
                Participant.email.ilike(like),
            )
        )
    return list(
        db.session.scalars(
            stmt.order_by(Participant.last_name, Participant.first_name, Participant.id)
        )
    )


def status_counts(edition: Edition) -> dict[ParticipantStatus, int]:
    rows = db.session.execute(
        select(Participant.status, func.count(Participant.id))
        .where(Participant.edition_id == edition.id)
        .group_by(Participant.status)
    )
    counts = dict.fromkeys(ParticipantStatus, 0)
    counts.update({status: count for status, count in rows})
    return counts


def is_full(edition: Edition) -> bool:
    return edition.capacity is not None and confirmed_count(edition) >= edition.capacity


def confirmed_count(edition: Edition) -> int:
    return db.session.scalar(
        select(func.count(Participant.id)).where(
            Participant.edition_id == edition.id,
            Participant.status == ParticipantStatus.CONFIRMED,
        )
    )


def confirm_participant(participant: Participant, *, confirmed_by: User | None) -> Participant:
    """Confirm a registration, or put it on the waiting list when the edition is full."""
    if participant.status in (ParticipantStatus.CONFIRMED,):
        return participant
    full = is_full(participant.edition)
    participant.status = ParticipantStatus.WAITLISTED if full else ParticipantStatus.CONFIRMED
    if not full:
        participant.confirmed_at = utcnow()
    db.session.flush()
    return participant


def waiting_list(edition: Edition) -> list[Participant]:
    return list(
        db.session.scalars(
            select(Participant)
            .where(
                Participant.edition_id == edition.id,
                Participant.status == ParticipantStatus.WAITLISTED,
            )
            .order_by(Participant.created_at, Participant.id)
        )
    )


def fill_free_places(edition: Edition) -> list[Participant]:
    """Move people from the waiting list, first come first served, into free places."""
    promoted = []
    for participant in waiting_list(edition):
        if is_full(edition):
            break
        participant.status = ParticipantStatus.CONFIRMED
        participant.confirmed_at = utcnow()
        db.session.flush()
        promoted.append(participant)
    return promoted


def withdraw_participant(participant: Participant) -> list[Participant]:
    """Withdraw a registration; returns who got the freed place from the waiting list."""
    was_confirmed = participant.status == ParticipantStatus.CONFIRMED
    participant.status = ParticipantStatus.WITHDRAWN
    db.session.flush()
    return fill_free_places(participant.edition) if was_confirmed else []


def waiting_position(participant: Participant) -> int | None:
    if participant.status != ParticipantStatus.WAITLISTED:
        return None
    queue = waiting_list(participant.edition)
    return next((i for i, p in enumerate(queue, start=1) if p.id == participant.id), None)


def record_consents(
    participant: Participant, decisions: dict[ConsentKind, bool], *, recorded_by: User | None
) -> list[Consent]:
    """Record the consents that changed; each change is a new dated row."""
    current = participant.current_consents()
    minor = participant.birth_date is not None and is_minor(participant.birth_date)
    giver = ConsentGiver.GUARDIAN if minor else ConsentGiver.PARTICIPANT
    added = []
    for kind, granted in decisions.items():
        previous = current.get(kind)
        if previous is not None and previous.granted == granted:
            continue
        consent = Consent(
            kind=kind,
            granted=granted,
            given_by=giver,
            recorded_by=recorded_by,
            recorded_at=utcnow(),
        )
        participant.consents.append(consent)
        added.append(consent)
    if added:
        forget_public_pages_after_commit()  # a withdrawn consent hides images within minutes
    db.session.flush()
    return added


def update_participant(participant: Participant, changes: dict[str, Any]) -> Participant:
    """Correct a participant's details; the age rule applies to a new birth date."""
    if "birth_date" in changes and changes["birth_date"] != participant.birth_date:
        check_age(participant.edition, changes["birth_date"])
    for name, value in changes.items():
        if name in PERSONAL_FIELDS and isinstance(value, str):
            single_line(value, field=name)
    for name, value in changes.items():
        if name in PERSONAL_FIELDS:
            setattr(participant, name, _clean(value) if isinstance(value, str) else value)
    if not participant.first_name or not participant.last_name:
        raise ValidationError(_("Le prénom et le nom sont obligatoires."), field="last_name")
    db.session.flush()
    return participant


# ---------------------------------------------------------------- accounts


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "", ascii_text.lower()) or "participant"


def _free_login(base: str) -> str:
    candidate, n = base, 1
    while db.session.scalar(select(User.id).where(func.lower(User.login) == candidate.lower())):
        n += 1
        candidate = f"{base}{n}"
    return candidate


def open_account(participant: Participant, *, password: str | None = None) -> User:
    """Give a participant their own account (login: their email, or a generated name)."""
    if participant.user is not None:
        if password is not None:
            set_password(participant.user, password)
        return participant.user
    if participant.email:
        existing = db.session.scalar(
            select(User).where(func.lower(User.login) == participant.email.lower())
        )
        if existing is not None:
            raise ValidationError(
                _("Un compte existe déjà avec cette adresse e-mail."), field="email"
            )
        login = participant.email.lower()
    else:
        login = _free_login(
            f"{_slug(participant.first_name or '')}.{_slug(participant.last_name or '')}"
        )
    user = User(
        login=login,
        email=participant.email,
        display_name=participant.full_name,
        role=Role.PARTICIPANT,
    )
    if password is not None:
        set_password(user, password)
    db.session.add(user)
    participant.user = user
    db.session.flush()
    return user


def set_password(user: User, password: str) -> None:
    problem = password_problem(password, login=user.login)
    if problem:
        raise ValidationError(problem, field="password")
    user.password_hash = generate_password_hash(
        password, method=current_app.config["PASSWORD_HASH_METHOD"]
    )


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def normalise_login_code(code: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", (code or "").upper())


def issue_login_code(user: User, *, created_by: User | None) -> str:
    """A fresh one-time code for this account; earlier unused codes stop working."""
    now = utcnow()
    for old in db.session.scalars(
        select(LoginCode).where(LoginCode.user_id == user.id, LoginCode.used_at.is_(None))
    ):
        old.used_at = now
    code = "".join(secrets.choice(LOGIN_CODE_ALPHABET) for _ in range(LOGIN_CODE_LENGTH))
    ttl = timedelta(days=current_app.config["LOGIN_CODE_TTL_DAYS"])
    db.session.add(
        LoginCode(
            user=user,
            code_hash=hash_secret(code),
            created_by_id=created_by.id if created_by else None,
            expires_at=now + ttl,
        )
    )
    db.session.flush()
    return code


def format_login_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


# ---------------------------------------------------------------- privacy


# Other domains (films…) add what they hold on a participant: people knows nothing of them.
ExportSection = Callable[[Participant], tuple[str, Any]]
EXPORT_SECTIONS: list[ExportSection] = []


def register_export_section(section: ExportSection) -> ExportSection:
    """Add a domain's records to every subject-access export (used as a decorator)."""
    if section not in EXPORT_SECTIONS:
        EXPORT_SECTIONS.append(section)
    return section


def export_participant(participant: Participant) -> dict[str, Any]:
    """Everything the platform holds on one participant, for a subject-access request."""
    exported = _export_people_records(participant)
    for section in EXPORT_SECTIONS:
        name, records = section(participant)
        exported[name] = records
    exported["exported_at"] = utcnow().isoformat()
    return exported


def _export_people_records(participant: Participant) -> dict[str, Any]:

    def iso(value: date | datetime | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "participant": {
            "id": participant.id,
            "edition": participant.edition.year,
            "first_name": participant.first_name,
            "last_name": participant.last_name,
            "birth_date": iso(participant.birth_date),
            "email": participant.email,
            "phone": participant.phone,
            "guardian_name": participant.guardian_name,
            "guardian_email": participant.guardian_email,
            "guardian_phone": participant.guardian_phone,
            "status": participant.status.value,
            "registered_online": participant.registered_online,
            "created_at": iso(participant.created_at),
            "confirmed_at": iso(participant.confirmed_at),
        },
        "account": (
            {
                "login": participant.user.login,
                "created_at": iso(participant.user.created_at),
                "last_login_at": iso(participant.user.last_login_at),
            }
            if participant.user
            else None
        ),
        "consents": [
            {
                "kind": c.kind.value,
                "granted": c.granted,
                "given_by": c.given_by.value,
                "recorded_at": iso(c.recorded_at),
                "recorded_by": c.recorded_by.display_name if c.recorded_by else None,
            }
            for c in participant.consents
        ],
        "attendance": [
            {
                "workshop": a.workshop.number,
                "title": a.workshop.title,
                "date": iso(a.workshop.starts_at),
                "status": a.status.value,
            }
            for a in sorted(participant.attendances, key=lambda a: a.workshop.number)
        ],
    }


def erase_participant(participant: Participant) -> Participant:
    """Erase a participant's personal data; attendance stays, anonymous, for statistics.

    Deletes their account, sign-in codes, tokens and consent records. Frees their place.
    """
    if participant.is_erased:
        return participant
    participant.age_on_reference_date = participant_age(participant)
    was_confirmed = participant.status == ParticipantStatus.CONFIRMED
    user = participant.user
    participant.user = None
    if user is not None:
        db.session.delete(user)
    for name in PERSONAL_FIELDS:
        setattr(participant, name, None)
    participant.consents.clear()
    participant.erased_at = utcnow()
    forget_public_pages_after_commit()  # their name and image leave what visitors see
    if participant.status in (ParticipantStatus.PENDING, ParticipantStatus.WAITLISTED):
        participant.status = ParticipantStatus.WITHDRAWN
    db.session.flush()
    if was_confirmed and participant.edition.is_current:
        # An erased participant keeps their statistics but no longer holds a place.
        participant.status = ParticipantStatus.WITHDRAWN
        db.session.flush()
        fill_free_places(participant.edition)
    return participant


def add_months(moment: datetime, months: int) -> datetime:
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def editions_due_for_purge(now: datetime, retention_months: int) -> list[Edition]:
    editions = db.session.scalars(
        select(Edition).where(Edition.personal_data_purged_at.is_(None)).order_by(Edition.year)
    )
    return [e for e in editions if add_months(e.ceremony_at, retention_months) <= now]


def purge_edition(edition: Edition) -> int:
    """Erase every participant of an edition whose retention period is over."""
    participants = db.session.scalars(
        select(Participant).where(
            Participant.edition_id == edition.id, Participant.erased_at.is_(None)
        )
    ).all()
    for participant in participants:
        erase_participant(participant)
    edition.personal_data_purged_at = utcnow()
    db.session.flush()
    return len(participants)
