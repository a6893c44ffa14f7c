"""The people domain's background job: the retention purge and its notice, every night."""

from __future__ import annotations

import logging

from flask import current_app
from huey import crontab

from festival.backup_retention import prune_old_backups
from festival.clock import utcnow
from festival.extensions import db, huey
from festival.jobs import job_context
from festival.people.privacy import add_months
from festival.people.retention import purge_due, send_notices

log = logging.getLogger(__name__)


@huey.periodic_task(crontab(hour="3", minute="15"))
def keep_the_retention_promise() -> dict[int, int]:
    """Erase what is due, and tell staff a month ahead of what comes next."""
    with job_context():
        months = current_app.config["PERSONAL_DATA_RETENTION_MONTHS"]
        purged = purge_due(utcnow(), months)
        send_notices(utcnow(), months)
        db.session.commit()
        pruned = prune_old_backups(add_months(utcnow(), -months))
    for path in pruned:
        log.warning("Retention: backup %s deleted (older than %s months)", path.name, months)
    for year, count in purged.items():
        log.warning("Retention: personal data of %s participant(s) of %s erased", count, year)
    return purged
