"""Marshmallow schemas shared by the API, with French validation messages."""

from __future__ import annotations

import marshmallow as ma
from flask_babel import lazy_gettext as _l

from festival.clock import as_aware_utc
from festival.models_base import MAX_ROW_ID

FIELD_MESSAGES = {
    "required": _l("Ce champ est obligatoire."),
    "null": _l("Ce champ ne peut pas être vide."),
    "validator_failed": _l("Valeur refusée."),
}
INVALID_BY_TYPE = {
    ma.fields.Email: _l("Cette adresse e-mail n'est pas valide."),
    ma.fields.Date: _l("Date invalide : utilisez le format AAAA-MM-JJ."),
    ma.fields.DateTime: _l("Date et heure invalides : utilisez le format ISO 8601."),
    ma.fields.Boolean: _l("Indiquez true ou false."),
    ma.fields.Integer: _l("Indiquez un nombre entier."),
    ma.fields.String: _l("Indiquez un texte."),
    ma.fields.Nested: _l("Indiquez un objet JSON."),
    ma.fields.List: _l("Indiquez une liste."),
    ma.fields.Dict: _l("Indiquez un objet JSON."),
}


class FrenchSchema(ma.Schema):
    """Every API schema speaks French in its errors and refuses unknown fields."""

    error_messages = {
        "unknown": _l("Champ inconnu."),
        "type": _l("Le corps de la requête doit être un objet JSON."),
    }

    class Meta:
        unknown = ma.RAISE
        ordered = True

    def on_bind_field(self, field_name: str, field_obj: ma.fields.Field) -> None:
        messages = dict(field_obj.error_messages)
        messages.update(FIELD_MESSAGES)
        for field_type, message in INVALID_BY_TYPE.items():
            if isinstance(field_obj, field_type):
                messages["invalid"] = message
                break
        if isinstance(field_obj, ma.fields.String) and "invalid_utf8" in messages:
            messages["invalid_utf8"] = _l("Texte mal encodé : envoyez de l'UTF-8.")
        field_obj.error_messages = messages


class ErrorSchema(ma.Schema):
    code = ma.fields.String(
        required=True, metadata={"description": "Code stable, lisible par un programme"}
    )
    message = ma.fields.String(
        required=True, metadata={"description": "Phrase en français qui dit quoi faire"}
    )
    fields = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.String(),
        metadata={"description": "Message par champ refusé"},
    )


class ErrorEnvelopeSchema(ma.Schema):
    error = ma.fields.Nested(ErrorSchema, required=True)


class UtcDateTime(ma.fields.DateTime):
    """A moment stored as naive UTC, sent with its offset (RFC 3339), as the schema promises."""

    def _serialize(self, value, attr, obj, **kwargs):
        return super()._serialize(as_aware_utc(value), attr, obj, **kwargs)


def RowId(**kwargs) -> ma.fields.Integer:  # noqa: N802 - reads as a field type
    """An identifier sent by a client: a positive number a database column can hold."""
    return ma.fields.Integer(
        strict=True, validate=ma.validate.Range(min=1, max=MAX_ROW_ID), **kwargs
    )
