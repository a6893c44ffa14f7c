"""Charts drawn on the server as SVG: no third-party script, readable without JavaScript, and
each one says its figures in words for screen readers."""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

from markupsafe import Markup

from festival.report.figures import Count

BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 170
CHART_WIDTH = 560


def bar_chart(rows: Sequence[tuple[str, Count | int]], *, title: str) -> Markup:
    """Horizontal bars, one per row; a hidden small group is drawn as an outline marked « < 5 »
    (its length says nothing either)."""
    values = [row[1].value if isinstance(row[1], Count) else row[1] for row in rows]
    largest = max(values, default=0) or 1
    height = len(rows) * (BAR_HEIGHT + GAP) + GAP
    bar_room = CHART_WIDTH - LABEL_WIDTH - 60
    words = "; ".join(f"{label} : {value}" for label, value in rows)
    parts = [
        f'<svg class="chart" viewBox="0 0 {CHART_WIDTH} {height}" role="img" '
        f'aria-label="{escape(title, {chr(34): "&quot;"})}. {escape(words, {chr(34): "&quot;"})}" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for index, (label, value) in enumerate(rows):
        y = GAP + index * (BAR_HEIGHT + GAP)
        hidden = isinstance(value, Count) and value.hidden
        number = value.value if isinstance(value, Count) else value
        width = 0 if hidden else round(bar_room * number / largest)
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + BAR_HEIGHT * 0.7}" text-anchor="end" '
            f'class="chart-label">{escape(str(label))}</text>'
        )
        if hidden:
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{y}" width="24" height="{BAR_HEIGHT}" '
                f'class="chart-bar-hidden"/>'
            )
            text_x = LABEL_WIDTH + 32
        else:
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{y}" width="{max(width, 1)}" height="{BAR_HEIGHT}" '
                f'class="chart-bar"/>'
            )
            text_x = LABEL_WIDTH + width + 8
        parts.append(
            f'<text x="{text_x}" y="{y + BAR_HEIGHT * 0.7}" class="chart-value">'
            f"{escape(str(value))}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text in it is escaped above
