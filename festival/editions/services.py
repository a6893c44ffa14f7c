"""Editions: which one is current, creating one, the rules its dates and ages follow.

Operations add and flush; the caller commits once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask import session
from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import select

from festival.editions.models import Edition
from festival.editions.signals import (
    answers,
    edition_agenda_asked,
    edition_created,
    edition_dates_checked,
)
from festival.editions.venue import venue_named
from festival.errors import ValidationError
from festival.extensions import db


def current_edition() -> Edition | None:
    return db.session.scalar(select(Edition).where(Edition.is_current.is_(True)))


# The edition a staff member works on in this browser, when it is not the current one.
WORKING_EDITION_KEY = "working_edition_id"


def working_edition() -> Edition | None:
    """The edition staff pages show: the one chosen with the switcher (kept in this browser's
    session), else the current one. The public, teens, facilitators and the jury always see
    the current edition; only making another one current changes that."""
    chosen_id = session.get(WORKING_EDITION_KEY)
    if chosen_id is not None:
        chosen = db.session.get(Edition, chosen_id)
        if chosen is not None:
            return chosen
        session.pop(WORKING_EDITION_KEY, None)
    return current_edition()


def work_on(edition: Edition) -> None:
    """Show this edition on this browser's staff pages (and nowhere else)."""
    if edition.is_current:
        session.pop(WORKING_EDITION_KEY, None)
    else:
        session[WORKING_EDITION_KEY] = edition.id


def all_editions() -> list[Edition]:
    return list(db.session.scalars(select(Edition).order_by(Edition.year.desc())))


def edition_of_year(year: int) -> Edition | None:
    return db.session.scalar(select(Edition).where(Edition.year == year))


def set_current_edition(edition: Edition) -> Edition:
    for other in db.session.scalars(select(Edition).where(Edition.is_current.is_(True))):
        if other.id != edition.id:
            other.is_current = False
    db.session.flush()  # the database allows one current edition: clear before setting
    edition.is_current = True
    db.session.flush()
    return edition


def validate_edition(edition: Edition) -> None:
    """Every problem with an edition's settings and dates at once, in one round of errors."""
    errors: dict[str, str] = {}
    if (
        edition.age_min is not None
        and edition.age_max is not None
        and edition.age_min > edition.age_max
    ):
        errors["age_max"] = _("L'âge maximum doit être supérieur ou égal à l'âge minimum.")
    if edition.starts_on and edition.ends_on and edition.ends_on < edition.starts_on:
        errors["ends_on"] = _("La fin de l'édition doit venir après son début.")
    errors.update(date_problems(edition))
    if edition.capacity is not None and edition.capacity < 1:
        errors["capacity"] = _("La capacité doit être d'au moins une place, ou laissée vide.")
    if edition.behind_missed_threshold is not None and edition.behind_missed_threshold < 1:
        errors["behind_missed_threshold"] = _("Le seuil doit être d'au moins un atelier.")
    with db.session.no_autoflush:  # the edition may hold the very values being checked
        clash = db.session.scalar(
            select(Edition.id).where(Edition.year == edition.year, Edition.id != (edition.id or 0))
        )
    if clash:
        errors["year"] = _("Une édition existe déjà pour l'année %(year)s.", year=edition.year)
    if errors:
        raise ValidationError(next(iter(errors.values())), fields=errors)


def date_problems(edition: Edition) -> dict[str, str]:
    """The dates checked together: the upload deadline before the ceremony, the ceremony after
    the last workshop, every workshop within the edition."""
    problems: dict[str, str] = {}
    if (
        edition.upload_deadline
        and edition.ceremony_at
        and edition.upload_deadline >= edition.ceremony_at
    ):
        problems["upload_deadline"] = _(
            "La date limite d'envoi des films doit précéder la cérémonie (le %(day)s).",
            day=format_date(edition.ceremony_at.date(), "d MMMM y"),
        )
    if edition.ceremony_at and edition.starts_on and edition.ceremony_at.date() < edition.starts_on:
        problems["ceremony_at"] = _("La cérémonie doit avoir lieu après le début des ateliers.")
    if edition.ceremony_at and edition.ends_on and edition.ceremony_at.date() > edition.ends_on:
        problems["ends_on"] = _(
            "L'édition doit finir le jour de la cérémonie ou après (le %(day)s).",
            day=format_date(edition.ceremony_at.date(), "d MMMM y"),
        )
    if edition.id:  # a new edition has nothing of other domains yet
        with db.session.no_autoflush:
            problems.update(answers(edition_dates_checked, edition))
    return problems


@dataclass
class SwitchPreview:
    """What changes for everyone when `new` becomes the current edition."""

    new: Edition
    old: Edition | None
    old_programme_public: bool
    new_programme_public: bool
    old_workshops_to_come: int  # their roll calls leave the facilitators' tablets
    old_ceremony_to_come: bool


def switch_preview(new: Edition, now: datetime) -> SwitchPreview:
    old = current_edition()
    if old is not None and old.id == new.id:
        old = None
    return SwitchPreview(
        new=new,
        old=old,
        old_programme_public=bool(old and old.programme_published_at),
        new_programme_public=new.programme_published_at is not None,
        old_workshops_to_come=(
            answers(edition_agenda_asked, old, now=now).get("workshops_to_come", 0) if old else 0
        ),
        old_ceremony_to_come=bool(old and old.ceremony_at > now),
    )


def create_edition(
    *,
    year: int,
    title: str,
    starts_on: date,
    ends_on: date,
    ceremony_at: datetime,
    upload_deadline: datetime,
    ceremony_venue: str = "",
    mail_from: str = "",
    age_min: int = 14,
    age_max: int = 19,
    reference_date: date | None = None,
    capacity: int | None = None,
    behind_missed_threshold: int = 3,
    make_current: bool = True,
    with_default_workshops: bool = True,
    copy_workshops_from: Edition | None = None,
) -> Edition:
    """Create an edition; the workshops domain gives it the usual ten workshops, one a week, or
    a copy of `copy_workshops_from`'s. It becomes current only when asked and when no other is
    (switching a live edition goes through `switch_preview` and a confirmation)."""
    edition = Edition(
        year=year,
        title=title,
        starts_on=starts_on,
        ends_on=ends_on,
        ceremony_at=ceremony_at,
        ceremony_place=venue_named(ceremony_venue),
        mail_from=mail_from,
        upload_deadline=upload_deadline,
        age_min=age_min,
        age_max=age_max,
        reference_date=reference_date,
        capacity=capacity,
        behind_missed_threshold=behind_missed_threshold,
    )
    validate_edition(edition)
    db.session.add(edition)
    db.session.flush()
    edition_created.send(
        edition,
        with_default_workshops=with_default_workshops,
        copy_workshops_from=copy_workshops_from,
    )
    if make_current:
        set_current_edition(edition)
    return edition
