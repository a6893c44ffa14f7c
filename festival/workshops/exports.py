"""The workshops' files for other tools: attendance as CSV for Excel, the calendar."""

from __future__ import annotations

from flask_babel import gettext as _

from festival.calendars import CalendarEvent, ics_calendar
from festival.editions.models import Edition
from festival.editions.venue import venue_of
from festival.spreadsheets import excel_csv
from festival.workshops.labels import ATTENDANCE_LABELS
from festival.workshops.models import Workshop
from festival.workshops.services import attendance_sheet, attendance_sheets, roll_participants


def attendance_csv(workshop: Workshop) -> bytes:
    sheet = attendance_sheet(workshop)
    header = [_("N°"), _("Nom"), _("Prénom"), _("Présence"), _("Atelier"), _("Date")]
    said = {status: str(label) for status, label in ATTENDANCE_LABELS.items()}
    said[None] = _("non noté")
    rows = []
    for p in roll_participants(workshop.edition):
        rows.append(
            [
                p.id,
                p.last_name,
                p.first_name,
                said[sheet.get(p.id)],
                f"{workshop.number}. {workshop.title}",
                workshop.starts_at,
            ]
        )
    return excel_csv(header, rows)


def attendance_matrix_csv(edition: Edition) -> bytes:
    """One row per participant, one column per workshop: the whole term at a glance."""
    workshops = edition.workshops
    header = [_("N°"), _("Nom"), _("Prénom")] + [f"{w.number}. {w.title}" for w in workshops]
    sheets = attendance_sheets(edition, workshops)
    said = {status: str(label) for status, label in ATTENDANCE_LABELS.items()}
    said[None] = ""
    rows = []
    for p in roll_participants(edition):
        rows.append(
            [p.id, p.last_name, p.first_name] + [said[sheets[w.id].get(p.id)] for w in workshops]
        )
    return excel_csv(header, rows)


def workshops_ics(edition: Edition, *, host: str) -> bytes:
    """The edition's workshops and ceremony as an iCalendar file (no personal data)."""
    events = [workshop_event(workshop) for workshop in edition.workshops]
    events.append(ceremony_event(edition))
    # Stamped with the edition's creation: the same calendar gives the same bytes.
    return ics_calendar(edition.title, events, host=host, stamp=edition.created_at)


def workshop_event(workshop: Workshop) -> CalendarEvent:
    return CalendarEvent(
        uid=f"workshop-{workshop.id}",
        title=f"{_('Atelier')} {workshop.number} : {workshop.title}",
        starts_at=workshop.starts_at,
        ends_at=workshop.ends_at,
        location=workshop.room,
        description=workshop.description or workshop.theme,
    )


def ceremony_event(edition: Edition) -> CalendarEvent:
    """The same event (same uid) in every calendar that holds the ceremony."""
    venue = venue_of(edition)
    return CalendarEvent(
        uid=f"ceremony-{edition.id}",
        title=_("Cérémonie de remise des prix – %(title)s", title=edition.title),
        starts_at=edition.ceremony_at,
        location=venue.one_line,
        geo=venue.coordinates,
    )
