"""The fonts every PDF and generated picture uses: DejaVu, shipped with the package
(festival/data/fonts, free licence beside it). ReportLab's built-in Helvetica has no « ễ »:
« Nguyễn » printed as « Nguy■n ». DejaVu covers Latin (Vietnamese included), Greek, Cyrillic,
Armenian, Georgian, Hebrew and much of Arabic. Plain Python: no Flask here."""

from __future__ import annotations

import functools
from pathlib import Path

from reportlab import rl_config
from reportlab.graphics.shapes import STATE_DEFAULTS
from reportlab.lib.fonts import addMapping
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONTS_DIR = Path(__file__).resolve().parent / "data" / "fonts"

SANS = "FestivalSans"
SANS_BOLD = "FestivalSans-Bold"
SANS_ITALIC = "FestivalSans-Italic"
SERIF_BOLD = "FestivalSerif-Bold"

FILES = {
    SANS: "DejaVuSans.ttf",
    SANS_BOLD: "DejaVuSans-Bold.ttf",
    SANS_ITALIC: "DejaVuSans-Oblique.ttf",
    SERIF_BOLD: "DejaVuSerif-Bold.ttf",
}


def font_file(name: str) -> Path:
    return FONTS_DIR / FILES[name]


@functools.cache
def register() -> None:
    """Make the fonts known to ReportLab, once per process; <b> and <i> in Paragraphs find
    the bold and italic faces."""
    for name, filename in FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(FONTS_DIR / filename)))
    addMapping(SANS, 0, 0, SANS)
    addMapping(SANS, 1, 0, SANS_BOLD)
    addMapping(SANS, 0, 1, SANS_ITALIC)
    addMapping(SANS, 1, 1, SANS_BOLD)
    # Every canvas starts in this font, not Helvetica: nothing falls back to a font without
    # « ễ », and no PDF names Helvetica at all.
    rl_config.canvas_basefontname = SANS
    STATE_DEFAULTS["fontName"] = SANS  # charts (reportlab.graphics) start in it too


def missing_glyphs(text: str, name: str = SANS) -> set[str]:
    """The characters of `text` the font cannot draw (a name in a script it lacks)."""
    register()
    font = pdfmetrics.getFont(name)
    widths = font.face.charWidths
    return {c for c in text if not c.isspace() and ord(c) not in widths}


def sample_styles():
    """ReportLab's sample styles with these fonts in place of Helvetica (bold stays bold)."""
    register()
    styles = getSampleStyleSheet()
    for style in styles.byName.values():
        current = getattr(style, "fontName", "")
        if "Bold" in current:
            style.fontName = SANS_BOLD
        elif "Oblique" in current or "Italic" in current:
            style.fontName = SANS_ITALIC
        else:
            style.fontName = SANS
    return styles
