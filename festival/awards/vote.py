"""The audience vote: printed codes, ballots graded by majority judgment, results and the
audience's prizes. A ballot commits itself: accepted or refused whole, whatever other phones do.

Operations add and flush; the caller commits once.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from festival.awards.majority import Ranked, rank
from festival.awards.models import (
    AwardKind,
    AwardsProgress,
    Ballot,
    BallotCode,
    BallotGrade,
    Grade,
    VoteStatus,
)
from festival.awards.prizes import awards_of, awards_progress, awards_progress_to_change
from festival.awards.queries import ceremony_films
from festival.clock import utcnow
from festival.editions.models import Edition
from festival.errors import ValidationError
from festival.extensions import db
from festival.films import publication
from festival.films.models import Film
from festival.programme.signals import film_added_to_ceremony

MAX_CODES_AT_ONCE = 2000
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


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


def set_vote_status(edition: Edition, status: VoteStatus) -> AwardsProgress:
    progress = awards_progress_to_change(edition)
    if status == VoteStatus.OPEN:
        if not ceremony_films(edition):
            raise ValidationError(_("Aucun film n'est au programme de la cérémonie."))
        progress.vote_opened_at = progress.vote_opened_at or utcnow()
        progress.vote_closed_at = None
    elif status == VoteStatus.CLOSED:
        if progress.vote_status != VoteStatus.OPEN:
            raise ValidationError(_("Le vote n'est pas ouvert."))
        progress.vote_closed_at = utcnow()
    progress.vote_status = status
    db.session.flush()
    _give_the_audience_awards(edition, closed=status == VoteStatus.CLOSED)
    return progress


def _give_the_audience_awards(edition: Edition, *, closed: bool) -> None:
    """The audience prizes follow the vote: each closing gives them to its single winner (a
    tie at the top is left to staff), each reopening takes them back until the next closing."""
    winners = [r for r in vote_results(edition).films if r.rank == 1] if closed else []
    for award in awards_of(edition):
        if award.kind == AwardKind.AUDIENCE:
            award.film_id = winners[0].film.id if len(winners) == 1 else None
    db.session.flush()


@film_added_to_ceremony.connect
def warn_when_the_vote_is_open(edition: Edition, *, film: Film, **_) -> str | None:
    """A film joining an open vote: the ballots already cast did not grade it."""
    if awards_progress(edition).vote_status != VoteStatus.OPEN:
        return None
    cast = ballots_count(edition)
    if not cast:
        return None
    return ngettext(
        "Le vote du public est ouvert : « %(title)s » y entre maintenant. Le bulletin déjà "
        "reçu ne l'a pas noté ; au jugement majoritaire, il compte « À rejeter » pour lui. "
        "Prévenez la salle, ou retirez le film du programme avant que d'autres votent.",
        "Le vote du public est ouvert : « %(title)s » y entre maintenant. Les %(num)s "
        "bulletins déjà reçus ne l'ont pas noté ; au jugement majoritaire, chacun compte "
        "« À rejeter » pour lui. Prévenez la salle, ou retirez le film du programme avant que "
        "d'autres votent.",
        cast,
        title=publication.shown_title(film),
    )


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
    progress = awards_progress(edition)
    if progress.vote_status != VoteStatus.OPEN:
        message = (
            _("Le vote est clos : merci d'avoir participé !")
            if progress.vote_status == VoteStatus.CLOSED
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
    # Ballots cast before the film joined the vote: their missing grade counts « À rejeter »
    # (majority judgment's rule), so every film is judged on every ballot.
    missing: int = 0
    # Tied with the film above on the majority grade, and placed after it by the usual rule
    # (one majority grade removed from each, again until they differ).
    after_tie_break: bool = False


@dataclass
class VoteResults:
    ballots: int
    films: list[FilmVote]


def vote_results(edition: Edition) -> VoteResults:
    """The audience's ranking by majority judgment, with each film's merit profile.

    Every film is judged on every ballot: a ballot cast before a film joined the vote gave it
    no grade, which counts as the lowest, « À rejeter ». Otherwise a late film would be ranked
    on fewer voters, its few early fans weighing as much as the whole hall.
    """
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
    missing = {film_id: ballots - len(given) for film_id, given in grades.items()}
    ranked: list[Ranked] = rank(grades, len(levels), voters=ballots)
    return VoteResults(
        ballots,
        [
            FilmVote(
                films[r.key],
                r.rank,
                levels[r.median] if r.median is not None else None,
                dict(zip(levels, r.profile, strict=True)),
                missing=missing[r.key],
                after_tie_break=(
                    previous is not None and r.rank != previous.rank and r.median == previous.median
                ),
            )
            for previous, r in zip([None, *ranked], ranked, strict=False)
        ],
    )
