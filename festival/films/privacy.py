"""What the films domain holds on a participant, for their subject-access export."""

from __future__ import annotations

from sqlalchemy import select

from festival.extensions import db
from festival.films.labels import ROLE_LABELS, STATUS_LABELS
from festival.films.models import Film, FilmMember, Upload
from festival.films.services import film_status
from festival.people.models import Participant
from festival.people.privacy import ExportSection
from festival.people.signals import export_requested


@export_requested.connect
def films_export_section(participant: Participant, **_) -> ExportSection:
    """The films they are credited on, with their roles, every version and who sent it."""
    films = db.session.scalars(
        select(Film)
        .join(FilmMember)
        .where(FilmMember.participant_id == participant.id)
        .distinct()
        .order_by(Film.id)
    ).all()
    user_id = participant.user_id
    exported = []
    for film in films:
        roles = [m.role for m in film.members if m.participant_id == participant.id]
        exported.append(
            {
                "id": film.id,
                "title": film.title,
                "synopsis": film.synopsis,
                "status": str(STATUS_LABELS[film_status(film)]),
                "credits": [{"role": r.value, "label": str(ROLE_LABELS[r])} for r in roles],
                "versions": [
                    {
                        "number": v.number,
                        "uploaded_at": v.uploaded_at.isoformat(),
                        "file_name": v.original_filename,
                        "size": v.size,
                        "sha256": v.sha256,
                        "status": v.status.value,
                        "sent_by_them": user_id is not None and v.uploaded_by_id == user_id,
                    }
                    for v in film.versions
                ],
            }
        )
    return ExportSection("films", exported, "films/_export_section.html")


@export_requested.connect
def uploads_export_section(participant: Participant, **_) -> ExportSection:
    """Uploads they started and did not finish (finished ones are the versions above)."""
    if participant.user_id is None:
        return ExportSection("uploads_in_progress", [], "films/_export_uploads.html")
    uploads = db.session.scalars(
        select(Upload)
        .where(Upload.user_id == participant.user_id, Upload.completed_at.is_(None))
        .order_by(Upload.created_at)
    ).all()
    return ExportSection(
        "uploads_in_progress",
        [
            {
                "film": u.film.title,
                "file_name": u.filename,
                "size": u.length,
                "received": u.offset,
                "started_at": u.created_at.isoformat(),
                "expires_at": u.expires_at.isoformat(),
            }
            for u in uploads
        ],
        "films/_export_uploads.html",
    )
