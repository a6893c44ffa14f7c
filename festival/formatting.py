"""Values as they are written out: sizes and durations in the French style, JSON safe inside
a page. Plain Python: media processing uses it too."""

from __future__ import annotations

import json
from typing import Any

# Inside <script>, "<!--", "<script" or "</script" change how the browser reads the rest of the
# page: JSON there carries no <, > or & at all (and no line separators, for old parsers).
_SCRIPT_SAFE = str.maketrans(
    {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
)


def script_json(value: Any) -> str:
    """JSON to embed in an HTML script element (JSON-LD), safe whatever the strings hold."""
    return json.dumps(value, ensure_ascii=False).translate(_SCRIPT_SAFE)


SIZE_UNITS = ("o", "Ko", "Mo", "Go")


def size_in_units(size: int) -> tuple[float, int]:
    """The size in the largest unit under 1024 of it (gigabytes at most), and that unit's
    rank: (38.3, 2) for 38.3 megabytes, in whatever language the unit is then written."""
    value, rank = float(size), 0
    while value >= 1024 and rank < len(SIZE_UNITS) - 1:
        value, rank = value / 1024, rank + 1
    return value, rank


def human_size(size: int) -> str:
    value, rank = size_in_units(size)
    return f"{value:.1f} {SIZE_UNITS[rank]}".replace(".0 ", " ").replace(".", ",")


def human_duration(seconds: float) -> str:
    """45 s, 2,5 s, 5 min 03 s, 5 min 00,4 s, 1 h 05 min 30 s: lengths read at a glance.

    Tenths of a second show only when they matter (a film 0.4 s over the limit), written
    with a comma as French writes decimals.
    """
    tenths = round(seconds * 10)
    hours, rest = divmod(tenths, 36000)
    minutes, rest = divmod(rest, 600)
    whole, tenth = divmod(rest, 10)
    if hours:
        text = f"{hours} h {minutes:02d} min"
        return f"{text} {whole:02d}{f',{tenth}' if tenth else ''} s" if rest else text
    secs = f"{whole:02d}" if minutes else str(whole)
    secs += f",{tenth} s" if tenth else " s"
    return f"{minutes} min {secs}" if minutes else secs
