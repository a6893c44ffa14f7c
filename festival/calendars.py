"""iCalendar files: the one builder the workshops' and the programme's calendars use.

Event times are festival wall-clock times, written with the festival's time zone; no personal
data ever goes in (calendars are shared and synced to other services).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from icalendar import Calendar, Event

from festival.clock import as_aware_local, as_aware_utc, utcnow


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
    calendar.add_missing_timezones()
    return calendar.to_ical()
