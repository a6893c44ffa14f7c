"""Writing to people: a message is rendered in the person's language, stored, and sent by a
background job once the change that caused it is committed (never from inside a page).

Operations add and flush; the caller commits once, and only then do messages leave.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Protocol

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from festival.extensions import db
from festival.mail import headers
from festival.mail.models import EmailOptOut, EmailStatus, OutgoingEmail
from festival.mail.tasks import send_email
from festival.mail.tokens import opt_out_token
from festival.mail.transport import outbox_file_name, outbox_folder
from festival.paging import paginate
from festival.responses import absolute_url

log = logging.getLogger(__name__)


class AboutEdition(Protocol):
    """The edition a message is about (the mail layer knows no more of editions)."""

    id: int
    title: str
    mail_from: str  # its own sender address, or empty for the configured one


def has_opted_out(address: str) -> bool:
    return (
        db.session.scalar(
            select(EmailOptOut.id).where(func.lower(EmailOptOut.address) == address.lower())
        )
        is not None
    )


def opt_out(address: str) -> None:
    """Stop the optional messages to this address (idempotent)."""
    if not has_opted_out(address):
        db.session.add(EmailOptOut(address=address.strip().lower()))
        db.session.flush()


def queue_email(
    to: str | None,
    kind: str,
    *,
    language: str | None = None,
    optional: bool = False,
    edition: AboutEdition | None = None,
    calendar: tuple[str, bytes] | None = None,
    **context,
) -> OutgoingEmail | None:
    """Render `email/<kind>.txt` and `.html` in the person's language and queue the message.

    The first line of the text template is the subject. Nothing is queued without an address,
    nor an optional message to an address that stopped them. Every message carries a link that
    stops the optional ones (and the List-Unsubscribe headers mail programs show as a button).
    `edition`: what it is about, whose address it comes from; `calendar`: (file name,
    iCalendar bytes) to attach.
    """
    if not to:
        return None
    if optional and has_opted_out(to):
        return None
    stop_url = absolute_url("mail.stop", token=opt_out_token(to))
    languages = current_app.config["LANGUAGES"]
    with force_locale(language if language in languages else languages[0]):
        text = render_template(f"mail/messages/{kind}.txt", stop_url=stop_url, **context)
        html = render_template(f"mail/messages/{kind}.html", stop_url=stop_url, **context)
    subject, _sep, body = text.partition("\n")
    email = OutgoingEmail(
        to_address=to.strip(),
        subject=subject.strip(),
        kind=kind,
        optional=optional,
        body_text=body.strip() + "\n",
        body_html=html,
        unsubscribe_url=stop_url,
        sender=headers.sender(
            current_app.config["MAIL_SENDER"], name=edition.title, address=edition.mail_from
        )
        if edition is not None and edition.mail_from
        else "",
        edition_id=edition.id if edition is not None else None,
        calendar_name=calendar[0] if calendar else "",
        calendar_ics=calendar[1].decode("utf-8") if calendar else "",
    )
    db.session.add(email)
    db.session.flush()
    db.session.info.setdefault("emails_to_send", []).append(email.id)
    return email


def sent_about(kind: str, edition: AboutEdition) -> tuple[int, datetime | None]:
    """How many messages of this kind were written about this edition, and when the last was
    (a message told once per edition asks before writing again)."""
    count, last = db.session.execute(
        select(func.count(OutgoingEmail.id), func.max(OutgoingEmail.created_at)).where(
            OutgoingEmail.kind == kind, OutgoingEmail.edition_id == edition.id
        )
    ).one()
    return count, last


def resend(email: OutgoingEmail) -> None:
    """Staff send a failed message again."""
    email.status, email.last_error = EmailStatus.QUEUED, ""
    db.session.flush()
    db.session.info.setdefault("emails_to_send", []).append(email.id)


@event.listens_for(Session, "after_commit")
def _send_when_committed(session: Session) -> None:
    ids = session.info.pop("emails_to_send", None)
    for email_id in ids or ():
        try:
            send_email(email_id)
        except Exception:  # the queue is down: the message stays queued, the page goes on
            log.exception("Email %s could not be queued", email_id)


@event.listens_for(Session, "after_rollback")
def _forget_when_rolled_back(session: Session) -> None:
    session.info.pop("emails_to_send", None)


# The outbox shows this many messages a page, newest first (a season sends thousands).
OUTBOX_PER_PAGE = 100


def outbox_page(page: int):
    """A page of every message, newest first (a page past the end is the last one)."""
    stmt = select(OutgoingEmail).order_by(OutgoingEmail.created_at.desc(), OutgoingEmail.id.desc())
    return paginate(stmt, page=page, per_page=OUTBOX_PER_PAGE)


def failed_emails() -> list[OutgoingEmail]:
    """Every message that could not leave, however old: staff must see each one."""
    return list(
        db.session.scalars(
            select(OutgoingEmail)
            .where(OutgoingEmail.status == EmailStatus.FAILED)
            .order_by(OutgoingEmail.created_at.desc())
        )
    )


def forget_addresses(addresses: set[str], *, keep_opt_outs: set[str] = frozenset()) -> int:
    """Erasure: every message written to these addresses goes, row and `.eml` file alike (a
    message holds the person's name and address); their opt-outs go too, unless another
    person still uses that address (`keep_opt_outs`). Returns how many messages went."""
    wanted = {a.strip().lower() for a in addresses if a and a.strip()}
    if not wanted:
        return 0
    emails = list(
        db.session.scalars(
            select(OutgoingEmail).where(func.lower(OutgoingEmail.to_address).in_(wanted))
        )
    )
    folder = outbox_folder()
    for email in emails:
        (folder / outbox_file_name(email)).unlink(missing_ok=True)
        db.session.delete(email)
    kept = {a.strip().lower() for a in keep_opt_outs}
    for stop in db.session.scalars(
        select(EmailOptOut).where(func.lower(EmailOptOut.address).in_(wanted - kept))
    ):
        db.session.delete(stop)
    db.session.flush()
    return len(emails)
