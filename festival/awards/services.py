"""The awards' operations: the grid and the prizes, the jury's scores, the deliberation, the
audience vote and the palmarès.

Operations add and flush; the caller commits once (a ballot commits itself: it must be
accepted or refused as a whole, at once, whatever other phones do at the same moment).
"""

from __future__ import annotations

import secrets
import statistics
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from festival.auth.models import Role, User
from festival.awards import emails
from festival.awards.majority import Ranked, rank
from festival.awards.models import (
    Award,
    AwardKind,
    Ballot,
    BallotCode,
    BallotGrade,
    Ceremony,
    Criterion,
    Grade,
    JuryReview,
    JuryScore,
    VoteStatus,
)
from festival.awards.queries import ceremony_films, jury_films
from festival.caching import forget_public_pages_after_commit
from festival.clock import local_now, utcnow
from festival.editions.models import Edition
from festival.errors import PermissionDenied, ValidationError
from festival.extensions import db
from festival.films import publication
from festival.films.models import Film
from festival.films.publication import Surface, may_see
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
MAX_SCORE = 10
MAX_CODES_AT_ONCE = 2000
# Read off a card by a teenager in a dark hall: no 0/O, 1/I/L.
# A juror's comment and declared link with a team: refused beyond these, never cut silently.
MAX_COMMENT_LENGTH = 5000
MAX_CONFLICT_LENGTH = 200
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


# ---------------------------------------------------------------- the ceremony and its grid


def ceremony_for(edition: Edition) -> Ceremony:
    """The edition's awards record; the first time, with the usual grid and prizes to adjust."""
    ceremony = db.session.scalar(select(Ceremony).where(Ceremony.edition_id == edition.id))
    if ceremony is not None:
        return ceremony
    ceremony = Ceremony(edition_id=edition.id)
    db.session.add(ceremony)
    for position, name in enumerate(DEFAULT_CRITERIA):
        db.session.add(Criterion(edition_id=edition.id, name=str(name), position=position))
    for position, (name, kind) in enumerate(DEFAULT_AWARDS):
        db.session.add(Award(edition_id=edition.id, name=str(name), kind=kind, position=position))
    db.session.flush()
    return ceremony


def criteria_of(edition: Edition) -> list[Criterion]:
    ceremony_for(edition)
    return list(
        db.session.scalars(
            select(Criterion)
            .where(Criterion.edition_id == edition.id)
            .order_by(Criterion.position, Criterion.id)
        )
    )


def awards_of(edition: Edition) -> list[Award]:
    ceremony_for(edition)
    return list(
        db.session.scalars(
            select(Award).where(Award.edition_id == edition.id).order_by(Award.position, Award.id)
        )
    )


def _require_open_deliberation(edition: Edition) -> None:
    if ceremony_for(edition).deliberation_closed_at is not None:
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
    if ceremony_for(award.edition).palmares_published_at is not None:
        raise ValidationError(_("Le palmarès est publié : retirez-le avant de supprimer un prix."))
    db.session.delete(award)
    db.session.flush()


def set_criteria(edition: Edition, weights: Mapping[int, float], *, new: str = "") -> None:
    """Change the grid's weights, and add a criterion when `new` names one."""
    _require_open_deliberation(edition)
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
    _require_open_deliberation(edition)
    if len(criteria_of(edition)) <= 1:
        raise ValidationError(_("La grille garde au moins un critère."))
    db.session.delete(criterion)
    db.session.flush()


# ---------------------------------------------------------------- the jury's scores


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
    _require_open_deliberation(film.edition)
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


# ---------------------------------------------------------------- the deliberation


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


def close_deliberation(edition: Edition, *, closed: bool = True) -> Ceremony:
    ceremony = ceremony_for(edition)
    ceremony.deliberation_closed_at = utcnow() if closed else None
    db.session.flush()
    return ceremony


# ---------------------------------------------------------------- the audience vote


