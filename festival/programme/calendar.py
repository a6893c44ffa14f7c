"""The ceremony and its blocks as iCalendar, from the public programme (no personal data)."""

from __future__ import annotations

from festival.calendars import CalendarEvent, ics_calendar
from festival.editions.models import Edition
from festival.programme.lineup import PublicBlock


def programme_ics(edition: Edition, blocks: list[PublicBlock], *, host: str) -> bytes:
    events = [
        CalendarEvent(
            uid=f"block-{block.id}",
            title=f"{edition.title} — {block.title}",
            starts_at=block.starts_at,
            ends_at=block.ends_at,
            location=block.venue or edition.ceremony_venue,
            description="\n".join(f"{item.starts_at:%H:%M} {item.title}" for item in block.items),
        )
        for block in blocks
    ]
    return ics_calendar(edition.title, events, host=host)
