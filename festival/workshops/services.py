"""Workshops, the roll call and who is on track.

Just over 400 lines: the roll call and the progress it feeds are one subject, kept together.

Operations add and flush; the caller commits once.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from functools import cached_property

from flask import current_app
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from festival.auth.models import User
from festival.clock import local_now, utcnow
from festival.editions.models import Edition
from festival.editions.signals import (
    edition_agenda_asked,
    edition_created,
    edition_dates_checked,
)
from festival.errors import PermissionDenied, ValidationError
from festival.extensions import db
from festival.people.models import Participant, ParticipantStatus
from festival.people.queries import edition_participants
from festival.people.signals import participant_page_requested
from festival.workshops.labels import ATTENDANCE_LABELS
from festival.workshops.models import Attendance, AttendanceStatus, Workshop

# The ten workshops of a typical edition: (title, theme).
DEFAULT_WORKSHOPS = [
    (_l("Du désir au pitch : trouver son histoire"), _l("scénario")),
    (_l("Écrire un court métrage"), _l("scénario")),
    (_l("Le storyboard, dessiner avant de filmer"), _l("storyboard")),
    (_l("Cadrer avec un smartphone"), _l("prise de vue")),
    (_l("Lumière naturelle et lumière d'appoint"), _l("prise de vue")),
    (_l("Diriger des comédien·nes"), _l("jeu d'acteur")),
    (_l("Prendre le son sur le tournage"), _l("son")),
    (_l("Monter son film"), _l("montage")),
    (_l("Musique, bruitages et mixage"), _l("son")),
    (_l("Étalonnage, génériques et export"), _l("montage")),
]


@edition_created.connect
def add_default_workshops(
    edition: Edition,
    *,
    with_default_workshops: bool = True,
    copy_workshops_from: Edition | None = None,
    **_,
) -> None:
    """A new edition starts with last year's workshops when staff ask for them, else with the
    usual ten, one a week from its first day."""
    if copy_workshops_from is not None:
        copy_workshops(copy_workshops_from, edition)
        return
    if not with_default_workshops:
        return
    # Named in the festival's own language, whatever the language of who created the edition.
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        for number, (workshop_title, theme) in enumerate(DEFAULT_WORKSHOPS, start=1):
            day = edition.starts_on + timedelta(weeks=number - 1)
            starts_at = datetime.combine(day, time(14, 0))
            edition.workshops.append(
                Workshop(
                    number=number,
                    title=str(workshop_title),
                    theme=str(theme),
                    starts_at=starts_at,
                    ends_at=starts_at + timedelta(hours=3),
                    room="",
                )
            )
    db.session.flush()


@edition_dates_checked.connect
def workshops_outside_the_dates(edition: Edition, **_kwargs) -> dict[str, str]:
    """The workshops that new edition dates would leave outside, or after the ceremony."""
    workshops = list(edition.workshops)
    problems: dict[str, str] = {}
    if workshops and edition.starts_on and edition.ends_on:
        outside = [
            w
            for w in workshops
            if w.starts_at.date() < edition.starts_on or w.starts_at.date() > edition.ends_on
        ]
        if outside:
            problems["starts_on"] = _(
                "Les ateliers %(numbers)s tombent en dehors de l'édition : déplacez-les ou "
                "changez les dates de l'édition.",
                numbers=", ".join(str(w.number) for w in outside),
            )
    if workshops and edition.ceremony_at:
        last = max(workshops, key=lambda w: w.starts_at)
        if last.ends_at > edition.ceremony_at:
            problems["ceremony_at"] = _(
                "La cérémonie doit venir après le dernier atelier (n°%(n)s, le %(day)s).",
                n=last.number,
                day=format_date(last.starts_at.date(), "d MMMM y"),
            )
    return problems


@edition_agenda_asked.connect
def workshops_to_come(edition: Edition, *, now: datetime, **_kwargs) -> dict:
    return {
        "workshops_to_come": sum(1 for w in edition.workshops if w.ends_at > now),
        "next_workshop": next_workshop(edition, now),
    }


def next_workshop(edition: Edition, now: datetime) -> Workshop | None:
    """The first workshop not started yet (what a message points a teen to)."""
    return next((w for w in edition.workshops if w.starts_at >= now), None)


def copy_workshops(source: Edition, target: Edition) -> list[Workshop]:
    """Another edition's workshops (titles, themes, descriptions, rooms, facilitators), on the
    same weekdays and hours of the new season: each moved by the whole weeks between the two
    editions' first days."""
    weeks = round((target.starts_on - source.starts_on).days / 7)
    shift = timedelta(weeks=weeks)
    copies = []
    for workshop in source.workshops:
        copy = Workshop(
            number=workshop.number,
            title=workshop.title,
            theme=workshop.theme,
            description=workshop.description,
            starts_at=workshop.starts_at + shift,
            ends_at=workshop.ends_at + shift,
            room=workshop.room,
            facilitator_id=workshop.facilitator_id,
        )
        target.workshops.append(copy)
        copies.append(copy)
    db.session.flush()
    return copies


