"""What the films domain writes to a team: the check's result of a new version, and staff's
decision about the screening."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from festival.editions.models import Edition
from festival.extensions import db
from festival.films import publication
from festival.films.models import Film, FilmVersion, ReviewDecision, VersionStatus
from festival.mail.services import queue_email
from festival.people.models import Participant
from festival.responses import absolute_url


def _team(film: Film) -> list[Participant]:
    seen: dict[int, Participant] = {}
    for member in film.members:
        person = member.participant
        if person.id not in seen and person.email and not person.is_erased:
            seen[person.id] = person
    return list(seen.values())


def tell_check_result(version: FilmVersion) -> None:
    film = version.film
    problems = [p.get("message", "") for p in (version.report or {}).get("problems", [])]
    for person in _team(film):
        queue_email(
            person.email,
            "film_checked",
            language=person.language,
            first_name=person.first_name,
            film_title=film.title,
            number=version.number,
            valid=version.status == VersionStatus.VALID,
            problems=problems,
            film_url=absolute_url("films.film_detail", film_id=film.id),
            edition=film.edition,
        )


def tell_decision(film: Film) -> None:
    for person in _team(film):
        queue_email(
            person.email,
            "film_decision",
            language=person.language,
            first_name=person.first_name,
            film_title=publication.shown_title(film),
            selected=film.decision == ReviewDecision.SELECTED,
            note=film.decision_note,
            film_url=absolute_url("films.film_detail", film_id=film.id),
            edition=film.edition,
        )


DEADLINE_REMINDER = "upload_deadline_reminder"
DEADLINE_REMINDER_DAYS = (7, 2)  # a week before the deadline, and two days before


def send_deadline_reminders(edition: Edition, today: date) -> int:
    """A week and two days before the upload deadline, teams without a valid film hear of it."""
    days_left = (edition.upload_deadline.date() - today).days
    if days_left not in DEADLINE_REMINDER_DAYS:
        return 0
    sent = 0
    films = db.session.scalars(select(Film).where(Film.edition_id == edition.id)).all()
    for film in films:
        current = film.current_version
        if current is not None and current.status == VersionStatus.VALID:
            continue
        for person in _team(film):
            queued = queue_email(
                person.email,
                DEADLINE_REMINDER,
                language=person.language,
                optional=True,
                first_name=person.first_name,
                film_title=film.title,
                days_left=days_left,
                deadline=edition.upload_deadline,
                film_url=absolute_url("films.film_detail", film_id=film.id),
                edition=edition,
            )
            sent += queued is not None
    db.session.flush()
    return sent
