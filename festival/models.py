"""Every model, imported in one place so Alembic and the tests see the whole schema."""

from festival.auth.models import ApiToken, LoginCode, Role, User
from festival.people.models import (
    Consent,
    ConsentGiver,
    ConsentKind,
    Participant,
    ParticipantStatus,
)
from festival.workshops.models import Attendance, AttendanceStatus, Edition, Workshop

__all__ = [
    "ApiToken",
    "Attendance",
    "AttendanceStatus",
    "Consent",
    "ConsentGiver",
    "ConsentKind",
    "Edition",
    "LoginCode",
    "Participant",
    "ParticipantStatus",
    "Role",
    "User",
    "Workshop",
]