def validate_workshop(workshop: Workshop) -> None:
    errors: dict[str, str] = {}
    with db.session.no_autoflush:  # loading the edition must not write the values checked
        edition = workshop.edition
    if edition is not None and workshop.starts_at:
        if not edition.starts_on <= workshop.starts_at.date() <= edition.ends_on:
            errors["starts_at"] = _(
                "L'atelier doit avoir lieu pendant l'édition, du %(start)s au %(end)s.",
                start=format_date(edition.starts_on, "d MMMM y"),
                end=format_date(edition.ends_on, "d MMMM y"),
            )
        elif workshop.ends_at and workshop.ends_at > edition.ceremony_at:
            errors["starts_at"] = _("L'atelier doit finir avant la cérémonie.")
    if workshop.starts_at and workshop.ends_at and workshop.ends_at <= workshop.starts_at:
        errors["ends_at"] = _("L'atelier doit finir après avoir commencé.")
    with db.session.no_autoflush:  # the workshop may hold the very values being checked
        clash = db.session.scalar(
            select(Workshop.id).where(
                Workshop.edition_id == workshop.edition_id,
                Workshop.number == workshop.number,
                Workshop.id != (workshop.id or 0),
            )
        )
    if clash:
        errors["number"] = _("Un autre atelier porte déjà le numéro %(n)s.", n=workshop.number)
    if workshop.facilitator is not None and workshop.facilitator.role.value not in (
        "facilitator",
        "staff",
        "admin",
    ):
        errors["facilitator_id"] = _("L'intervenant·e doit avoir un compte d'animation.")
    if errors:
        raise ValidationError(next(iter(errors.values())), fields=errors)


def delete_workshop(workshop: Workshop) -> None:
    """Remove a workshop added by mistake; one whose roll was taken keeps its history."""
    if workshop.attendances:
        raise ValidationError(
            _(
                "L'appel de cet atelier a déjà été fait : il ne peut plus être supprimé. "
                "Modifiez plutôt sa date ou son titre."
            ),
            code="has_attendance",
        )
    db.session.delete(workshop)
    db.session.flush()


def next_workshop_number(edition: Edition) -> int:
    return max((w.number for w in edition.workshops), default=0) + 1


# Facilitators mark early arrivals: the roll opens a little before the workshop starts.
ROLL_OPENS_BEFORE = timedelta(minutes=30)


def roll_opens_at(workshop: Workshop) -> datetime:
    return workshop.starts_at - ROLL_OPENS_BEFORE


def roll_is_open(workshop: Workshop, now: datetime | None = None) -> bool:
    return (now or local_now()) >= roll_opens_at(workshop)


def can_take_roll(user: User, workshop: Workshop) -> bool:
    if not user.is_authenticated:
        return False
    facilitator = workshop.facilitator
    return user.is_staff or (facilitator is not None and facilitator.id == user.id)


def roll_participants(edition: Edition) -> list[Participant]:
    """Who is expected at the workshops: confirmed participants, by name (a roll call shows
    no consent: none are read)."""
    return edition_participants(edition, status=ParticipantStatus.CONFIRMED, with_consents=False)


