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


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("o", "Ko", "Mo", "Go"):
        if value < 1024 or unit == "Go":
            return f"{value:.1f} {unit}".replace(".0 ", " ").replace(".", ",")
        value /= 1024
    return f"{size} o"


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
