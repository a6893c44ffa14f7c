"""What the workshops domain holds on a participant, for their subject-access export."""

from __future__ import annotations

from festival.people.models import Participant
from festival.people.privacy import ExportSection
from festival.people.signals import export_requested


@export_requested.connect
def attendance_export_section(participant: Participant, **_) -> ExportSection:
    """Every roll call mark: workshop, date and status."""
    marks = sorted(participant.attendances, key=lambda a: a.workshop.number)
    return ExportSection(
        "attendance",
        [
            {
                "workshop": a.workshop.number,
                "title": a.workshop.title,
                "date": a.workshop.starts_at.isoformat(),
                "status": a.status.value,
            }
            for a in marks
        ],
        "workshops/_export_section.html",
    )
