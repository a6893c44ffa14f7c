"""The forgotten-password message, written by a background job: the page answers at once and
the same way whether an account exists or not (its timing tells nobody anything)."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select

from festival.auth import services
from festival.clock import utcnow
from festival.extensions import db, huey
from festival.jobs import job_context
from festival.mail.models import OutgoingEmail
from festival.mail.services import queue_email
from festival.responses import absolute_url

RESET_KIND = "password_reset"


@huey.task()
def send_password_reset(address: str) -> bool:
    """Write the reset link to the account behind `address`, if there is one; at most
    PASSWORD_RESET_EMAILS_PER_HOUR messages an hour to one address, so that nobody can flood
    someone's inbox from the form. Returns whether a message was written."""
    with job_context():
        user = services.find_user_by_email(address)
        if user is None or not user.email or _recent_resets(user.email) >= _per_hour():
            return False
        queue_email(
            user.email,
            RESET_KIND,
            language=user.participant.language if user.participant else None,
            name=user.display_name,
            login=user.login,
            reset_url=absolute_url(
                "auth.reset_password", token=services.password_reset_token(user)
            ),
            hours=current_app.config["PASSWORD_RESET_HOURS"],
        )
        db.session.commit()
        return True


def _per_hour() -> int:
    return current_app.config["PASSWORD_RESET_EMAILS_PER_HOUR"]


def _recent_resets(address: str) -> int:
    return db.session.scalar(
        select(func.count(OutgoingEmail.id)).where(
            OutgoingEmail.kind == RESET_KIND,
            func.lower(OutgoingEmail.to_address) == address.strip().lower(),
            OutgoingEmail.created_at > utcnow() - timedelta(hours=1),
        )
    )
