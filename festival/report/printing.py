"""The report as a PDF to hand to the town council: the same figures as the page, small groups
hidden the same way, bars drawn by reportlab (no image of anyone, no third party)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from xml.sax.saxutils import escape

from flask_babel import format_currency, format_date
from flask_babel import gettext as _
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from festival import pdf_fonts
from festival.clock import local_today
from festival.editions.identity import Identity
from festival.report.figures import SMALL_GROUP, Count, Report

BRAND = colors.HexColor("#1f3a5f")


def _bars(rows: Sequence[tuple[str, Count | int]], width: float = 160 * mm) -> Drawing:
    bar, gap, label_width = 12, 5, 45 * mm
    values = [v.value if isinstance(v, Count) else v for _label, v in rows]
    largest = max(values, default=0) or 1
    drawing = Drawing(width, len(rows) * (bar + gap) + gap)
    room = width - label_width - 20 * mm
    for index, (label, value) in enumerate(reversed(list(rows))):
        y = gap + index * (bar + gap)
        hidden = isinstance(value, Count) and value.hidden
        number = value.value if isinstance(value, Count) else value
        drawing.add(
            String(
                label_width - 4,
                y + 3,
                str(label),
                fontName=pdf_fonts.SANS,
                fontSize=8,
                textAnchor="end",
            )
        )
        length = 8 if hidden else max(1, room * number / largest)
        rect = Rect(label_width, y, length, bar, fillColor=None if hidden else BRAND)
        rect.strokeColor = colors.grey if hidden else BRAND
        if hidden:
            rect.strokeDashArray = [2, 2]
        drawing.add(rect)
        number_label = String(label_width + length + 4, y + 3, str(value), fontSize=8)
        number_label.fontName = pdf_fonts.SANS
        drawing.add(number_label)
    return drawing


def _euros(value: float | None) -> str:
    return "—" if value is None else format_currency(value, "EUR")


def _table(rows: list[list[str]], header: bool = False) -> Table:
    table = Table(rows, hAlign="LEFT")
    style = [
        ("FONTNAME", (0, 0), (-1, -1), pdf_fonts.SANS),
        ("FONTSIZE", (0, 0), (-1, -1), 9),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.lightgrey),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
    ]
    if header:
        style += [("FONTNAME", (0, 0), (-1, 0), pdf_fonts.SANS_BOLD)]
    table.setStyle(TableStyle(style))
    return table


def _para(text: str, style) -> Paragraph:
    """Text as it was typed: an edition title or a partner's name is never reportlab markup
    (« <img src=…> » in a title once drew a local file or broke the PDF)."""
    return Paragraph(escape(str(text)), style)


def _identity_lines(report: Report, identity: Identity, prepared_by: str) -> list[str]:
    """Who and what this document is about, said once at the top."""
    e = report.edition
    library = ", ".join(part for part in (identity.library_name, identity.town) if part)
    lines = [library] if library else []
    lines.append(
        _(
            "Édition %(year)s, du %(start)s au %(end)s (cérémonie)",
            year=e.year,
            start=format_date(e.starts_on, "d MMMM y"),
            end=format_date(e.ceremony_at.date(), "d MMMM y"),
        )
    )
    lines.append(
        _(
            "Préparé par %(name)s le %(day)s",
            name=prepared_by,
            day=format_date(local_today(), "d MMMM y"),
        )
        if prepared_by
        else _("Édité le %(day)s", day=format_date(local_today(), "d MMMM y"))
    )
    return lines


def report_pdf(
    report: Report,
    yoy: list[Report],
    *,
    attendance_label,
    dropped_label,
    identity: Identity,
    prepared_by: str = "",
) -> bytes:
    """The report, with its identity on the first page and on every page's foot (library,
    edition, date, page number), so that a page handed round alone still says what it is."""
    styles = pdf_fonts.sample_styles()
    h1, h2, body = styles["Title"], styles["Heading2"], styles["BodyText"]
    e = report.edition
    story = [
        _para(_("Bilan de l'édition") + f" — {e.title}", h1),
        *(_para(line, body) for line in _identity_lines(report, identity, prepared_by)),
        _para(
            _(
                "Aucun chiffre ne désigne une personne : tout groupe de moins de %(n)s personnes "
                "est affiché « < %(n)s ».",
                n=SMALL_GROUP,
            ),
            body,
        ),
        _para(_("Inscriptions"), h2),
        _table(
            [
                [_("inscriptions reçues"), str(report.registrations["total"])],
                [_("en ligne"), str(report.registrations["online"])],
                [_("à l'accueil"), str(report.registrations["desk"])],
                [_("inscrit·es"), str(report.registrations["confirmed"])],
                [_("sur liste d'attente"), str(report.registrations["waiting_list"])],
                [_("désinscrit·es"), str(report.registrations["withdrawn"])],
            ]
        ),
        _para(_("Âges (inscrit·es)"), h2),
        _bars(report.ages),
    ]
    if report.communes:
        story += [_para(_("Communes"), h2), _bars(report.communes[:10])]
    story += [
        _para(_("Carte de la médiathèque"), h2),
        _table(
            [
                [_("En avaient déjà une :"), str(report.library_cards["already_had_one"])],
                [_("N'en avaient pas :"), str(report.library_cards["had_none"])],
                [
                    _("L'ont prise pendant le festival :"),
                    str(report.library_cards["got_one_during_the_festival"]),
                ],
            ]
        ),
        _para(_("Présences par atelier"), h2),
        _bars([(attendance_label(n), c) for n, _t, c in report.attendance]),
        _para(_("Nombre d'ateliers suivis"), h2),
        _bars([(str(n), c) for n, c in report.workshops_followed]),
    ]
    if report.dropped_out_after:
        story += [
            _para(_("Qui a décroché, et quand"), h2),
            _bars([(dropped_label(n), c) for n, c in report.dropped_out_after]),
        ]
    f, a, b = report.films, report.audience, report.budget
    story += [
        _para(_("Films et cérémonie"), h2),
        _table(
            [
                [_("films commencés"), str(f["started"])],
                [_("envoyés"), str(f["sent"])],
                [_("valides"), str(f["valid"])],
                [_("retenus"), str(f["retained"])],
                [_("projetés"), str(f["screened"])],
                [_("lectures en ligne"), str(f["online_views"])],
                [_("bulletins du vote du public"), str(a["audience_ballots"])],
                [
                    _("spectateurs comptés"),
                    "—" if a["counted_in_the_hall"] is None else str(a["counted_in_the_hall"]),
                ],
            ]
        ),
        _para(_("Budget"), h2),
        _table(
            [[line["label"], _euros(line["amount_eur"])] for line in b["lines"]]
            + [
                [_("dépenses"), _euros(b["costs_eur"])],
                [_("apports des partenaires"), _euros(b["partners_eur"])],
                [
                    _("coût par participant·e inscrit·e"),
                    _euros(b["cost_per_participant_eur"]),
                ],
            ]
        ),
        Spacer(1, 4 * mm),
        _para(_("D'une année sur l'autre"), h2),
        _table(
            [
                [
                    _("Édition"),
                    _("Inscriptions"),
                    _("Inscrit·es"),
                    _("Parcours suivi"),
                    _("Films projetés"),
                    _("Spectateurs"),
                ]
            ]
            + [
                [
                    str(r.edition.year),
                    str(r.registrations["total"]),
                    str(r.registrations["confirmed"]),
                    str(r.completed),
                    str(r.films["screened"]),
                    "—"
                    if r.audience["counted_in_the_hall"] is None
                    else str(r.audience["counted_in_the_hall"]),
                ]
                for r in yoy
            ],
            header=True,
        ),
    ]
    foot = " · ".join(
        part
        for part in (
            _("Bilan %(title)s", title=e.title),
            identity.library_name,
            _("édité le %(day)s", day=format_date(local_today(), "d MMMM y")),
        )
        if part
    )

    def on_page(canvas, document) -> None:
        canvas.saveState()
        canvas.setFont(pdf_fonts.SANS, 7.5)
        canvas.setFillColor(colors.HexColor("#5b6675"))
        canvas.drawString(18 * mm, 9 * mm, foot)
        canvas.drawRightString(A4[0] - 18 * mm, 9 * mm, _("page %(n)s", n=document.page))
        canvas.restoreState()

    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=_("Bilan de l'édition") + f" {e.year}",
        author=identity.library_name or "Un Trait Amateur",
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
    ).build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()
