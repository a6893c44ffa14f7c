"""The palmarès: published by staff once the ceremony has started, read on every public surface.

Operations add and flush; the caller commits once.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import format_datetime
from flask_babel import gettext as _
from sqlalchemy import select

from festival.awards import emails
from festival.awards.models import (
    Award,
    AwardsProgress,
)
from festival.awards.prizes import awards_of, awards_progress_to_change
from festival.caching import forget_public_pages_after_commit
from festival.clock import local_now, utcnow
from festival.editions.models import Edition
from festival.errors import ValidationError
from festival.extensions import db
from festival.films import publication
from festival.films.models import Film
from festival.films.publication import Surface


def palmares_may_be_published(edition: Edition) -> bool:
    """The winners are announced in the room: never before the ceremony starts."""
    return local_now() >= edition.ceremony_at


def publish_palmares(edition: Edition, *, published: bool = True) -> AwardsProgress:
    """Make the palmarès public and email it; refused before the ceremony's start time (staff
    prepare and preview everything until then). Withdrawing it is always possible."""
    progress = awards_progress_to_change(edition)
    if published:
        if not palmares_may_be_published(edition):
            raise ValidationError(
                _(
                    "Le palmarès ne peut être publié qu'à partir du début de la cérémonie, "
                    "le %(when)s : préparez-le et prévisualisez-le d'ici là.",
                    when=format_datetime(
                        edition.ceremony_at, "EEEE d MMMM y 'à' HH:mm", rebase=False
                    ),
                )
            )
        if progress.deliberation_closed_at is None:
            raise ValidationError(_("Clôturez d'abord la délibération du jury."))
        if not any(a.film_id for a in awards_of(edition)):
            raise ValidationError(_("Aucun prix n'est encore attribué."))
    progress.palmares_published_at = utcnow() if published else None
    forget_public_pages_after_commit()
    db.session.flush()
    if published:
        emails.tell_palmares(edition, palmares(edition))
    return progress


def is_palmares_published(edition: Edition) -> bool:
    progress = db.session.scalar(
        select(AwardsProgress).where(AwardsProgress.edition_id == edition.id)
    )
    return progress is not None and progress.palmares_published_at is not None


def palmares(edition: Edition) -> list[Award]:
    """The awards given, in the order staff set: what the public page and the API show."""
    return [award for award in awards_of(edition) if award.film is not None]


@dataclass
class PalmaresEntry:
    award: Award
    film: Film
    title: str
    team: list[str]  # first name and initial, never more


def palmares_entries(edition: Edition) -> list[PalmaresEntry]:
    return [
        PalmaresEntry(
            award,
            award.film,
            publication.shown_title(award.film),
            [
                publication.credit_name(Surface.PUBLIC, p)
                for p, _roles in publication.credits_for(Surface.PUBLIC, award.film)
            ],
        )
        for award in palmares(edition)
    ]
