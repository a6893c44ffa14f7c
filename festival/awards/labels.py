"""How the awards' values are named to people."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from festival.awards.models import AwardKind, Grade

GRADE_LABELS = {
    Grade.EXCELLENT: _l("Excellent"),
    Grade.TRES_BIEN: _l("Très bien"),
    Grade.BIEN: _l("Bien"),
    Grade.ASSEZ_BIEN: _l("Assez bien"),
    Grade.PASSABLE: _l("Passable"),
    Grade.A_REJETER: _l("À rejeter"),
}

KIND_LABELS = {
    AwardKind.JURY: _l("Décerné par le jury"),
    AwardKind.AUDIENCE: _l("Décerné par le public"),
}
