"""PDFs to print: the teens' certificates (participation, award) and the audience's ballot cards.

Drawn with ReportLab on A4. A certificate is a private document for its teen: it carries their
full name, unlike anything public.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable

from flask_babel import format_date
from flask_babel import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from segno import make as make_qr
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from festival.awards.models import Award
from festival.awards.palmares import is_palmares_published
from festival.awards.prizes import awards_of
from festival.awards.vote import format_code
from festival.clock import local_now, local_today
from festival.editions.models import Edition
from festival.extensions import db
from festival.films import publication
from festival.films.models import Film, FilmMember
from festival.people.models import Participant, ParticipantStatus
from festival.workshops.services import participant_progress

INK = colors.HexColor("#1b2430")
BRAND = colors.HexColor("#1f3a5f")
ACCENT = colors.HexColor("#c8553d")
MUTED = colors.HexColor("#5b6675")


def _films_by_person(people: list[Participant]) -> dict[int, list[Film]]:
    """The films each of these people worked on, by title, in one query for all of them."""
    films: dict[int, list[Film]] = {person.id: [] for person in people}
    rows = db.session.execute(
        select(FilmMember.participant_id, Film)
        .join(Film, FilmMember.film_id == Film.id)
        .where(FilmMember.participant_id.in_(list(films)))
        .order_by(Film.title, Film.id)
    )
    for person_id, film in rows:
        if film not in films[person_id]:
            films[person_id].append(film)
    return films


def _frame(canvas: Canvas, width: float, height: float) -> None:
    canvas.setStrokeColor(BRAND)
    canvas.setLineWidth(3)
    canvas.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    canvas.setLineWidth(0.8)
    canvas.rect(16 * mm, 16 * mm, width - 32 * mm, height - 32 * mm)


def _centred(canvas: Canvas, y: float, text: str, size: float, *, font="Helvetica", color=INK):
    width = landscape(A4)[0]
    canvas.setFont(font, size)
    canvas.setFillColor(color)
    # Long titles shrink to fit the frame rather than run off the page.
    while canvas.stringWidth(text, font, size) > width - 50 * mm and size > 9:
        size -= 1
        canvas.setFont(font, size)
    canvas.drawCentredString(width / 2, y, text)


def _footer(canvas: Canvas, edition: Edition) -> None:
    width = landscape(A4)[0]
    canvas.setStrokeColor(MUTED)
    canvas.setLineWidth(0.5)
    canvas.line(width / 2 - 40 * mm, 42 * mm, width / 2 + 40 * mm, 42 * mm)  # to sign
    _centred(
        canvas,
        32 * mm,
        _("La médiathèque, le %(date)s", date=format_date(local_today(), "long")),
        11,
        color=MUTED,
    )
    _centred(canvas, 25 * mm, edition.title, 10, color=MUTED)


def _participation_page(canvas: Canvas, participant: Participant, films: list[Film]) -> None:
    edition = participant.edition
    width, height = landscape(A4)
    _frame(canvas, width, height)
    _centred(
        canvas,
        height - 45 * mm,
        _("Attestation de participation"),
        30,
        font="Helvetica-Bold",
        color=BRAND,
    )
    _centred(canvas, height - 60 * mm, edition.title, 14, color=MUTED)
    _centred(
        canvas,
        height - 67 * mm,
        _(
            "Festival de films des %(min)s–%(max)s ans, du %(start)s au %(end)s",
            min=edition.age_min,
            max=edition.age_max,
            start=format_date(edition.starts_on, "d MMMM y"),
            end=format_date(edition.ceremony_at.date(), "d MMMM y"),
        ),
        11,
        color=MUTED,
    )
    _centred(canvas, height - 88 * mm, participant.full_name, 26, font="Helvetica-Bold")
    progress = participant_progress(participant, local_now())
    _centred(
        canvas,
        height - 102 * mm,
        _(
            "a suivi %(attended)s ateliers de cinéma sur %(total)s",
            attended=progress.attended,
            total=progress.total,
        ),
        15,
    )
    if films:
        titles = ", ".join(f"« {publication.shown_title(f)} »" for f in films)
        _centred(
            canvas,
            height - 114 * mm,
            _("et a participé à la réalisation du film %(titles)s", titles=titles)
            if len(films) == 1
            else _("et a participé à la réalisation des films %(titles)s", titles=titles),
            15,
        )
    _footer(canvas, edition)
    canvas.showPage()


def _award_page(canvas: Canvas, participant: Participant, award: Award) -> None:
    edition = participant.edition
    width, height = landscape(A4)
    _frame(canvas, width, height)
    _centred(canvas, height - 42 * mm, _("Diplôme"), 18, color=MUTED)
    _centred(canvas, height - 62 * mm, award.name, 32, font="Helvetica-Bold", color=ACCENT)
    _centred(
        canvas,
        height - 80 * mm,
        _("décerné au film « %(title)s »", title=publication.shown_title(award.film)),
        17,
    )
    _centred(canvas, height - 98 * mm, participant.full_name, 24, font="Helvetica-Bold")
    if award.mention:
        _centred(canvas, height - 114 * mm, award.mention[:140], 12, color=MUTED)
    _footer(canvas, edition)
    canvas.showPage()


def _won_by(films: list[Film], awards: Iterable[Award]) -> list[Award]:
    mine = {f.id for f in films}
    return [a for a in awards if a.film_id in mine]


def _pdf(draw: Callable[[Canvas], None], *, title: str) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=landscape(A4))
    canvas.setTitle(title)
    canvas.setAuthor("Un Trait Amateur")
    draw(canvas)
    canvas.save()
    return buffer.getvalue()


def participant_certificates_pdf(
    participant: Participant, *, with_unpublished: bool = False
) -> bytes:
    """The teen's participation certificate, then one per award of a film they worked on.

    Awards show only once the palmarès is published (staff may print them before the
    ceremony with `with_unpublished`): a certificate must not tell the winner early.
    """
    edition = participant.edition
    awards = awards_of(edition) if with_unpublished or is_palmares_published(edition) else []

    films = _films_by_person([participant])[participant.id]

    def draw(canvas: Canvas) -> None:
        _participation_page(canvas, participant, films)
        for award in _won_by(films, [a for a in awards if a.film is not None]):
            _award_page(canvas, participant, award)

    return _pdf(draw, title=_("Attestation — %(name)s", name=participant.full_name))


def edition_certificates_pdf(edition: Edition) -> bytes:
    """Every confirmed participant's certificates, to print in one go (awards included)."""
    participants = db.session.scalars(
        select(Participant)
        .where(
            Participant.edition_id == edition.id,
            Participant.status == ParticipantStatus.CONFIRMED,
            Participant.erased_at.is_(None),
        )
        .order_by(Participant.last_name, Participant.first_name)
        .options(selectinload(Participant.attendances))
    ).all()
    awards = [a for a in awards_of(edition) if a.film is not None]
    films = _films_by_person(participants)

    def draw(canvas: Canvas) -> None:
        for participant in participants:
            _participation_page(canvas, participant, films[participant.id])
            for award in _won_by(films[participant.id], awards):
                _award_page(canvas, participant, award)
        if not participants:
            _centred(canvas, 100 * mm, _("Aucun·e participant·e confirmé·e."), 16)
            canvas.showPage()

    return _pdf(draw, title=_("Attestations — %(title)s", title=edition.title))


