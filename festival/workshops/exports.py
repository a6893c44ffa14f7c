"""Files for the staff's other tools: CSV that French Excel opens as is, and iCalendar."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from flask_babel import gettext as _
from icalendar import Calendar, Event

from festival.clock import as_aware_local, as_aware_utc, utcnow
from festival.editions.models import Edition
from festival.people.age import participant_age
from festival.people.labels import STATUS_LABELS
from festival.people.models import ConsentKind, Participant
from festival.workshops.models import Workshop
from festival.workshops.services import ATTENDANCE_LABELS, attendance_sheet, roll_participants

# French Excel reads UTF-8 only with a byte-order mark, and splits columns on ';'.
EXCEL_BOM = "\ufeff"
EXCEL_DELIMITER = ";"


def excel_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=EXCEL_DELIMITER, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_excel_cell(value) for value in row])
    return (EXCEL_BOM + buffer.getvalue()).encode("utf-8")


def _excel_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    text = str(value)
    # A cell starting with = + - @ would run as a formula in Excel (CSV injection).
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        text = "'" + text
    return text


def participants_csv(participants: Iterable[Participant]) -> bytes:
    header = [
        _("N°"),
        _("Nom"),
        _("Prénom"),
        _("Date de naissance"),
        _("Âge à la date de référence"),
        _("E-mail"),
        _("Téléphone"),
        _("Responsable légal·e"),
        _("E-mail du ou de la responsable"),
        _("Téléphone du ou de la responsable"),
        _("Statut"),
        _("Autorisation de participation"),
        _("Droit à l'image (projection)"),
        _("Droit à l'image (en ligne)"),
    ]

    def row(p: Participant) -> list[object]:
        return [
            p.id,
            p.last_name,
            p.first_name,
            p.birth_date,
            participant_age(p),
            p.email,
            p.phone,
            p.guardian_name,
            p.guardian_email,
            p.guardian_phone,
            str(STATUS_LABELS[p.status]),
            p.has_consent(ConsentKind.PARTICIPATION),
            p.has_consent(ConsentKind.SCREENING),
            p.has_consent(ConsentKind.ONLINE),
        ]

    return excel_csv(header, (row(p) for p in participants))


def attendance_csv(workshop: Workshop) -> bytes:
    sheet = attendance_sheet(workshop)
    header = [_("N°"), _("Nom"), _("Prénom"), _("Présence"), _("Atelier"), _("Date")]
    rows = []
    for p in roll_participants(workshop.edition):
        status = sheet.get(p.id)
        rows.append(
            [
                p.id,
                p.last_name,
                p.first_name,
                str(ATTENDANCE_LABELS[status]) if status else _("non noté"),
                f"{workshop.number}. {workshop.title}",
                workshop.starts_at,
            ]
        )
    return excel_csv(header, rows)


def attendance_matrix_csv(edition: Edition) -> bytes:
    """One row per participant, one column per workshop: the whole term at a glance."""
    workshops = edition.workshops
    header = [_("N°"), _("Nom"), _("Prénom")] + [f"{w.number}. {w.title}" for w in workshops]
    sheets = {w.id: attendance_sheet(w) for w in workshops}
    rows = []
    for p in roll_participants(edition):
        marks = [sheets[w.id].get(p.id) for w in workshops]
        rows.append(
            [p.id, p.last_name, p.first_name]
            + [str(ATTENDANCE_LABELS[m]) if m else "" for m in marks]
        )
    return excel_csv(header, rows)


def workshops_ics(edition: Edition, *, host: str) -> bytes:
    """The edition's workshops and ceremony as an iCalendar file (no personal data)."""
    calendar = Calendar()
    calendar.add("prodid", "-//Un Trait Amateur//Festival//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", edition.title)
    stamp = as_aware_utc(utcnow())
    for workshop in edition.workshops:
        event = Event()
        event.add("uid", f"workshop-{workshop.id}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", as_aware_local(workshop.starts_at))
        event.add("dtend", as_aware_local(workshop.ends_at))
        event.add("summary", f"{_('Atelier')} {workshop.number} : {workshop.title}")
        if workshop.room:
            event.add("location", workshop.room)
        if workshop.description or workshop.theme:
            event.add("description", workshop.description or workshop.theme)
        calendar.add_component(event)
    ceremony = Event()
    ceremony.add("uid", f"ceremony-{edition.id}@{host}")
    ceremony.add("dtstamp", stamp)
    ceremony.add("dtstart", as_aware_local(edition.ceremony_at))
    ceremony.add("summary", _("Cérémonie de remise des prix – %(title)s", title=edition.title))
    if edition.ceremony_venue:
        ceremony.add("location", edition.ceremony_venue)
    calendar.add_component(ceremony)
    return calendar.to_ical()
