"""Participants of the current edition (staff), and a participant's own record."""

from __future__ import annotations

import marshmallow as ma
from flask import abort
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from festival.api.schemas import FrenchSchema
from festival.api.security import ApiBlueprint, require_staff, require_user, staff_only
from festival.clock import local_now
from festival.editions.loader import current_edition_or_404
from festival.extensions import db
from festival.people import age, queries, registration
from festival.people.models import ConsentKind, Participant
from festival.workshops.services import participant_progress

blp = ApiBlueprint(
    "api_participants", __name__, url_prefix="/api/v1/participants", description="Participant·es"
)
SECURITY = [{"bearerAuth": []}]


class ConsentsSchema(FrenchSchema):
    participation = ma.fields.Boolean(
        load_default=False, metadata={"description": "Autorisation de participation"}
    )
    screening = ma.fields.Boolean(
        load_default=False, metadata={"description": "Droit à l'image pour la projection"}
    )
    online = ma.fields.Boolean(
        load_default=False, metadata={"description": "Droit à l'image pour la publication en ligne"}
    )


def _optional_text(max_length: int, **metadata):
    return ma.fields.String(
        load_default=None,
        allow_none=True,
        validate=ma.validate.Length(max=max_length, error=_l("Texte trop long.")),
        metadata=metadata,
    )


class ParticipantCreateSchema(FrenchSchema):
    first_name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=100))
    last_name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=100))
    birth_date = ma.fields.Date(required=True, metadata={"example": "2010-05-17"})
    email = ma.fields.Email(load_default=None, allow_none=True)
    phone = _optional_text(40)
    guardian_name = _optional_text(200)
    guardian_email = ma.fields.Email(load_default=None, allow_none=True)
    guardian_phone = _optional_text(40)
    consents = ma.fields.Nested(ConsentsSchema, load_default=dict)
    password = ma.fields.String(
        load_default=None,
        allow_none=True,
        load_only=True,
        metadata={"description": "Ouvre le compte de la personne (identifiant : son e-mail)"},
    )


class ParticipantSchema(ma.Schema):
    id = ma.fields.Integer()
    edition = ma.fields.Function(lambda p: p.edition.year)
    status = ma.fields.Function(lambda p: p.status.value)
    first_name = ma.fields.String()
    last_name = ma.fields.String()
    birth_date = ma.fields.Date(allow_none=True)
    age = ma.fields.Function(lambda p: age.participant_age(p))
    email = ma.fields.String(allow_none=True)
    phone = ma.fields.String(allow_none=True)
    guardian_name = ma.fields.String(allow_none=True)
    guardian_email = ma.fields.String(allow_none=True)
    guardian_phone = ma.fields.String(allow_none=True)
    consents = ma.fields.Function(
        lambda p: {kind.value: held for kind, held in p.consents_held().items()},
        metadata={"description": "participation, screening, online : booléens"},
    )
    has_account = ma.fields.Function(lambda p: p.user_id is not None)


class WorkshopAttendanceSchema(ma.Schema):
    workshop_id = ma.fields.Integer()
    number = ma.fields.Integer()
    title = ma.fields.String()
    status = ma.fields.String(
        allow_none=True, metadata={"enum": ["present", "late", "excused", "absent", None]}
    )


class AttendanceSummarySchema(ma.Schema):
    workshops = ma.fields.Integer(metadata={"description": "Ateliers de l'édition"})
    held = ma.fields.Integer(metadata={"description": "Ateliers déjà commencés"})
    attended = ma.fields.Integer()
    missed = ma.fields.Integer()
    excused = ma.fields.Integer()
    is_behind = ma.fields.Boolean()
    by_workshop = ma.fields.List(ma.fields.Nested(WorkshopAttendanceSchema))


class ParticipantDetailSchema(ParticipantSchema):
    attendance = ma.fields.Method("dump_attendance")

    def dump_attendance(self, participant):
        progress = participant_progress(participant, local_now())
        return AttendanceSummarySchema().dump(
            {
                "workshops": progress.total,
                "held": len(progress.held),
                "attended": progress.attended,
                "missed": progress.missed,
                "excused": progress.excused,
                "is_behind": progress.is_behind,
                "by_workshop": [
                    {
                        "workshop_id": w.id,
                        "number": w.number,
                        "title": w.title,
                        "status": s.value if s else None,
                    }
                    for w, s in progress.marks
                ],
            }
        )


@blp.route("", methods=["GET"])
@blp.doc(security=SECURITY)
@blp.response(200, ParticipantSchema(many=True))
@blp.paginate(page_size=queries.PARTICIPANTS_PER_PAGE, max_page_size=500)
@staff_only
def list_participants(pagination_parameters):
    """Les participant·es de l'édition en cours (équipe), par nom, 100 par page.

    `page` et `page_size` (500 au plus) choisissent la page ; l'en-tête `X-Pagination` donne
    le total, le nombre de pages et la suivante."""
    require_staff()
    edition = current_edition_or_404()
    listed = queries.edition_participants_page(
        edition,
        page=pagination_parameters.page,
        per_page=pagination_parameters.page_size,
        past_the_end="empty",
    )
    pagination_parameters.item_count = listed.total
    return listed.items


@blp.route("", methods=["POST"])
@blp.doc(security=SECURITY)
@blp.arguments(ParticipantCreateSchema)
@blp.response(201, ParticipantSchema)
@blp.alt_response(422, description="Données refusées, par exemple un âge hors des limites")
@staff_only
def create_participant(payload):
    """Inscrire une personne à l'édition en cours (équipe).

    L'âge est vérifié à la date de référence de l'édition. Pour un·e mineur·e, le nom et un
    contact du ou de la responsable légal·e sont obligatoires, ainsi que l'autorisation de
    participation.
    """
    staff = require_staff()
    edition = current_edition_or_404()
    consents = payload.pop("consents") or {}
    data = registration.RegistrationData(
        **payload, consents={ConsentKind(k): bool(v) for k, v in consents.items()}
    )
    participant = registration.register_participant(edition, data, recorded_by=staff, online=False)
    db.session.commit()
    return participant


@blp.route("/<int:participant_id>", methods=["GET"])
@blp.doc(security=SECURITY)
@blp.response(200, ParticipantDetailSchema)
def get_participant(participant_id: int):
    """Une personne, avec le résumé de ses présences (équipe, ou la personne elle-même)."""
    user = require_user()
    participant = db.session.get(Participant, participant_id)
    is_self = participant is not None and participant.user_id == user.id
    if not user.is_staff and not is_self:
        # Same answer whether the id exists or not: ids reveal nothing to a participant.
        abort(404, _("Aucune fiche à ce numéro, ou elle ne vous concerne pas."))
    if participant is None:
        abort(404, _("Aucune fiche à ce numéro."))
    return participant
