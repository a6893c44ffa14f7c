"""Filters and globals every template can use."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask, request
from flask_babel import (
    format_currency,
    format_date,
    format_datetime,
    format_decimal,
    format_percent,
    get_locale,
)

from festival.clock import as_aware_utc, festival_timezone
from festival.formatting import SIZE_UNITS, human_duration, size_in_units
from festival.responses import absolute_url, public_root

DAY_PATTERNS = {"long": "d MMMM y", "medium": "d MMM y"}


def register_template_helpers(app: Flask) -> None:
    # An address printed or given outside the page (QR codes, « copy the link »): PUBLIC_URL's.
    app.add_template_global(absolute_url, "absolute_url")

    @app.template_filter("day")
    def day_filter(value: date | datetime | None, style: str = "long") -> str:
        if value is None:
            return ""
        if isinstance(value, datetime):
            value = value.date()
        # Day before month in both languages, as `when` writes it (« 27 March 2027 », not
        # « March 27, 2027 » on one page and « Saturday 27 March » on the next).
        return format_date(value, DAY_PATTERNS.get(style, style))

    @app.template_filter("when")
    def when_filter(value: datetime | None, style: str = "EEEE d MMMM y, HH:mm") -> str:
        # Event times are festival wall-clock times: format them as they are, no conversion.
        if value is None:
            return ""
        return format_datetime(value, style, rebase=False)

    @app.template_filter("instant")
    def instant_filter(value: datetime | None, style: str = "EEEE d MMMM y, HH:mm") -> str:
        # Moments the platform records (utcnow) are UTC: shown in the festival's time zone.
        if value is None:
            return ""
        local = as_aware_utc(value).astimezone(festival_timezone())
        return format_datetime(local.replace(tzinfo=None), style, rebase=False)

    # The data exports keep ISO strings (they are JSON first); their page shows them as every
    # other page writes dates, not « 2026-10-03 » beside « 3 octobre 2026 ».
    @app.template_filter("isoday")
    def isoday_filter(value: str | None) -> str:
        return day_filter(datetime.fromisoformat(value)) if value else "—"

    @app.template_filter("isoinstant")
    def isoinstant_filter(value: str | None) -> str:
        """A recorded moment (UTC), in the festival's time zone."""
        return instant_filter(datetime.fromisoformat(value), "d MMMM y, HH:mm") if value else "—"

    @app.template_filter("euros")
    def euros_filter(value: float | None) -> str:
        return "—" if value is None else format_currency(value, "EUR")

    @app.template_filter("hour")
    def hour_filter(value: datetime | None) -> str:
        return format_datetime(value, "HH:mm", rebase=False) if value else ""

    @app.template_filter("duration")
    def duration_filter(value: float | None) -> str:
        if value is None:
            return "—"
        # « 5 min 00,4 s » in French; English writes its tenths with a point.
        text = human_duration(value)
        return text.replace(",", ".") if str(get_locale() or "fr").startswith("en") else text

    @app.template_filter("filesize")
    def filesize_filter(size: int | None) -> str:
        """« 38,3 Mo » on a French page, « 38.3 MB » on an English one."""
        if size is None:
            return "—"
        english = str(get_locale() or "fr").startswith("en")
        units = ("B", "KB", "MB", "GB") if english else SIZE_UNITS
        value, rank = size_in_units(size)
        return f"{format_decimal(round(value, 1), format='#,##0.#')}\u00a0{units[rank]}"

    @app.template_filter("percent")
    def percent_filter(value: float | None) -> str:
        return "—" if value is None else format_percent(value)

    @app.context_processor
    def inject_locale():
        return {
            "current_locale": str(get_locale() or "fr"),
            "current_path": request.full_path.rstrip("?") if request else "/",
            # The page's one address (no query string): what search engines and shares keep.
            "canonical_url": public_root() + request.path if request else public_root(),
            "site_root": public_root(),
        }
