"""The awards' frame for an edition: its record (AwardsProgress), the jury's grid and the prizes.

Operations add and flush; the caller commits once.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from festival.awards.models import (
    Award,
    AwardKind,
    AwardsProgress,
    Criterion,
    VoteStatus,
)
from festival.editions.models import Edition
from festival.editions.signals import edition_created
from festival.errors import ValidationError
from festival.extensions import db
from festival.text import single_line

DEFAULT_CRITERIA = [
    _l("Scénario"),
    _l("Image"),
    _l("Son"),
    _l("Montage"),
    _l("Interprétation"),
    _l("Originalité"),
]
DEFAULT_AWARDS = [
    (_l("Grand prix du jury"), AwardKind.JURY),
    (_l("Prix du public"), AwardKind.AUDIENCE),
    (_l("Prix du scénario"), AwardKind.JURY),
    (_l("Prix de la bande-son"), AwardKind.JURY),
]


@edition_created.connect
def set_up_the_awards(edition: Edition, **_) -> None:
    """A new edition starts with the usual grid and prizes, for staff to adjust, named in the
    festival's own language whatever the language of the person who created it."""
    db.session.add(_fresh_progress(edition))
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        for position, name in enumerate(DEFAULT_CRITERIA):
            db.session.add(Criterion(edition_id=edition.id, name=str(name), position=position))
        for position, (name, kind) in enumerate(DEFAULT_AWARDS):
            db.session.add(
                Award(edition_id=edition.id, name=str(name), kind=kind, position=position)
            )
    db.session.flush()


def awards_progress(edition: Edition) -> AwardsProgress:
    """Where the edition's awards stand, to read: an edition without a record yet reads as a
    fresh one, and nothing is written by reading (pages that show it are GETs)."""
    return _stored_progress(edition) or _fresh_progress(edition)


def awards_progress_to_change(edition: Edition) -> AwardsProgress:
    """The edition's awards record, to change: added the first time it is needed."""
    found = _stored_progress(edition)
    if found is None:
        found = _fresh_progress(edition)
        db.session.add(found)
        db.session.flush()
    return found


def _stored_progress(edition: Edition) -> AwardsProgress | None:
    return db.session.scalar(select(AwardsProgress).where(AwardsProgress.edition_id == edition.id))


def _fresh_progress(edition: Edition) -> AwardsProgress:
    return AwardsProgress(edition_id=edition.id, vote_status=VoteStatus.NOT_OPEN)


def criteria_of(edition: Edition) -> list[Criterion]:
    return list(
        db.session.scalars(
            select(Criterion)
            .where(Criterion.edition_id == edition.id)
            .order_by(Criterion.position, Criterion.id)
        )
    )


def awards_of(edition: Edition) -> list[Award]:
    return list(
        db.session.scalars(
            select(Award).where(Award.edition_id == edition.id).order_by(Award.position, Award.id)
        )
    )


def require_open_deliberation(edition: Edition) -> None:
    if awards_progress(edition).deliberation_closed_at is not None:
        raise ValidationError(
            _("La délibération est close : rouvrez-la avant de changer la grille ou les notes.")
        )


def add_award(edition: Edition, *, name: str, kind: AwardKind) -> Award:
    name = single_line(name or "", field="name").strip()
    if not name:
        raise ValidationError(_("Donnez un nom au prix."), field="name")
    if any(a.name.lower() == name.lower() for a in awards_of(edition)):
        raise ValidationError(_("Ce prix existe déjà pour cette édition."), field="name")
    award = Award(edition_id=edition.id, name=name, kind=kind, position=len(awards_of(edition)))
    db.session.add(award)
    db.session.flush()
    return award


def remove_award(award: Award) -> None:
    if awards_progress(award.edition).palmares_published_at is not None:
        raise ValidationError(_("Le palmarès est publié : retirez-le avant de supprimer un prix."))
    db.session.delete(award)
    db.session.flush()


def set_criteria(edition: Edition, weights: Mapping[int, float], *, new: str = "") -> None:
    """Change the grid's weights, and add a criterion when `new` names one."""
    require_open_deliberation(edition)
    criteria = {c.id: c for c in criteria_of(edition)}
    for criterion_id, weight in weights.items():
        if criterion_id not in criteria:
            continue
        if weight is None or not 0 < weight <= 10:
            raise ValidationError(
                _("Un coefficient va de 0,1 à 10."), field=f"weight-{criterion_id}"
            )
        criteria[criterion_id].weight = float(weight)
    new = single_line(new or "", field="new").strip()
    if new:
        if any(c.name.lower() == new.lower() for c in criteria.values()):
            raise ValidationError(_("Ce critère existe déjà."), field="new")
        db.session.add(Criterion(edition_id=edition.id, name=new, position=len(criteria)))
    db.session.flush()


def remove_criterion(criterion: Criterion, edition: Edition) -> None:
    require_open_deliberation(edition)
    if len(criteria_of(edition)) <= 1:
        raise ValidationError(_("La grille garde au moins un critère."))
    db.session.delete(criterion)
    db.session.flush()
