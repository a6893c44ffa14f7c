"""iCalendar files: the one builder the workshops' and the programme's calendars use.

Event times are festival wall-clock times, written with the festival's time zone; no personal
data ever goes in (calendars are shared and synced to other services).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard

from festival.clock import as_aware_local, as_aware_utc, festival_timezone, utcnow


@dataclass(frozen=True)
class CalendarEvent:
    uid: str  # stable across downloads, so that a calendar app updates instead of duplicating
    title: str
    starts_at: datetime
    ends_at: datetime | None = None
    location: str = ""
    description: str = ""
    url: str = ""
    geo: tuple[float, float] | None = None  # latitude, longitude of the place


def ics_calendar(
    name: str, events: Iterable[CalendarEvent], *, host: str, stamp: datetime | None = None
) -> bytes:
    """An RFC 5545 calendar: times in Europe/Paris with its VTIMEZONE, and a DTSTAMP that is
    the publication's time (`stamp`, UTC), so the same calendar gives the same bytes and the
    ETag holds."""
    calendar = Calendar()
    calendar.add("prodid", "-//Un Trait Amateur//Festival//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    stamp = as_aware_utc(stamp or utcnow())
    for item in events:
        event = Event()
        event.add("uid", f"{item.uid}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", as_aware_local(item.starts_at))
        if item.ends_at is not None:
            event.add("dtend", as_aware_local(item.ends_at))
        event.add("summary", item.title)
        if item.location:
            event.add("location", item.location)
        if item.geo is not None:
            event.add("geo", item.geo)
        if item.description:
            event.add("description", item.description)
        if item.url:
            event.add("url", item.url)
        calendar.add_component(event)
    _add_timezone(calendar)
    return calendar.to_ical()


# The European Union's summer time: from the last Sunday of March to the last Sunday of
# October, at 01:00 UTC everywhere. Written as two yearly rules, as Outlook and Google write
# them: icalendar's own VTIMEZONE lists every change as RDATE values, which some readers apply
# at the wrong local hour (summer dates came out an hour late).
EU_SUMMER = {"BYMONTH": 3, "BYDAY": "-1SU"}
EU_WINTER = {"BYMONTH": 10, "BYDAY": "-1SU"}


def _offset(zone: ZoneInfo, month: int) -> timedelta:
    return zone.utcoffset(datetime(2025, month, 15)) or timedelta(0)


def _zone_part(part, start: datetime, rule: dict | None, before, after, name: str):
    """One of the VTIMEZONE's halves: from `start`, by `rule` yearly, `before` → `after`."""
    component = part()
    component.add("dtstart", start)
    if rule is not None:
        component.add("rrule", {"FREQ": "YEARLY", **rule})
    component.add("tzoffsetfrom", before)
    component.add("tzoffsetto", after)
    component.add("tzname", name)
    return component


def _add_timezone(calendar: Calendar) -> None:
    zone = festival_timezone()
    name = str(zone)
    winter, summer = _offset(zone, 1), _offset(zone, 7)
    if not name.startswith("Europe/") or summer - winter not in (timedelta(0), timedelta(hours=1)):
        calendar.add_missing_timezones()  # elsewhere, icalendar knows the rules best
        return
    winter_name = datetime(2025, 1, 15, tzinfo=zone).tzname()
    timezone = Timezone()
    timezone.add("tzid", name)
    if summer == winter:
        timezone.add_component(
            _zone_part(TimezoneStandard, datetime(1970, 1, 1), None, winter, winter, winter_name)
        )
    else:
        # Local times of the change: 01:00 UTC, before the change in the old offset.
        summer_name = datetime(2025, 7, 15, tzinfo=zone).tzname()
        spring = datetime(1970, 3, 29) + timedelta(hours=1) + winter
        autumn = datetime(1970, 10, 25) + timedelta(hours=1) + summer
        timezone.add_component(
            _zone_part(TimezoneDaylight, spring, EU_SUMMER, winter, summer, summer_name)
        )
        timezone.add_component(
            _zone_part(TimezoneStandard, autumn, EU_WINTER, summer, winter, winter_name)
        )
    calendar.subcomponents.insert(0, timezone)  # before the events that name it
