"""The festival laurel a prize-winning team puts on its poster and its posts: two branches of
leaves around the prize's name, the festival and the year. One geometry, drawn three ways: a
transparent PNG and an SVG to download, and vector leaves on the award certificate.

Plain Python (Pillow for the PNG): no Flask here."""

from __future__ import annotations

import io
import math
import textwrap
from xml.sax.saxutils import escape

from PIL import Image, ImageDraw, ImageFont

from festival import pdf_fonts

Point = tuple[float, float]
GOLD = (176, 132, 40)
LEAVES_PER_BRANCH = 11


def _leaf(base: Point, angle: float, length: float, width: float) -> list[Point]:
    """A pointed leaf from `base` in direction `angle` (radians, y up)."""
    dx, dy = math.cos(angle), math.sin(angle)
    nx, ny = -dy, dx
    steps = 12
    side = [
        (t / steps * length, width / 2 * math.sin(math.pi * t / steps)) for t in range(steps + 1)
    ]
    outline = side + [(along, -half) for along, half in reversed(side[1:-1])]
    return [(base[0] + dx * a + nx * h, base[1] + dy * a + ny * h) for a, h in outline]


def wreath(cx: float, cy: float, radius: float) -> list[list[Point]]:
    """The leaves of both branches (y up), from the stem at the bottom to the open top."""
    leaves = []
    length, width = radius * 0.3, radius * 0.11
    for index in range(LEAVES_PER_BRANCH):
        # From just left of the bottom (255°) round to the upper left (115°).
        theta = math.radians(255 - index * (140 / (LEAVES_PER_BRANCH - 1)))
        base = (cx + radius * math.cos(theta), cy + radius * math.sin(theta))
        tangent = theta - math.pi / 2  # moving up the left side
        for tilt in (math.radians(38), math.radians(-30)):  # one leaf out, one in
            leaf = _leaf(base, tangent + tilt, length * (1 - index * 0.03), width)
            leaves.append(leaf)
            leaves.append([(2 * cx - x, y) for x, y in leaf])  # the right branch, mirrored
    return leaves


def _lines(award_name: str) -> list[str]:
    # French quotes stay with their words (no-break spaces: textwrap splits ASCII spaces only).
    name = award_name.replace("« ", "«\u00a0").replace(" »", "\u00a0»")
    return textwrap.wrap(name, width=14)[:3] or [""]


def _title_size(lines: list[str], size: float) -> float:
    """Short names large; longer ones smaller, so that no line runs into the leaves."""
    longest = max(len(line) for line in lines)
    return size / 15 if longest <= 11 else size / 15 * 11 / longest


def laurel_png(award_name: str, festival: str, year: int, size: int = 800) -> bytes:
    """A transparent PNG, drawn at twice the size then reduced, so edges are smooth."""
    scale = 2
    canvas = size * scale
    image = Image.new("RGBA", (canvas, canvas), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    centre, radius = canvas / 2, canvas * 0.36
    for leaf in wreath(centre, centre, radius):
        draw.polygon([(x, canvas - y) for x, y in leaf], fill=(*GOLD, 255))
    lines = _lines(award_name)
    bold = ImageFont.truetype(
        str(pdf_fonts.font_file(pdf_fonts.SERIF_BOLD)), round(_title_size(lines, canvas))
    )
    small = ImageFont.truetype(str(pdf_fonts.font_file(pdf_fonts.SANS)), canvas // 26)
    line_height = canvas // 13
    top = centre - line_height * len(lines) / 2 - canvas * 0.04
    for number, line in enumerate(lines):
        draw.text(
            (centre, top + number * line_height), line, font=bold, fill=(*GOLD, 255), anchor="mt"
        )
    under = top + len(lines) * line_height + canvas * 0.03
    draw.text((centre, under), festival, font=small, fill=(*GOLD, 255), anchor="mt")
    draw.text((centre, under + canvas // 20), str(year), font=small, fill=(*GOLD, 255), anchor="mt")
    image = image.resize((size, size), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def laurel_svg(award_name: str, festival: str, year: int) -> str:
    size = 800
    centre, radius = size / 2, size * 0.36
    colour = "#{:02x}{:02x}{:02x}".format(*GOLD)
    paths = "".join(
        '<path d="M{}Z"/>'.format(" L".join(f"{x:.1f},{size - y:.1f}" for x, y in leaf))
        for leaf in wreath(centre, centre, radius)
    )
    lines = _lines(award_name)
    line_height = size / 13
    top = centre - line_height * len(lines) / 2 - size * 0.04
    texts = "".join(
        f'<text x="{centre}" y="{top + (n + 0.8) * line_height:.1f}" '
        f'font-size="{_title_size(lines, size):.1f}" '
        f'font-family="DejaVu Serif, Georgia, serif" font-weight="bold">{escape(line)}</text>'
        for n, line in enumerate(lines)
    )
    under = top + len(lines) * line_height + size * 0.03
    small = f'font-size="{size / 26:.1f}" font-family="DejaVu Sans, Arial, sans-serif"'
    texts += f'<text x="{centre}" y="{under + size / 30:.1f}" {small}>{escape(festival)}</text>'
    texts += f'<text x="{centre}" y="{under + size / 30 + size / 20:.1f}" {small}>{year}</text>'
    title = escape(f"{award_name} — {festival} {year}")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
        f'width="{size}" height="{size}" role="img" aria-label="{title}">'
        f"<title>{title}</title>"
        f'<g fill="{colour}">{paths}</g>'
        f'<g fill="{colour}" text-anchor="middle">{texts}</g></svg>'
    )
