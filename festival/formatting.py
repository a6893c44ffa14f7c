"""Values as they are written out: sizes in the French style, JSON safe inside a page."""

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
