"""The jury's side: jurors, their scores and comments, the deliberation and the prizes it gives.

Operations add and flush; the caller commits once.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import func, select

from festival.auth.models import Role, User
from festival.awards.models import (
    Award,
    AwardsProgress,
    Criterion,
    JuryReview,
    JuryScore,
)
from festival.awards.prizes import (
    awards_progress_to_change,
    criteria_of,
    require_open_deliberation,
)
from festival.awards.queries import jury_films
from festival.caching import forget_public_pages_after_commit
from festival.clock import utcnow
from festival.editions.models import Edition
from festival.errors import PermissionDenied, ValidationError
from festival.extensions import db
from festival.films.models import Film
from festival.films.publication import Surface, may_see
from festival.text import single_line

MAX_SCORE = 10
MAX_CONFLICT_LENGTH = 200


# Read off a card by a teenager in a dark hall: no 0/O, 1/I/L.
# A juror's comment and declared link with a team: refused beyond these, never cut silently.
MAX_COMMENT_LENGTH = 5000


def jurors() -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .where(User.role == Role.JURY, User.is_enabled)
            .order_by(User.display_name, User.login)
        )
    )


def review_of(juror: User, film: Film) -> JuryReview | None:
    return db.session.scalar(
        select(JuryReview).where(JuryReview.juror_id == juror.id, JuryReview.film_id == film.id)
    )


def scores_of(juror: User, film: Film) -> dict[int, int]:
    rows = db.session.execute(
        select(JuryScore.criterion_id, JuryScore.score).where(
            JuryScore.juror_id == juror.id, JuryScore.film_id == film.id
        )
    )
    return dict(rows.all())


def save_review(
    juror: User,
    film: Film,
    *,
    scores: Mapping[int, int | None],
    comment: str | None = None,
    conflict: str | None = None,
) -> JuryReview:
    """Save what a juror has entered so far: any scores (None clears one), the comment, and a
    declared link with the team (a non-empty `conflict` says which; "" withdraws it).

    Safe to send again: the same values give the same rows (a phone retries on a weak
    connection).
    """
    if juror.role != Role.JURY:
        raise PermissionDenied(_("Seul·es les membres du jury notent les films."))
    if not may_see(Surface.JURY, film):
        raise PermissionDenied(_("Ce film n'est pas retenu pour la cérémonie."))
    require_open_deliberation(film.edition)
    criteria = {c.id for c in criteria_of(film.edition)}
    errors = {}
    for criterion_id, score in scores.items():
        if criterion_id not in criteria:
            errors[f"score-{criterion_id}"] = _("Ce critère n'est pas dans la grille.")
        elif score is not None and not (isinstance(score, int) and 0 <= score <= MAX_SCORE):
            errors[f"score-{criterion_id}"] = _("Une note va de 0 à 10.")
    if comment is not None and len(comment.strip()) > MAX_COMMENT_LENGTH:
        errors["comment"] = _(
            "Le commentaire dépasse %(max)s caractères : raccourcissez-le, rien n'est perdu "
            "de ce qui était déjà enregistré.",
            max=MAX_COMMENT_LENGTH,
        )
    if conflict is not None and len(conflict.strip()) > MAX_CONFLICT_LENGTH:
        errors["conflict"] = _(
            "Décrivez le lien en %(max)s caractères au plus.", max=MAX_CONFLICT_LENGTH
        )
    if errors:
        raise ValidationError(next(iter(errors.values())), fields=errors)
    review = review_of(juror, film) or JuryReview(juror_id=juror.id, film_id=film.id)
    db.session.add(review)
    if comment is not None:
        review.comment = comment.strip()
    if conflict is not None:
        review.conflict = single_line(conflict, field="conflict").strip() or None
    existing = {
        s.criterion_id: s
        for s in db.session.scalars(
            select(JuryScore).where(JuryScore.juror_id == juror.id, JuryScore.film_id == film.id)
        )
    }
    for criterion_id, score in scores.items():
        row = existing.get(criterion_id)
        if score is None:
            if row is not None:
                db.session.delete(row)
        elif row is None:
            db.session.add(
                JuryScore(
                    juror_id=juror.id, film_id=film.id, criterion_id=criterion_id, score=score
                )
            )
        else:
            row.score = score
    db.session.flush()
    return review


@dataclass
class JurorFilm:
    film: Film
    scored: int  # criteria scored
    total: int  # criteria in the grid
    conflict: str | None

    @property
    def is_complete(self) -> bool:
        return self.conflict is not None or self.scored == self.total


def juror_films(juror: User, edition: Edition) -> list[JurorFilm]:
    """The juror's list: every retained film, with how much of the grid they have scored."""
    films = jury_films(edition)
    total = len(criteria_of(edition))
    counts = dict(
        db.session.execute(
            select(JuryScore.film_id, func.count(JuryScore.id))
            .where(JuryScore.juror_id == juror.id)
            .group_by(JuryScore.film_id)
        ).all()
    )
    conflicts = dict(
        db.session.execute(
            select(JuryReview.film_id, JuryReview.conflict).where(JuryReview.juror_id == juror.id)
        ).all()
    )
    return [JurorFilm(f, counts.get(f.id, 0), total, conflicts.get(f.id)) for f in films]