def attendance_sheet(workshop: Workshop) -> dict[int, AttendanceStatus]:
    """Each marked person's mark, read as plain rows (a roll of 2,000 is 2,000 of them)."""
    return attendance_sheets(workshop.edition, [workshop])[workshop.id]


def marks_count(edition: Edition) -> dict[int, int]:
    """How many marks each workshop of the edition holds (0 before its roll call), in one
    query: the workshop lists showed it by loading every mark (10,000 at 2,000 people)."""
    rows = db.session.execute(
        select(Attendance.workshop_id, func.count(Attendance.id))
        .join(Workshop)
        .where(Workshop.edition_id == edition.id)
        .group_by(Attendance.workshop_id)
    )
    counts = dict.fromkeys((w.id for w in edition.workshops), 0)
    counts.update(dict(rows.all()))
    return counts


def attendance_sheets(
    edition: Edition, workshops: list[Workshop] | None = None
) -> dict[int, dict[int, AttendanceStatus]]:
    """{workshop id: {participant id: mark}} for these workshops (all of the edition's), in
    one query."""
    workshops = list(edition.workshops) if workshops is None else workshops
    sheets: dict[int, dict[int, AttendanceStatus]] = {w.id: {} for w in workshops}
    rows = db.session.execute(
        select(Attendance.workshop_id, Attendance.participant_id, Attendance.status).where(
            Attendance.workshop_id.in_(list(sheets))
        )
    )
    for workshop_id, participant_id, status in rows:
        sheets[workshop_id][participant_id] = status
    return sheets


def save_attendance(
    workshop: Workshop, marks: dict[int, AttendanceStatus], *, recorded_by: User
) -> dict[int, AttendanceStatus]:
    """Replace the workshop's whole sheet with these marks, in one transaction.

    A participant left out of `marks` has no mark any more. Refuses the whole sheet if one
    entry names someone who is not an expected participant of the edition.
    """
    if not can_take_roll(recorded_by, workshop):
        raise PermissionDenied(_("Seuls l'équipe et l'intervenant·e de cet atelier font l'appel."))
    if not roll_is_open(workshop):
        raise ValidationError(
            _(
                "Cet atelier n'a pas encore eu lieu : l'appel s'ouvre le %(day)s à %(hour)s.",
                day=format_date(workshop.starts_at.date(), "long"),
                hour=f"{roll_opens_at(workshop):%H:%M}",
            ),
            code="not_started",
        )
    expected = {p.id for p in roll_participants(workshop.edition)}
    already_marked = {a.participant_id for a in workshop.attendances}
    unknown = [pid for pid in marks if pid not in expected and pid not in already_marked]
    if unknown:
        raise ValidationError(
            _(
                "La feuille cite des personnes qui ne sont pas inscrites à cette édition "
                "(n° %(ids)s). Rechargez la page pour avoir la liste à jour.",
                ids=", ".join(str(i) for i in unknown),
            ),
            fields={str(pid): _("Personne inconnue pour cet atelier.") for pid in unknown},
            code="unknown_participant",
        )
    now = utcnow()
    by_participant = {a.participant_id: a for a in workshop.attendances}
    for participant_id, attendance in list(by_participant.items()):
        if participant_id not in marks:
            workshop.attendances.remove(attendance)
    for participant_id, status in marks.items():
        attendance = by_participant.get(participant_id)
        if attendance is None:
            workshop.attendances.append(
                Attendance(
                    participant_id=participant_id,
                    status=status,
                    recorded_by_id=recorded_by.id,
                    recorded_at=now,
                )
            )
        elif attendance.status != status:
            attendance.status = status
            attendance.recorded_by_id = recorded_by.id
            attendance.recorded_at = now
    db.session.flush()
    return attendance_sheet(workshop)


