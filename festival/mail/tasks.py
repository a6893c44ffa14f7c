"""Sending a queued message, with retries; a message whose every try failed stays for staff."""

from __future__ import annotations

import logging
from datetime import timedelta

from flask import current_app
from flask_mail import Message
from huey import crontab
from sqlalchemy import select
from sqlalchemy.orm import Session

from festival.clock import utcnow
from festival.extensions import db, huey
from festival.jobs import job_context
from festival.mail import headers
from festival.mail.headers import single_header_line
from festival.mail.models import EmailStatus, OutgoingEmail
from festival.mail.transport import deliver, outbox_file_name

log = logging.getLogger(__name__)
RETRIES = 5


@huey.task(retries=RETRIES, retry_delay=60, context=True)
def send_email(email_id: int, task=None) -> None:
    """Its own database session: it may run right after a commit, from inside the hook."""
    with job_context(), Session(db.engine) as session:
        email = session.get(OutgoingEmail, email_id)
        if email is None or email.status == EmailStatus.SENT:
            return
        email.attempts += 1
        message = SafeMessage(
            subject=single_header_line(email.subject),
            recipients=[single_header_line(email.to_address)],
            body=email.body_text,
            html=email.body_html or None,
            sender=email.sender or headers.sender(current_app.config["MAIL_SENDER"]),
            extra_headers=headers.list_headers(email.unsubscribe_url),
        )
        if email.calendar_ics:
            message.attach(
                email.calendar_name or "invitation.ics",
                "text/calendar; charset=utf-8; method=PUBLISH",
                email.calendar_ics.encode("utf-8"),
            )
        try:
            deliver(message, file_name=outbox_file_name(email))
        except Exception as error:
            email.last_error = f"{type(error).__name__}: {error}"[:2000]
            last_try = task is None or task.retries == 0
            if last_try:
                email.status = EmailStatus.FAILED
            session.commit()
            log.warning("Email %s to %s not sent: %s", email.id, email.to_address, error)
            if not last_try:
                raise  # Huey tries again in a minute
            return
        email.status, email.sent_at, email.last_error = EmailStatus.SENT, utcnow(), ""
        session.commit()


# A message still queued this long after it was written lost its job (the queue was down when
# the page committed, or a worker died): longer than the five retries a minute apart.
STALLED_AFTER = timedelta(minutes=15)


@huey.periodic_task(crontab(minute="*/10"))
def send_stalled_emails() -> int:
    """Every ten minutes, queue again what never left: no message stays queued for good."""
    with job_context():
        stalled = list(
            db.session.scalars(
                select(OutgoingEmail.id).where(
                    OutgoingEmail.status == EmailStatus.QUEUED,
                    OutgoingEmail.created_at < utcnow() - STALLED_AFTER,
                )
            )
        )
        for email_id in stalled:
            send_email(email_id)
    if stalled:
        log.warning("%s stalled message(s) queued again", len(stalled))
    return len(stalled)


class SafeMessage(Message):
    """Flask-Mail's message, written with a policy that keeps each header on its line."""

    def _message(self):
        message = super()._message()
        message.policy = headers.MESSAGE_POLICY
        return message
