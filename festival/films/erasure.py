"""What an erased participant's account left in the films domain: washed when people says
so (people.signals.participant_erased), never by people reaching up into films."""

from __future__ import annotations

import logging

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from festival.extensions import db
from festival.films.models import FilmVersion, Subtitle, Upload
from festival.films.tasks import wash_original
from festival.people.models import Participant
from festival.people.signals import participant_erased
from festival.storage import media_path

log = logging.getLogger(__name__)
PENDING_WASH = "originals_to_wash"


@participant_erased.connect
def wash_what_the_account_left(participant: Participant, user_id: int | None = None, **_) -> None:
    """Upload file names (often the teen's name, or « IMG_2024 chez Léa ») become neutral;
    unfinished uploads go; the originals she sent lose the phone's tags once committed."""
    if user_id is None:
        return
    versions = list(
        db.session.scalars(select(FilmVersion).where(FilmVersion.uploaded_by_id == user_id))
    )
    for version in versions:
        version.original_filename = f"version-{version.number}"
    for subtitle in db.session.scalars(select(Subtitle).where(Subtitle.added_by_id == user_id)):
        subtitle.original_filename = f"sous-titres-{subtitle.language or 'und'}"
    for upload in db.session.scalars(select(Upload).where(Upload.user_id == user_id)):
        if upload.completed_at is None:
            media_path(upload.partial_path).unlink(missing_ok=True)
            db.session.delete(upload)
        else:
            upload.filename, upload.upload_metadata = "", {}
    db.session.flush()
    db.session.info.setdefault(PENDING_WASH, []).extend(v.id for v in versions)


@event.listens_for(Session, "after_commit")
def _wash_when_committed(session: Session) -> None:
    for version_id in session.info.pop(PENDING_WASH, None) or ():
        try:
            wash_original(version_id)
        except Exception:  # the queue is down: the original keeps its tags until washed again
            log.exception("Version %s could not be queued for washing", version_id)


@event.listens_for(Session, "after_rollback")
def _forget_when_rolled_back(session: Session) -> None:
    session.info.pop(PENDING_WASH, None)
