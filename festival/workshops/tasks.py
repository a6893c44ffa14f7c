"""The workshops' background job: the morning reminders of the workshops two days ahead."""

from __future__ import annotations

import logging

from huey import crontab

from festival.clock import local_today
from festival.editions.services import current_edition
from festival.extensions import db, huey
from festival.jobs import job_context
from festival.workshops.emails import send_workshop_reminders

log = logging.getLogger(__name__)


@huey.periodic_task(crontab(hour="9", minute="0"))
def remind_workshops() -> int:
    with job_context():
        edition = current_edition()
        sent = send_workshop_reminders(edition, local_today()) if edition else 0
        db.session.commit()
    if sent:
        log.info("%s workshop reminder(s) queued", sent)
    return sent