# ---------------------------------------------------------------- ballot cards

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
        canvas.setFont("Helvetica-Bold", 13)
        canvas.drawString(text_x, y + card_h - 14 * mm, _("Prix du public"))
        canvas.setFont("Helvetica", 9)
        canvas.drawString(text_x, y + card_h - 21 * mm, _("Scannez pour voter,"))
        canvas.drawString(text_x, y + card_h - 26 * mm, _("ou tapez l'adresse"))
        canvas.drawString(text_x, y + card_h - 31 * mm, _("puis ce code :"))
        canvas.setFont("Courier-Bold", 15)
        canvas.drawString(text_x, y + card_h - 40 * mm, format_code(code))
        # The address across the card, as large as fits: typed letter by letter on a phone.
        size = _fitting_size(canvas, vote_address, "Helvetica-Bold", card_w - 12 * mm, 13)
        canvas.setFont("Helvetica-Bold", size)
        canvas.drawString(x + 6 * mm, y + 8 * mm, vote_address)
        canvas.setFont("Helvetica", 7)
        canvas.drawString(x + 6 * mm, y + 3.5 * mm, _("Un seul vote par carte."))
    if not codes:
        canvas.drawString(20 * mm, height - 20 * mm, _("Aucun code."))
    canvas.save()
    return buffer.getvalue()
