"""The ceremony as iCalendar, from the public programme (no personal data): one event for the
evening, its blocks and what they show in the description."""

from __future__ import annotations

from flask_babel import gettext as _

from festival.calendars import CalendarEvent, ics_calendar
from festival.editions.models import Edition
from festival.editions.venue import venue_of
from festival.programme.lineup import PublicBlock
from festival.responses import absolute_url


def programme_ics(edition: Edition, blocks: list[PublicBlock], *, host: str) -> bytes:
    lines = []
    for block in blocks:
        place = f" ({block.venue})" if block.venue else ""
        lines.append(f"{block.starts_at:%H:%M} {block.title}{place}")
        lines.extend(f"  {item.starts_at:%H:%M} {item.title}" for item in block.items)
    venue = venue_of(edition)
    starts = min((b.starts_at for b in blocks), default=edition.ceremony_at)
    ends = max((b.ends_at for b in blocks), default=None)
    ceremony = CalendarEvent(
        # The same uid as the ceremony in the workshops' calendar: one event, updated.
        uid=f"ceremony-{edition.id}",
        title=_("Cérémonie de remise des prix – %(title)s", title=edition.title),
        starts_at=starts,
        ends_at=ends if ends and ends > starts else None,
        location=venue.one_line,
        geo=venue.coordinates,
        description="\n".join(lines),
        url=absolute_url("public.programme_of", year=edition.year),
    )
    return ics_calendar(edition.title, [ceremony], host=host, stamp=edition.programme_published_at)
