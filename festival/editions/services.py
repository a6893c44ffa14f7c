"""Editions: which one is current, creating one, the rules its dates and ages follow.

Operations add and flush; the caller commits once.
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import select

from festival.editions.models import Edition
from festival.editions.signals import edition_created
from festival.errors import NotFound, ValidationError
from festival.extensions import db


def current_edition() -> Edition | None:
    return db.session.scalar(select(Edition).where(Edition.is_current.is_(True)))


def require_current_edition() -> Edition:
    edition = current_edition()
    if edition is None:
        raise NotFound(_("Aucune édition n'est en cours : l'équipe doit d'abord en créer une."))
    return edition


def set_current_edition(edition: Edition) -> Edition:
    for other in db.session.scalars(select(Edition).where(Edition.is_current.is_(True))):
        if other.id != edition.id:
            other.is_current = False
    db.session.flush()  # the database allows one current edition: clear before setting
    edition.is_current = True
    db.session.flush()
    return edition


def validate_edition(edition: Edition) -> None:
    errors: dict[str, str] = {}
    if (
        edition.age_min is not None
        and edition.age_max is not None
        and edition.age_min > edition.age_max
    ):
        errors["age_max"] = _("L'âge maximum doit être supérieur ou égal à l'âge minimum.")
    if edition.starts_on and edition.ends_on and edition.ends_on < edition.starts_on:
        errors["ends_on"] = _("La fin de l'édition doit venir après son début.")
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
) -> Edition:
    """Create an edition; by default the workshops domain gives it ten workshops, one a week."""
    edition = Edition(
        year=year,
        title=title,
        starts_on=starts_on,
        ends_on=ends_on,
        ceremony_at=ceremony_at,
        ceremony_venue=ceremony_venue,
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
    edition_created.send(edition, with_default_workshops=with_default_workshops)
    if make_current:
        set_current_edition(edition)
    return edition
