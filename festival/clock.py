"""The one place the application asks what time it is.

Event times (workshops, ceremony) are naive wall-clock times in the festival's time zone;
audit timestamps (recorded_at, created_at) are naive UTC. Tests move time by patching these.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

DEFAULT_TIMEZONE = "Europe/Paris"


def festival_timezone() -> ZoneInfo:
    name = DEFAULT_TIMEZONE
    if has_app_context():
        name = current_app.config.get("FESTIVAL_TIMEZONE", DEFAULT_TIMEZONE)
    return ZoneInfo(name)


def utcnow() -> datetime:
    """Naive UTC, as stored in audit columns."""
    return datetime.now(UTC).replace(tzinfo=None)


def local_now() -> datetime:
    """Naive wall-clock time in the festival's time zone, comparable with event times."""
    return datetime.now(festival_timezone()).replace(tzinfo=None)


def local_today() -> date:
    return local_now().date()


def utc_from_local(moment: datetime) -> datetime:
    """A wall-clock time in the festival's time zone as naive UTC, to compare with audit
    timestamps: local midnight is 23:00 or 22:00 UTC the day before."""
    return moment.replace(tzinfo=festival_timezone()).astimezone(UTC).replace(tzinfo=None)


def as_aware_local(moment: datetime | None) -> datetime | None:
    """An event time with its UTC offset, for the API and calendars."""
    if moment is None:
        return None
    return moment.replace(tzinfo=festival_timezone())


def as_aware_utc(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC)