@dataclass
class Progress:
    """One participant's path through the workshops of their edition."""

    participant: Participant
    marks: list[tuple[Workshop, AttendanceStatus | None]]
    now: datetime

    @property
    def held(self) -> list[tuple[Workshop, AttendanceStatus | None]]:
        return [(w, s) for w, s in self.marks if w.has_started(self.now)]

    @property
    def attended(self) -> int:
        return sum(1 for _w, s in self.marks if s is not None and s.attended)

    @property
    def missed(self) -> int:
        return sum(
            1 for _w, s in self.held if s in (AttendanceStatus.ABSENT, AttendanceStatus.EXCUSED)
        )

    @property
    def excused(self) -> int:
        return sum(1 for _w, s in self.held if s == AttendanceStatus.EXCUSED)

    @property
    def total(self) -> int:
        return len(self.marks)

    @property
    def is_behind(self) -> bool:
        return self.missed >= self.participant.edition.behind_missed_threshold


def participant_progress(participant: Participant, now: datetime) -> Progress:
    by_workshop = {a.workshop_id: a.status for a in participant.attendances}
    workshops = participant.edition.workshops
    return Progress(participant, [(w, by_workshop.get(w.id)) for w in workshops], now)


@participant_page_requested.connect
def progress_on_participant_pages(participant: Participant, **_kwargs) -> dict:
    """The teen's page and the staff's page show the workshops followed."""
    return {
        "progress": participant_progress(participant, local_now()),
        "attendance_labels": ATTENDANCE_LABELS,
    }


@dataclass
class WorkshopStats:
    workshop: Workshop
    counts: Counter = field(default_factory=Counter)
    expected: int = 0
    started: bool = False

    @property
    def marked(self) -> int:
        return sum(self.counts.values())

    @property
    def attended(self) -> int:
        return self.counts[AttendanceStatus.PRESENT] + self.counts[AttendanceStatus.LATE]

    unmarked: int = 0  # expected participants with no mark on a workshop that took place

    @property
    def attendance_rate(self) -> float | None:
        """Share of the marked participants who came (present or late); None before the roll.
        Read it with `unmarked`: people never marked are not counted as absent."""
        return self.attended / self.marked if self.marked else None

    @property
    def roll_taken(self) -> bool:
        return self.marked > 0


@dataclass
class Dashboard:
    edition: Edition
    workshops: list[WorkshopStats]
    progress: list[Progress]

    @cached_property
    def behind(self) -> list[Progress]:
        return sorted(
            (p for p in self.progress if p.is_behind),
            key=lambda p: (-p.missed, p.participant.last_name or ""),
        )

    @property
    def unmarked(self) -> int:
        return sum(w.unmarked for w in self.workshops)

    @property
    def overall_rate(self) -> float | None:
        marked = sum(w.marked for w in self.workshops)
        return sum(w.attended for w in self.workshops) / marked if marked else None


def edition_dashboard(edition: Edition, now: datetime) -> Dashboard:
    """Every workshop's roll and every confirmed person's marks, read as plain rows: at 2,000
    participants loading each mark as an object cost most of the dashboard's second."""
    participants = edition_participants(
        edition, status=ParticipantStatus.CONFIRMED, with_consents=False
    )
    workshops = list(edition.workshops)
    marks = db.session.execute(
        select(Attendance.workshop_id, Attendance.participant_id, Attendance.status)
        .join(Workshop)
        .where(Workshop.edition_id == edition.id)
    ).all()
    stats = {
        w.id: WorkshopStats(w, expected=len(participants), started=w.has_started(now))
        for w in workshops
    }
    expected = {p.id for p in participants}
    marked_by_workshop: dict[int, set[int]] = {w.id: set() for w in workshops}
    marks_by_person: dict[int, dict[int, AttendanceStatus]] = {}
    for workshop_id, participant_id, status in marks:
        stats[workshop_id].counts[status] += 1
        marked_by_workshop[workshop_id].add(participant_id)
        marks_by_person.setdefault(participant_id, {})[workshop_id] = status
    for workshop_id, workshop_stats in stats.items():
        if workshop_stats.started:
            workshop_stats.unmarked = len(expected - marked_by_workshop[workshop_id])
    progress = [
        Progress(p, [(w, marks_by_person.get(p.id, {}).get(w.id)) for w in workshops], now)
        for p in participants
    ]
    return Dashboard(edition, list(stats.values()), progress)
