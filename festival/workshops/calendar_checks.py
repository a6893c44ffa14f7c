"""Workshop days that nobody can come to: a public holiday, the school holidays of the library's
zone, a day the médiathèque is closed. Last year's workshops copied to a new season land on
the same weekdays, so « the 4th workshop » once fell on 25 December without a word.

The calendars come from maintained libraries, not a hand list: `holidays` (France's public
holidays) and `vacances-scolaires-france` (the Ministry's school holidays by zone). Each
conflict comes with the next free day on the same weekday, for a one-click shift.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import holidays
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from vacances_scolaires_france import SchoolHolidayDates

from festival.editions.identity import Closures
from festival.extensions import db
from festival.workshops.models import Workshop

SEARCH_WEEKS = 12  # beyond three months later, staff choose the day themselves


@functools.cache
def _public_holidays(year: int, language: str) -> dict[date, str]:
    return dict(holidays.France(years=year, language=language))


@functools.cache
def _school_calendar() -> SchoolHolidayDates:
    return SchoolHolidayDates()


def _school_holiday(day: date, zone: str) -> str | None:
    calendar = _school_calendar()
    try:
        if not calendar.is_holiday_for_zone(day, zone):
            return None
    except Exception:  # a year the Ministry has not published yet: nothing to say
        return None
    return calendar.data.get(day, {}).get("nom_vacances") or _("vacances scolaires")


def why_closed(day: date, closures: Closures) -> str | None:
    """Why nobody can come that day, in a few words; None when the day is free."""
    language = "en_US" if str(get_locale() or "fr").startswith("en") else "fr"
    holiday = _public_holidays(day.year, language).get(day)
    if holiday:
        return _("jour férié (%(name)s)", name=holiday)
    if day.weekday() in closures.closed_weekdays:
        return _("la médiathèque est fermée le %(weekday)s", weekday=format_date(day, "EEEE"))
    for first, last, why in closures.closed_days:
        if first <= day <= last:
            return (
                _("fermeture de la médiathèque (%(why)s)", why=why)
                if why
                else _("fermeture de la médiathèque")
            )
    if closures.school_zone:
        holiday = _school_holiday(day, closures.school_zone)
        if holiday:
            return _("%(name)s, zone %(zone)s", name=holiday, zone=closures.school_zone)
    return None


@dataclass
class DayConflict:
    """A workshop to move: on a day nobody can come (`reason`), or pushed by one before it so
    that the workshops keep their order (`reason` None)."""

    workshop: Workshop
    reason: str | None
    proposed: date | None  # None: no free day before the edition ends, staff choose

    @property
    def proposed_start(self) -> datetime | None:
        if self.proposed is None:
            return None
        return datetime.combine(self.proposed, self.workshop.starts_at.time())


def day_conflicts(
    workshops: list[Workshop], closures: Closures, *, last_day: date | None = None
) -> list[DayConflict]:
    """The workshops on a day nobody can come, each moved to the next free day of the same
    weekday; the later ones follow when needed, so that the script still comes before the
    storyboard. Nothing is proposed past `last_day` (the edition's end or its ceremony)."""
    conflicts: list[DayConflict] = []
    previous: date | None = None
    for workshop in sorted(workshops, key=lambda w: (w.starts_at, w.number)):
        day = workshop.starts_at.date()
        reason = why_closed(day, closures)
        proposed: date | None = day
        while proposed is not None and (
            (previous is not None and proposed <= previous) or why_closed(proposed, closures)
        ):
            proposed += timedelta(weeks=1)
            if proposed > day + timedelta(weeks=SEARCH_WEEKS) or (
                last_day is not None and proposed > last_day
            ):
                proposed = None
        if reason is not None or proposed != day:
            conflicts.append(DayConflict(workshop, reason, proposed))
        # A workshop that cannot move still holds its place: the next ones go after it.
        previous = proposed if proposed is not None else max(day, previous or day)
    return conflicts


def shift_to_proposed(conflicts: list[DayConflict]) -> list[Workshop]:
    """Move each workshop to its proposed day, same hours and length; the caller commits."""
    moved = []
    for conflict in conflicts:
        start = conflict.proposed_start
        if start is None:
            continue
        workshop = conflict.workshop
        length = workshop.ends_at - workshop.starts_at
        workshop.starts_at, workshop.ends_at = start, start + length
        moved.append(workshop)
    db.session.flush()
    return moved
