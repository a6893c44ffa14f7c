"""Messages on their way out, and the addresses that stopped the optional ones."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from festival.clock import utcnow
from festival.extensions import db
from festival.models_base import enum_type


class EmailStatus(enum.StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"  # every try failed: staff see it and can send it again


class OutgoingEmail(db.Model):
    __tablename__ = "outgoing_emails"

    id: Mapped[int] = mapped_column(primary_key=True)
    to_address: Mapped[str] = mapped_column(String(254), index=True)
    subject: Mapped[str] = mapped_column(String(250))
    # What it is about, e.g. "registration_received": lists, retries and opt-outs go by kind.
    kind: Mapped[str] = mapped_column(String(60), index=True)
    optional: Mapped[bool] = mapped_column(default=False)
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text, default="")
    # The signed link that stops the optional messages (built while a request knows the host).
    unsubscribe_url: Mapped[str] = mapped_column(String(500), default="")
    # The edition it is about, and its « Name <address> » (empty: the server's MAIL_SENDER).
    edition_id: Mapped[int | None] = mapped_column(
        ForeignKey("editions.id", ondelete="SET NULL"), index=True
    )
    sender: Mapped[str] = mapped_column(String(300), default="")
    # An iCalendar file sent along (an invitation, a reminder): its name and content.
    calendar_name: Mapped[str] = mapped_column(String(120), default="")
    calendar_ics: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[EmailStatus] = mapped_column(
        enum_type(EmailStatus, "email_status"), default=EmailStatus.QUEUED, index=True
    )
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]


class EmailOptOut(db.Model):
    """An address that stopped the optional messages (reminders, news) in one click."""

    __tablename__ = "email_opt_outs"

    id: Mapped[int] = mapped_column(primary_key=True)
    address: Mapped[str] = mapped_column(String(254), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