class VoteRefused(Exception):
    """A ballot refused: the HTTP status, the sentence and the field to name."""

    def __init__(self, status: int, message: str, code: str, field: str | None = None):
        super().__init__(message)
        self.status, self.message, self.code, self.field = status, message, code, field


def normalise_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def format_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def generate_codes(edition: Edition, count: int) -> list[str]:
    """`count` new ballot codes for the edition, one per printed card."""
    if not 1 <= count <= MAX_CODES_AT_ONCE:
        raise ValidationError(
            _("Demandez entre 1 et %(max)s codes à la fois.", max=MAX_CODES_AT_ONCE),
            field="count",
        )
    ceremony_for(edition)
    codes: set[str] = set()
    while len(codes) < count:
        batch = {
            "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
            for _ in range(count - len(codes))
        }
        taken = set(db.session.scalars(select(BallotCode.code).where(BallotCode.code.in_(batch))))
        codes |= batch - taken
    db.session.add_all(BallotCode(edition_id=edition.id, code=code) for code in codes)
    db.session.flush()
    return sorted(codes)


def edition_of_code(code: str) -> Edition | None:
    found = db.session.scalar(select(BallotCode).where(BallotCode.code == normalise_code(code)))
    return db.session.get(Edition, found.edition_id) if found is not None else None


def code_is_used(code: str) -> bool:
    return (
        db.session.scalar(
            select(Ballot.id)
            .join(BallotCode, BallotCode.id == Ballot.code_id)
            .where(BallotCode.code == normalise_code(code))
        )
        is not None
    )


def codes_count(edition: Edition) -> int:
    return db.session.scalar(
        select(func.count(BallotCode.id)).where(BallotCode.edition_id == edition.id)
    )


def ballots_count(edition: Edition) -> int:
    return db.session.scalar(select(func.count(Ballot.id)).where(Ballot.edition_id == edition.id))


def set_vote_status(edition: Edition, status: VoteStatus) -> Ceremony:
    ceremony = ceremony_for(edition)
    if status == VoteStatus.OPEN:
        if not ceremony_films(edition):
            raise ValidationError(_("Aucun film n'est au programme de la cérémonie."))
        ceremony.vote_opened_at = ceremony.vote_opened_at or utcnow()
        ceremony.vote_closed_at = None
    elif status == VoteStatus.CLOSED:
        if ceremony.vote_status != VoteStatus.OPEN:
            raise ValidationError(_("Le vote n'est pas ouvert."))
        ceremony.vote_closed_at = utcnow()
    ceremony.vote_status = status
    db.session.flush()
    if status == VoteStatus.CLOSED:
        _give_the_audience_awards(edition)
    return ceremony


def _give_the_audience_awards(edition: Edition) -> None:
    """The vote's single winner gets the audience prizes; a tie at the top is left to staff."""
    results = vote_results(edition)
    winners = [r for r in results.films if r.rank == 1]
    if len(winners) != 1:
        return
    for award in awards_of(edition):
        if award.kind == AwardKind.AUDIENCE and award.film_id is None:
            award.film_id = winners[0].film.id
    db.session.flush()


