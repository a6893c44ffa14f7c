"""Every model, imported in one place so Alembic and the tests see the whole schema."""

from festival.auth.models import ApiToken, LoginCode, Role, User
from festival.awards.models import (
    Award,
    AwardsProgress,
    Ballot,
    BallotCode,
    BallotGrade,
    CertificateBatch,
    Criterion,
    JuryReview,
    JuryScore,
)
from festival.collection.models import CollectionLoan, CollectionTitle, TitleAttachment
from festival.editions.models import BudgetLine, Edition
from festival.films.models import (
    Film,
    FilmMember,
    FilmRole,
    FilmVersion,
    MusicKind,
    ReviewDecision,
    Thumbnail,
    Upload,
    VersionStatus,
)
from festival.mail.models import EmailOptOut, OutgoingEmail
from festival.models_base import JobStatus
from festival.people.models import (
    Consent,
    ConsentGiver,
    ConsentKind,
    Participant,
    ParticipantStatus,
)
from festival.programme.models import (
    ItemKind,
    ProgrammeItem,
    ScreeningBlock,
    ScreeningPack,
)
from festival.workshops.models import Attendance, AttendanceStatus, Workshop

__all__ = [
    "CollectionLoan",
    "CollectionTitle",
    "TitleAttachment",
    "EmailOptOut",
    "OutgoingEmail",
    "Award",
    "Ballot",
    "BudgetLine",
    "BallotCode",
    "BallotGrade",
    "AwardsProgress",
    "CertificateBatch",
    "Criterion",
    "JuryReview",
    "JuryScore",
    "ApiToken",
    "Attendance",
    "AttendanceStatus",
    "Consent",
    "ConsentGiver",
    "ConsentKind",
    "Edition",
    "Film",
    "FilmMember",
    "FilmRole",
    "FilmVersion",
    "MusicKind",
    "ReviewDecision",
    "Thumbnail",
    "Upload",
    "VersionStatus",
    "LoginCode",
    "ItemKind",
    "JobStatus",
    "Participant",
    "ProgrammeItem",
    "ScreeningBlock",
    "ScreeningPack",
    "ParticipantStatus",
    "Role",
    "User",
    "Workshop",
]
