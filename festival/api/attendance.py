"""The attendance sheet of a workshop, read and replaced whole."""

from __future__ import annotations

import marshmallow as ma
from flask import abort
from flask_babel import gettext as _

from festival.api.security import ApiBlueprint, for_roles, require_user
from festival.auth.models import STAFF_ROLES, Role
from festival.errors import PermissionDenied
from festival.extensions import db
from festival.transactions import commit_retrying
from festival.workshops import services
from festival.workshops.models import AttendanceStatus, Workshop

blp = ApiBlueprint(
    "api_attendance", __name__, url_prefix="/api/v1/workshops", description="Présences"
)
SECURITY = [{"bearerAuth": []}]
STATUS_VALUES = [s.value for s in AttendanceStatus]


class AttendanceSheetSchema(ma.Schema):
    """`{"<participant id>": "present" | "absent" | "excused" | "late"}`"""

    class Meta:
        unknown = ma.INCLUDE

    @ma.validates_schema(pass_original=True)
    def check_entries(self, _data, original, **_kwargs):
        if not isinstance(original, dict):
            raise ma.ValidationError(_("Le corps doit être un objet JSON."))
        errors = {}
        for key, value in original.items():
            if not (str(key).isascii() and str(key).isdigit()):
                errors[key] = _("La clé doit être le numéro d'un·e participant·e.")
            elif value not in STATUS_VALUES:
                errors[key] = _(
                    "Valeur inconnue : utilisez %(values)s.", values=", ".join(STATUS_VALUES)
                )
        if errors:
            raise ma.ValidationError(errors)

    @ma.post_load(pass_original=True)
    def to_marks(self, _data, original, **_kwargs):
        return {int(k): AttendanceStatus(v) for k, v in original.items()}


def _sheet_document():
    return {
        "type": "object",
        "additionalProperties": {"type": "string", "enum": STATUS_VALUES},
        "example": {"12": "present", "13": "late", "14": "absent"},
    }


def _workshop_for(user, workshop_id: int) -> Workshop:
    workshop = db.session.get(Workshop, workshop_id)
    if workshop is None:
        abort(404, _("Aucun atelier à ce numéro."))
    if not services.can_take_roll(user, workshop):
        abort(
            403,
            _("Seuls l'équipe et l'intervenant·e de cet atelier accèdent à sa feuille d'appel."),
        )
    return workshop


@blp.route("/<int:workshop_id>/attendance", methods=["GET"])
@blp.doc(
    security=SECURITY,
    responses={
        "200": {
            "description": "La feuille d'appel",
            "content": {"application/json": {"schema": _sheet_document()}},
        }
    },
)
def get_attendance(workshop_id: int):
    """La feuille d'appel d'un atelier (équipe, ou son intervenant·e)."""
    workshop = _workshop_for(require_user(), workshop_id)
    return {str(pid): status.value for pid, status in services.attendance_sheet(workshop).items()}


@blp.route("/<int:workshop_id>/attendance", methods=["PUT"])
@blp.doc(
    security=SECURITY,
    responses={
        "200": {
            "description": "La feuille enregistrée",
            "content": {"application/json": {"schema": _sheet_document()}},
        }
    },
)
@blp.arguments(AttendanceSheetSchema, as_kwargs=False)
@for_roles(*STAFF_ROLES, Role.FACILITATOR)
def put_attendance(marks, workshop_id: int):
    """Remplacer toute la feuille d'appel d'un atelier en une fois.

    Une personne absente du document n'a plus de mention pour cet atelier.
    """
    user = require_user()
    workshop = _workshop_for(user, workshop_id)
    try:
        sheet = commit_retrying(lambda: services.save_attendance(workshop, marks, recorded_by=user))
    except PermissionDenied as error:
        abort(403, error.message)
    return {str(pid): status.value for pid, status in sheet.items()}
