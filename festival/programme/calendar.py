"""The ceremony and its blocks as iCalendar, from the public programme (no personal data)."""

from __future__ import annotations

from icalendar import Calendar, Event

from festival.clock import as_aware_local, as_aware_utc, utcnow


def programme_ics(edition, blocks, *, host: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Un Trait Amateur//Programme//FR")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", edition.title)
    stamp = as_aware_utc(utcnow())
    for block in blocks:
        event = Event()
        event.add("uid", f"block-{block.id}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", as_aware_local(block.starts_at))
        event.add("dtend", as_aware_local(block.ends_at))
        event.add("summary", f"{edition.title} — {block.title}")
        if block.venue or edition.ceremony_venue:
            event.add("location", block.venue or edition.ceremony_venue)
        event.add(
            "description", "\n".join(f"{item.starts_at:%H:%M} {item.title}" for item in block.items)
        )
        calendar.add_component(event)
    return calendar.to_ical()