@dataclass
class CriterionResult:
    criterion: Criterion
    mean: float | None
    spread: float | None  # the standard deviation: how much the jurors disagree


@dataclass
class FilmResult:
    film: Film
    criteria: list[CriterionResult]
    total: float | None  # weighted mean of the criteria's means, out of 10
    rank: int | None = None
    tied: bool = False
    missing: list[User] = field(default_factory=list)  # jurors who have not finished
    excluded: list[tuple[User, str]] = field(default_factory=list)  # (juror, declared link)


def deliberation(edition: Edition) -> list[FilmResult]:
    """Each retained film's scores by criterion, its weighted total and its rank.

    A juror who declared a link with the team is left out of that film's result; a juror who
    has not scored every criterion is listed as missing (their scores so far still count).
    """
    criteria = criteria_of(edition)
    films = jury_films(edition)
    panel = jurors()
    film_ids = [f.id for f in films]
    scores: dict[tuple[int, int], dict[int, int]] = defaultdict(dict)  # (film, juror) → scores
    for row in db.session.scalars(select(JuryScore).where(JuryScore.film_id.in_(film_ids))):
        scores[(row.film_id, row.juror_id)][row.criterion_id] = row.score
    conflicts = {
        (r.film_id, r.juror_id): r.conflict
        for r in db.session.scalars(
            select(JuryReview).where(
                JuryReview.film_id.in_(film_ids), JuryReview.conflict.is_not(None)
            )
        )
    }
    results = []
    for film in films:
        counted = [j for j in panel if (film.id, j.id) not in conflicts]
        per_criterion = []
        for criterion in criteria:
            values = [
                scores[(film.id, j.id)][criterion.id]
                for j in counted
                if criterion.id in scores[(film.id, j.id)]
            ]
            per_criterion.append(
                CriterionResult(
                    criterion,
                    statistics.fmean(values) if values else None,
                    statistics.pstdev(values) if len(values) > 1 else (0.0 if values else None),
                )
            )
        weighted = [(c.criterion.weight, c.mean) for c in per_criterion if c.mean is not None]
        total = sum(w * m for w, m in weighted) / sum(w for w, _m in weighted) if weighted else None
        results.append(
            FilmResult(
                film,
                per_criterion,
                round(total, 2) if total is not None else None,
                missing=[j for j in counted if len(scores[(film.id, j.id)]) < len(criteria)],
                excluded=[
                    (j, conflicts[(film.id, j.id)]) for j in panel if (film.id, j.id) in conflicts
                ],
            )
        )
    scored = sorted((r for r in results if r.total is not None), key=lambda r: -r.total)
    for position, result in enumerate(scored, start=1):
        previous = scored[position - 2] if position > 1 else None
        if previous is not None and previous.total == result.total:
            result.rank, result.tied, previous.tied = previous.rank, True, True
        else:
            result.rank = position
    unscored = [r for r in results if r.total is None]
    return scored + unscored


def assign_award(award: Award, film: Film | None, *, mention: str = "") -> Award:
    if film is not None and (
        film.edition_id != award.edition_id or not may_see(Surface.JURY, film)
    ):
        raise ValidationError(_("Ce film n'est pas retenu pour la cérémonie."), field="film")
    award.film = film
    award.mention = (mention or "").strip()[:2000]
    forget_public_pages_after_commit()
    db.session.flush()
    return award


def close_deliberation(edition: Edition, *, closed: bool = True) -> AwardsProgress:
    progress = awards_progress_to_change(edition)
    progress.deliberation_closed_at = utcnow() if closed else None
    db.session.flush()
    return progress
