"""The audience's ballot cards, eight to an A4 page, to hand out at the ceremony's door."""

from __future__ import annotations

import io
from collections.abc import Callable

from flask_babel import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from segno import make as make_qr

from festival import pdf_fonts
from festival.awards.vote import format_code
from festival.editions.models import Edition

CARD_COLUMNS, CARD_ROWS = 2, 4


def _fitting_size(canvas: Canvas, text: str, font: str, width: float, largest: float) -> float:
    """The largest font size (down to 6 pt) at which `text` fits in `width`."""
    size = largest
    while size > 6 and canvas.stringWidth(text, font, size) > width:
        size -= 0.5
    return size


def _draw_qr(canvas: Canvas, text: str, x: float, y: float, size: float) -> None:
    """The QR code as vector squares: sharp on any printer."""
    matrix = make_qr(text, error="m").matrix
    modules = len(matrix) + 8  # with the quiet zone
    cell = size / modules
    canvas.setFillColor(colors.white)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.setFillColor(colors.black)
    for row_index, row in enumerate(matrix):
        for col_index, dark in enumerate(row):
            if dark:
                canvas.rect(
                    x + (col_index + 4) * cell,
                    y + size - (row_index + 5) * cell,
                    cell,
                    cell,
                    stroke=0,
                    fill=1,
                )


def ballot_cards_pdf(
    edition: Edition, codes: list[str], url_for_code: Callable[[str], str], vote_address: str
) -> bytes:
    """Cards to hand out at the entrance, eight per A4 page: a QR code opening the ballot with
    the code filled in, and for a phone that cannot scan, the short address to type
    (`vote_address`, e.g. festival.mediatheque.fr/vote) and the code. Black on white only, so a
    photocopy reads as well as the original."""
    width, height = A4
    card_w, card_h = width / CARD_COLUMNS, height / CARD_ROWS
    pdf_fonts.register()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    canvas.setTitle(_("Cartes de vote — %(title)s", title=edition.title))
    for index, code in enumerate(codes):
        slot = index % (CARD_COLUMNS * CARD_ROWS)
        if index and slot == 0:
            canvas.showPage()
        col, row = slot % CARD_COLUMNS, slot // CARD_COLUMNS
        x, y = col * card_w, height - (row + 1) * card_h
        canvas.setStrokeColor(colors.HexColor("#bbbbbb"))
        canvas.setDash(3, 3)
        canvas.rect(x, y, card_w, card_h)  # where to cut
        canvas.setDash()
        qr_size = card_h - 24 * mm
        _draw_qr(canvas, url_for_code(code), x + 6 * mm, y + 17 * mm, qr_size)
        text_x = x + 10 * mm + qr_size
        canvas.setFillColor(colors.black)
        canvas.setFont(pdf_fonts.SANS_BOLD, 13)
        canvas.drawString(text_x, y + card_h - 14 * mm, _("Prix du public"))
        canvas.setFont(pdf_fonts.SANS, 9)
        canvas.drawString(text_x, y + card_h - 21 * mm, _("Scannez pour voter,"))
        canvas.drawString(text_x, y + card_h - 26 * mm, _("ou tapez l'adresse"))
        canvas.drawString(text_x, y + card_h - 31 * mm, _("puis ce code :"))
        canvas.setFont("Courier-Bold", 15)
        canvas.drawString(text_x, y + card_h - 40 * mm, format_code(code))
        # The address across the card, as large as fits: typed letter by letter on a phone.
        size = _fitting_size(canvas, vote_address, pdf_fonts.SANS_BOLD, card_w - 12 * mm, 13)
        canvas.setFont(pdf_fonts.SANS_BOLD, size)
        canvas.drawString(x + 6 * mm, y + 8 * mm, vote_address)
        canvas.setFont(pdf_fonts.SANS, 7)
        canvas.drawString(x + 6 * mm, y + 3.5 * mm, _("Un seul vote par carte."))
    if not codes:
        canvas.drawString(20 * mm, height - 20 * mm, _("Aucun code."))
    canvas.save()
    return buffer.getvalue()
