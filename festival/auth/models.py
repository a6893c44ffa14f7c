"""Accounts, API tokens and one-time sign-in codes."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from festival.clock import utcnow
from festival.extensions import db
from festival.models_base import enum_type

if TYPE_CHECKING:  # other domains' models, for type hints only
    from festival.people.models import Participant


class Role(enum.StrEnum):
    ADMIN = "admin"
    STAFF = "staff"
    FACILITATOR = "facilitator"
    JURY = "jury"
    PARTICIPANT = "participant"


STAFF_ROLES = frozenset({Role.ADMIN, Role.STAFF})


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    # What the person types to sign in: their email, or a generated name for a teenager
    # who has none (they sign in with a one-time code first).
    login: Mapped[str] = mapped_column(String(254), unique=True)
    email: Mapped[str | None] = mapped_column(String(254))
    display_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(enum_type(Role, "role"))
    is_enabled: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]

    participant: Mapped[Participant | None] = relationship(
        back_populates="user", uselist=False, foreign_keys="Participant.user_id"
    )

    # The device session this request runs under (set at sign-in and by the user loader): its
    # token is part of the session and "remember me" cookies, see DeviceSession.
    device_token = None  # not a column: a plain attribute of the loaded object

    def get_id(self) -> str:
        return f"{self.id}:{self.device_token or ''}"

    @property
    def is_active(self) -> bool:  # Flask-Login refuses disabled accounts
        return self.is_enabled

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    def __repr__(self) -> str:
        return f"<User {self.id} {self.login} {self.role}>"


class DeviceSession(db.Model):
    """One signed-in browser. Its token travels in the session and "remember me" cookies and
    is stored here only as a SHA-256: signing out or changing the password deletes every row
    of the account, so no copied or forgotten cookie works again; a remembered browser gets a
    new token each time it comes back."""

    __tablename__ = "device_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    remembered: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    renewed_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()


class ApiToken(db.Model):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # Only a SHA-256 of the token is stored: a stolen database yields no usable token.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]

    user: Mapped[User] = relationship()


class LoginCode(db.Model):
    """A one-time sign-in code printed for a teenager (as text and as a QR code)."""

    __tablename__ = "login_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(foreign_keys=[user_id])
