"""A participant's own account on the platform."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from festival.auth.models import Role, User
from festival.auth.services import free_login, login_slug, set_password
from festival.errors import ValidationError
from festival.extensions import db
from festival.people.models import (
    Participant,
)


def open_account(participant: Participant, *, password: str | None = None) -> User:
    """Give a participant their own account (login: their email, or a generated name)."""
    participant.ensure_not_erased()
    if participant.user is not None:
        if password is not None:
            set_password(participant.user, password)
        return participant.user
    if participant.email:
        existing = db.session.scalar(
            select(User).where(func.lower(User.login) == participant.email.lower())
        )
        if existing is not None:
            raise ValidationError(
                _("Un compte existe déjà avec cette adresse e-mail."), field="email"
            )
        login = participant.email.lower()
    else:
        login = free_login(
            f"{login_slug(participant.first_name or '')}.{login_slug(participant.last_name or '')}"
        )
    user = User(
        login=login,
        email=participant.email,
        display_name=participant.full_name,
        role=Role.PARTICIPANT,
    )
    if password is not None:
        set_password(user, password)
    db.session.add(user)
    participant.user = user
    db.session.flush()
    return user