def cast_ballot(code: str, grades: Mapping[str, str]) -> Ballot:
    """Record a ballot, committed at once; refuses with VoteRefused (nothing is kept).

    Every film of the ceremony must be graded, and only those. The code's uniqueness is the
    database's: two phones sending the same card at the same moment get one ballot and one
    409.
    """
    found = db.session.scalar(select(BallotCode).where(BallotCode.code == normalise_code(code)))
    if found is None:
        raise VoteRefused(
            404, _("Ce code n'existe pas : vérifiez-le sur votre carte."), "unknown_code", "code"
        )
    edition = db.session.get(Edition, found.edition_id)
    ceremony = ceremony_for(edition)
    if ceremony.vote_status != VoteStatus.OPEN:
        message = (
            _("Le vote est clos : merci d'avoir participé !")
            if ceremony.vote_status == VoteStatus.CLOSED
            else _("Le vote n'est pas encore ouvert : attendez le signal dans la salle.")
        )
        raise VoteRefused(409, message, "vote_not_open")
    if db.session.scalar(select(Ballot.id).where(Ballot.code_id == found.id)) is not None:
        raise VoteRefused(409, _("Ce code a déjà voté."), "code_used", "code")
    films = {str(f.id): f for f in ceremony_films(edition)}
    for film_id, grade in grades.items():
        if film_id not in films:
            raise VoteRefused(
                422,
                _("Ce film n'est pas au programme de la cérémonie."),
                "unknown_film",
                f"grades.{film_id}",
            )
        if grade not in set(Grade):
            raise VoteRefused(
                422,
                _("Choisissez une mention pour chaque film."),
                "invalid_grade",
                f"grades.{film_id}",
            )
    for film_id, film in films.items():
        if film_id not in grades:
            raise VoteRefused(
                422,
                _(
                    "Donnez une mention au film « %(title)s ».",
                    title=publication.shown_title(film),
                ),
                "missing_grade",
                f"grades.{film_id}",
            )
    ballot = Ballot(
        code_id=found.id,
        edition_id=edition.id,
        grades=[BallotGrade(film_id=int(f), grade=Grade(g)) for f, g in grades.items()],
    )
    db.session.add(ballot)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise VoteRefused(409, _("Ce code a déjà voté."), "code_used", "code") from None
    return ballot


@dataclass
class FilmVote:
    film: Film
    rank: int
    median: Grade | None
    profile: dict[Grade, int]


@dataclass
class VoteResults:
    ballots: int
    films: list[FilmVote]


def vote_results(edition: Edition) -> VoteResults:
    """The audience's ranking by majority judgment, with each film's merit profile."""
    films = {f.id: f for f in ceremony_films(edition)}
    counts = db.session.execute(
        select(BallotGrade.film_id, BallotGrade.grade, func.count())
        .join(Ballot, Ballot.id == BallotGrade.ballot_id)
        .where(Ballot.edition_id == edition.id)
        .group_by(BallotGrade.film_id, BallotGrade.grade)
    )
    grades: dict[int, list[int]] = {film_id: [] for film_id in films}
    for film_id, grade, count in counts:
        if film_id in grades:
            grades[film_id].extend([Grade(grade).rank] * count)
    ballots = ballots_count(edition)
    levels = list(Grade)
    ranked: list[Ranked] = rank(grades, len(levels))
    return VoteResults(
        ballots,
        [
            FilmVote(
                films[r.key],
                r.rank,
                levels[r.median] if r.median is not None else None,
                dict(zip(levels, r.profile, strict=True)),
            )
            for r in ranked
        ],
    )


# ---------------------------------------------------------------- the palmarès


def palmares_may_be_published(edition: Edition) -> bool:
    """The winners are announced in the room: never before the ceremony starts."""
    return local_now() >= edition.ceremony_at


def publish_palmares(edition: Edition, *, published: bool = True) -> Ceremony:
    """Make the palmarès public and email it; refused before the ceremony's start time (staff
    prepare and preview everything until then). Withdrawing it is always possible."""
    ceremony = ceremony_for(edition)
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
        if ceremony.deliberation_closed_at is None:
            raise ValidationError(_("Clôturez d'abord la délibération du jury."))
        if not any(a.film_id for a in awards_of(edition)):
            raise ValidationError(_("Aucun prix n'est encore attribué."))
    ceremony.palmares_published_at = utcnow() if published else None
    forget_public_pages_after_commit()
    db.session.flush()
    if published:
        emails.tell_palmares(edition, palmares(edition))
    return ceremony


def is_palmares_published(edition: Edition) -> bool:
    ceremony = db.session.scalar(select(Ceremony).where(Ceremony.edition_id == edition.id))
    return ceremony is not None and ceremony.palmares_published_at is not None


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
