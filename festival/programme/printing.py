"""The printed programme: an A4 PDF with times, thumbnails, synopses and teams.

Built with ReportLab from the public view of the programme, so it shows display names only.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from xml.sax.saxutils import escape

from flask_babel import format_datetime, get_locale
from flask_babel import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Image,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from festival import pdf_fonts
from festival.caching import public_key
from festival.editions.venue import venue_of
from festival.extensions import cache
from festival.formatting import human_duration
from festival.programme.lineup import PublicBlock, PublicFilm, public_programme
from festival.storage import media_path

INK = colors.HexColor("#1b2430")
BRAND = colors.HexColor("#1f3a5f")
MUTED = colors.HexColor("#5b6675")


def _styles() -> dict[str, ParagraphStyle]:
    base = pdf_fonts.sample_styles()
    return {
        "title": ParagraphStyle(
            "title",
            parent=base["Title"],
            textColor=BRAND,
            fontSize=24,
            leading=28,
            alignment=TA_LEFT,
            spaceAfter=4,
        ),
        "subtitle": ParagraphStyle(
            "subtitle",
            parent=base["Normal"],
            textColor=MUTED,
            fontSize=11,
            leading=15,
            spaceAfter=10,
        ),
        "block": ParagraphStyle(
            "block",
            parent=base["Heading2"],
            textColor=BRAND,
            fontSize=15,
            leading=19,
            spaceBefore=10,
            spaceAfter=2,
        ),
        "film": ParagraphStyle(
            "film", parent=base["Heading3"], textColor=INK, fontSize=12, leading=15, spaceAfter=2
        ),
        "body": ParagraphStyle(
            "body", parent=base["Normal"], textColor=INK, fontSize=9.5, leading=12.5
        ),
        "muted": ParagraphStyle(
            "muted", parent=base["Normal"], textColor=MUTED, fontSize=9, leading=12
        ),
    }


def programme_pdf(edition, blocks: list[PublicBlock], *, thumbnail_path) -> bytes:
    """`thumbnail_path(film)` gives a local JPEG for a film, or None."""
    styles = _styles()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=16 * mm,
        rightMargin=16 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=f"{edition.title} — {_('Programme')}",
        author="Un Trait Amateur",
    )
    when = format_datetime(edition.ceremony_at, "EEEE d MMMM y, HH:mm", rebase=False)
    story = [
        Paragraph(escape(edition.title), styles["title"]),
        Paragraph(
            escape(
                f"{_('Programme de la cérémonie')} · {when}"
                + (f" · {place}" if (place := venue_of(edition).one_line) else "")
            ),
            styles["subtitle"],
        ),
    ]
    for block in blocks:
        story.append(Paragraph(escape(block.title), styles["block"]))
        story.append(
            Paragraph(
                escape(
                    f"{block.starts_at:%H:%M} – {block.ends_at:%H:%M}"
                    + (f" · {block.venue}" if block.venue else "")
                ),
                styles["muted"],
            )
        )
        story.append(Spacer(1, 3 * mm))
        for item in block.items:
            time_cell = Paragraph(f"<b>{item.starts_at:%H:%M}</b>", styles["body"])
            if item.film is None:
                row = [
                    time_cell,
                    "",
                    Paragraph(
                        f"<b>{escape(item.title)}</b> <font color='#5b6675'>· "
                        f"{escape(human_duration(item.seconds))}</font>",
                        styles["body"],
                    ),
                ]
            else:
                film = item.film
                picture = thumbnail_path(film)
                image = ""
                if picture and Path(picture).exists():
                    width = 38 * mm
                    w, h = film.thumbnail_size or (16, 9)
                    image = Image(
                        str(picture),
                        width=width,
                        height=min(width * h / w, 45 * mm),
                        kind="proportional",
                    )
                team = ", ".join(f"{m['name']} ({', '.join(m['roles'])})" for m in film.team)
                text = [
                    Paragraph(escape(film.title), styles["film"]),
                    Paragraph(escape(human_duration(item.seconds)), styles["muted"]),
                ]
                if film.synopsis:
                    text.append(Paragraph(escape(film.synopsis), styles["body"]))
                if team:
                    text.append(Paragraph(escape(team), styles["muted"]))
                row = [time_cell, image, text]
            table = Table([row], colWidths=[16 * mm, 42 * mm, None])
            table.setStyle(
                TableStyle(
                    [
                        ("FONTNAME", (0, 0), (-1, -1), pdf_fonts.SANS),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor("#dcd8cf")),
                        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                        ("TOPPADDING", (0, 0), (-1, -1), 6),
                    ]
                )
            )
            story.append(KeepTogether(table))
    document.build(story)
    return buffer.getvalue()


def edition_programme_pdf(edition, *, draft: bool = False) -> bytes:
    """The PDF of an edition's programme as the public sees it (or, for staff's proof, as the
    draft would be: `draft`), built once for each state of that programme (its content,
    consents included, makes the cache key)."""
    blocks = public_programme(edition, draft=draft)
    state = hashlib.sha256(repr((str(get_locale()), edition.title, blocks)).encode()).hexdigest()
    key = public_key("pdf", edition.id, state)
    body = cache.get(key)
    if body is None:
        body = _build_edition_pdf(edition, blocks)
        cache.set(key, body, timeout=24 * 3600)
    return body


def _build_edition_pdf(edition, blocks) -> bytes:
    def thumbnail_path(film: PublicFilm):
        return media_path(film.print_image) if film.print_image else None

    return programme_pdf(edition, blocks, thumbnail_path=thumbnail_path)
