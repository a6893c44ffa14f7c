"""The certificates a teen takes home: one of participation, then a diploma per prize her
film won. Designed to be framed: A4 landscape, the festival's identity, the médiathèque's logo
and signature (festival.editions.identity), DejaVu fonts that print every name (« Nguyễn »).

Only for people who came: a registration still pending, or one that never attended a workshop,
gets none. A certificate is a private document for its teen: it carries her full name, unlike
anything public. Content is gathered from the database (`certificate_of`), then drawn from
that plain content (`draw_certificates`), which the sample page uses too.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from xml.sax.saxutils import escape

from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from festival import pdf_fonts
from festival.awards.certificate_rules import may_have_certificate
from festival.awards.laurels import wreath
from festival.awards.models import Award
from festival.awards.palmares import is_palmares_published
from festival.awards.prizes import awards_of
from festival.clock import local_now, local_today
from festival.editions.identity import Identity, library_identity
from festival.editions.models import Edition
from festival.extensions import db
from festival.films import publication
from festival.films.models import Film, FilmMember
from festival.people.models import Participant, ParticipantStatus
from festival.people.signals import participant_page_requested
from festival.workshops.services import participant_progress

INK = colors.HexColor("#1b2430")
BRAND = colors.HexColor("#1f3a5f")
ACCENT = colors.HexColor("#b08428")  # the laurel's gold
MUTED = colors.HexColor("#5b6675")
PAPER = colors.HexColor("#fbf8f1")
FESTIVAL_NAME = "Un Trait Amateur"
PAGE = landscape(A4)


@dataclass
class CertificateContent:
    full_name: str
    first_name: str
    edition_title: str
    age_min: int
    age_max: int
    starts_on: date
    ends_on: date
    workshops_attended: list[str]
    workshops_total: int
    films: list[str]
    awards: list[tuple[str, str, str]] = field(default_factory=list)  # name, film, mention
    issued_on: date = field(default_factory=local_today)


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


def _won_by(films: list[Film], awards: Iterable[Award]) -> list[Award]:
    mine = {f.id for f in films}
    return [a for a in awards if a.film_id in mine]


def certificate_of(participant: Participant, films: list[Film], awards: list[Award]):
    edition = participant.edition
    progress = participant_progress(participant, local_now())
    return CertificateContent(
        full_name=participant.full_name,
        first_name=participant.first_name,
        edition_title=edition.title,
        age_min=edition.age_min,
        age_max=edition.age_max,
        starts_on=edition.starts_on,
        ends_on=edition.ceremony_at.date(),
        workshops_attended=[w.title for w, s in progress.marks if s is not None and s.attended],
        workshops_total=progress.total,
        films=[publication.shown_title(f) for f in films],
        awards=[
            (a.name, publication.shown_title(a.film), a.mention or "")
            for a in _won_by(films, awards)
        ],
    )


def prizes_of(participant: Participant, *, with_unpublished: bool = False) -> list[Award]:
    """The prizes won by the films she worked on; none before the palmarès is published
    (staff may see them earlier with `with_unpublished`, to print before the ceremony)."""
    edition = participant.edition
    if not (with_unpublished or is_palmares_published(edition)):
        return []
    films = _films_by_person([participant])[participant.id]
    return _won_by(films, [a for a in awards_of(edition) if a.film is not None])


# ---------------------------------------------------------------- drawing


def _styles() -> dict[str, ParagraphStyle]:
    pdf_fonts.register()
    body = ParagraphStyle(
        "body",
        fontName=pdf_fonts.SANS,
        fontSize=12.5,
        leading=17,
        alignment=TA_CENTER,
        textColor=INK,
    )
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=10, leading=13, textColor=MUTED),
        "award": ParagraphStyle(
            "award",
            parent=body,
            fontName=pdf_fonts.SERIF_BOLD,
            fontSize=24,
            leading=28,
            textColor=BRAND,
        ),
    }


def _paragraph(canvas: Canvas, text: str, style, top: float, width: float = 210 * mm) -> float:
    """A centred paragraph whose top is at `top`; returns where it ends."""
    paragraph = Paragraph(text, style)
    _w, height = paragraph.wrapOn(canvas, width, 200 * mm)
    paragraph.drawOn(canvas, (PAGE[0] - width) / 2, top - height)
    return top - height


def _line(canvas: Canvas, y: float, text: str, size: float, font: str, color) -> None:
    canvas.setFont(font, size)
    canvas.setFillColor(color)
    while canvas.stringWidth(text, font, size) > PAGE[0] - 60 * mm and size > 9:
        size -= 1  # a long name shrinks rather than runs off the page
        canvas.setFont(font, size)
    canvas.drawCentredString(PAGE[0] / 2, y, text)


def _picture(canvas: Canvas, path, corner: tuple, box: tuple, anchor: str) -> None:
    """A stored PNG fitted in `box` (its proportions kept, its transparency too)."""
    canvas.drawImage(
        ImageReader(str(path)),
        *corner,
        width=box[0],
        height=box[1],
        preserveAspectRatio=True,
        anchor=anchor,
        mask="auto",
    )


def _page_frame(canvas: Canvas, identity: Identity) -> None:
    width, height = PAGE
    canvas.setFillColor(PAPER)
    canvas.rect(0, 0, width, height, stroke=0, fill=1)
    canvas.setStrokeColor(BRAND)
    canvas.setLineWidth(2.5)
    canvas.rect(10 * mm, 10 * mm, width - 20 * mm, height - 20 * mm)
    canvas.setStrokeColor(ACCENT)
    canvas.setLineWidth(0.8)
    canvas.rect(13 * mm, 13 * mm, width - 26 * mm, height - 26 * mm)
    canvas.setFillColor(ACCENT)
    for x, y in ((13, 13), (13, 197), (284, 13), (284, 197)):  # a diamond at each corner
        path = canvas.beginPath()
        path.moveTo(x * mm, (y - 2.5) * mm)
        path.lineTo((x + 2.5) * mm, y * mm)
        path.lineTo(x * mm, (y + 2.5) * mm)
        path.lineTo((x - 2.5) * mm, y * mm)
        path.close()
        canvas.drawPath(path, stroke=0, fill=1)
    if identity.logo:
        _picture(canvas, identity.logo, (22 * mm, height - 44 * mm), (45 * mm, 24 * mm), "nw")
    canvas.setFillColor(BRAND)
    canvas.setFont(pdf_fonts.SERIF_BOLD, 15)
    canvas.drawRightString(width - 22 * mm, height - 27 * mm, FESTIVAL_NAME)
    canvas.setFillColor(MUTED)
    canvas.setFont(pdf_fonts.SANS, 9)
    if identity.library_name:
        canvas.drawRightString(width - 22 * mm, height - 33 * mm, identity.library_name)


def _signature_block(canvas: Canvas, content: CertificateContent, identity: Identity) -> None:
    width = PAGE[0]
    canvas.setFillColor(MUTED)
    canvas.setFont(pdf_fonts.SANS, 10.5)
    issued = format_date(content.issued_on, "long")
    canvas.drawString(
        30 * mm,
        30 * mm,
        _("Fait à %(town)s, le %(date)s", town=identity.town, date=issued)
        if identity.town
        else _("Le %(date)s", date=issued),
    )
    right = width - 30 * mm
    if identity.signature:
        _picture(canvas, identity.signature, (right - 55 * mm, 37 * mm), (55 * mm, 20 * mm), "s")
    canvas.setStrokeColor(MUTED)
    canvas.setLineWidth(0.5)
    canvas.line(right - 60 * mm, 36 * mm, right, 36 * mm)
    canvas.setFillColor(INK)
    canvas.setFont(pdf_fonts.SANS_BOLD, 10.5)
    canvas.drawRightString(right, 31 * mm, identity.signatory_name or _("Pour la médiathèque"))
    if identity.signatory_title:
        canvas.setFont(pdf_fonts.SANS, 9)
        canvas.setFillColor(MUTED)
        canvas.drawRightString(right, 26.5 * mm, identity.signatory_title)


def _laurel(canvas: Canvas, cx: float, cy: float, radius: float) -> None:
    canvas.setFillColor(ACCENT)
    for leaf in wreath(cx, cy, radius):
        path = canvas.beginPath()
        path.moveTo(*leaf[0])
        for point in leaf[1:]:
            path.lineTo(*point)
        path.close()
        canvas.drawPath(path, stroke=0, fill=1)


def _participation_page(canvas: Canvas, content: CertificateContent, identity: Identity) -> None:
    styles = _styles()
    width, height = PAGE
    _page_frame(canvas, identity)
    heading = _("Attestation de participation")
    _line(canvas, height - 62 * mm, heading, 30, pdf_fonts.SERIF_BOLD, BRAND)
    canvas.setStrokeColor(ACCENT)
    canvas.setLineWidth(1.2)
    canvas.line(width / 2 - 25 * mm, height - 67 * mm, width / 2 + 25 * mm, height - 67 * mm)
    _line(canvas, height - 79 * mm, _("décernée à"), 12, pdf_fonts.SANS, MUTED)
    _line(canvas, height - 95 * mm, content.full_name, 34, pdf_fonts.SERIF_BOLD, INK)
    when = _(
        "du %(start)s au %(end)s",
        start=format_date(content.starts_on, "d MMMM y"),
        end=format_date(content.ends_on, "d MMMM y"),
    )
    attended = content.workshops_attended
    lines = [
        _(
            "pour sa participation à <b>%(edition)s</b>, festival de films des %(min)s–%(max)s "
            "ans, %(when)s.",
            edition=escape(content.edition_title),
            min=content.age_min,
            max=content.age_max,
            when=when,
        ),
        ngettext(
            "%(name)s a suivi %(num)s atelier de cinéma sur %(total)s",
            "%(name)s a suivi %(num)s ateliers de cinéma sur %(total)s",
            len(content.workshops_attended),
            name=escape(content.first_name),
            total=content.workshops_total,
        )
        + (f" : {escape(', '.join(attended))}." if attended else "."),
    ]
    if content.films:
        titles = ", ".join(f"« {escape(title)} »" for title in content.films)
        lines.append(
            ngettext(
                "et a réalisé avec son équipe le film %(titles)s.",
                "et a réalisé avec ses équipes les films %(titles)s.",
                len(content.films),
                titles=titles,
            )
        )
    top = height - 108 * mm
    for text in lines:
        top = _paragraph(canvas, text, styles["body"], top) - 2 * mm
    if content.awards:
        prizes = ", ".join(escape(name) for name, _film, _mention in content.awards)
        _paragraph(
            canvas,
            f'<font color="#8a6518"><b>{escape(_("Lauréat·e :"))} {prizes}</b></font>',
            styles["body"],
            top - 2 * mm,
        )
    _signature_block(canvas, content, identity)
    canvas.showPage()


def _award_page(canvas: Canvas, content: CertificateContent, identity: Identity, award) -> None:
    name, film_title, mention = award
    styles = _styles()
    width, height = PAGE
    _page_frame(canvas, identity)
    centre_y = 125 * mm
    _laurel(canvas, width / 2, centre_y, 40 * mm)
    _line(canvas, centre_y + 20 * mm, _("Diplôme"), 13, pdf_fonts.SANS, MUTED)
    end = _paragraph(canvas, escape(name), styles["award"], centre_y + 15 * mm, width=62 * mm)
    _paragraph(
        canvas,
        _("décerné au film « %(title)s »", title=escape(film_title)),
        styles["body"],
        end - 3 * mm,
        width=62 * mm,
    )
    _line(canvas, 60 * mm, content.full_name, 22, pdf_fonts.SERIF_BOLD, INK)
    _line(
        canvas,
        53 * mm,
        _("membre de l'équipe du film, %(edition)s", edition=content.edition_title),
        10.5,
        pdf_fonts.SANS,
        MUTED,
    )
    if mention:
        _paragraph(canvas, f"<i>{escape(mention[:240])}</i>", styles["small"], 49 * mm, 120 * mm)
    _signature_block(canvas, content, identity)
    canvas.showPage()


def draw_certificates(
    contents: list[CertificateContent],
    identity: Identity,
    *,
    title: str,
    drawn: Callable[[int, int], None] | None = None,
) -> bytes:
    """The PDF; `drawn(done, total)` hears after each person's pages (a job's progress)."""
    pdf_fonts.register()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=PAGE)
    canvas.setTitle(title)
    canvas.setAuthor(identity.library_name or FESTIVAL_NAME)
    canvas.setSubject(FESTIVAL_NAME)
    for done, content in enumerate(contents, start=1):
        _participation_page(canvas, content, identity)
        for award in content.awards:
            _award_page(canvas, content, identity, award)
        if drawn is not None:
            drawn(done, len(contents))
    if not contents:
        canvas.setFont(pdf_fonts.SANS, 16)
        canvas.drawCentredString(PAGE[0] / 2, PAGE[1] / 2, _("Aucune attestation à imprimer."))
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


# ---------------------------------------------------------------- the PDFs


def participant_certificates_pdf(
    participant: Participant, *, with_unpublished: bool = False
) -> bytes:
    """The teen's participation certificate, then one diploma per prize of a film she worked
    on (once the palmarès is published, or before for staff with `with_unpublished`).
    The caller checks `may_have_certificate` first."""
    films = _films_by_person([participant])[participant.id]
    awards = prizes_of(participant, with_unpublished=with_unpublished)
    content = certificate_of(participant, films, awards)
    return draw_certificates(
        [content],
        library_identity(),
        title=_("Attestation — %(name)s", name=participant.full_name),
    )


def edition_certificate_contents(edition: Edition) -> list[CertificateContent]:
    """What the certificates of everyone who took part say (diplomas included), in the order
    they are printed: by name."""
    participants = [
        p
        for p in db.session.scalars(
            select(Participant)
            .where(
                Participant.edition_id == edition.id,
                Participant.status.in_([ParticipantStatus.CONFIRMED, ParticipantStatus.WITHDRAWN]),
                Participant.erased_at.is_(None),
            )
            .order_by(Participant.last_name, Participant.first_name)
            .options(selectinload(Participant.attendances))
        )
        if may_have_certificate(p)
    ]
    awards = [a for a in awards_of(edition) if a.film is not None]
    films = _films_by_person(participants)
    return [certificate_of(p, films[p.id], awards) for p in participants]


def sample_certificate_pdf(edition: Edition) -> bytes:
    """A certificate for a made-up teen with a prize, to see the design before printing."""
    workshops = [w.title for w in edition.workshops][:7]
    content = CertificateContent(
        full_name="Nguyễn Thị Ánh",
        first_name="Ánh",
        edition_title=edition.title,
        age_min=edition.age_min,
        age_max=edition.age_max,
        starts_on=edition.starts_on,
        ends_on=edition.ceremony_at.date(),
        workshops_attended=workshops,
        workshops_total=len(edition.workshops),
        films=[_("Le Jour où la pluie s'arrêta")],
        awards=[(_("Prix du jury"), _("Le Jour où la pluie s'arrêta"), "")],
    )
    return draw_certificates([content], library_identity(), title=_("Attestation d'exemple"))


@participant_page_requested.connect
def prizes_on_participant_pages(participant: Participant, **_kwargs) -> dict:
    """The teen's space (and staff's page of her) show her prizes and whether her
    certificate is ready."""
    return {
        "prizes": prizes_of(participant),
        "has_certificate": may_have_certificate(participant),
    }
