"""POST /api/v1/auth/token: trade a login and password for a bearer token."""

from __future__ import annotations

import marshmallow as ma
from flask import abort, g
from flask_babel import gettext as _

from festival.api.schemas import FrenchSchema
from festival.api.security import ApiBlueprint, public_operation
from festival.auth import limits, services
from festival.clock import as_aware_utc
from festival.extensions import db

blp = ApiBlueprint(
    "api_auth", __name__, url_prefix="/api/v1/auth", description="Authentification par jeton"
)


class TokenRequestSchema(FrenchSchema):
    login = ma.fields.String(required=True, metadata={"example": "equipe@mediatheque.example"})
    password = ma.fields.String(required=True, load_only=True)


class TokenSchema(ma.Schema):
    token = ma.fields.String(required=True)
    expires_at = ma.fields.DateTime(required=True)


@blp.route("/token", methods=["POST"])
@limits.per_address
@limits.per_account
@blp.arguments(TokenRequestSchema)
@blp.response(201, TokenSchema)
@blp.alt_response(401, description="Identifiant ou mot de passe incorrect")
@blp.alt_response(429, description="Trop d'essais : réessayez plus tard")
@public_operation
def create_token(credentials):
    """Obtenir un jeton d'API.

    Le jeton s'envoie ensuite dans `Authorization: Bearer <jeton>`. Les échecs répétés
    sont limités (429).
    """
    user = services.authenticate(credentials["login"], credentials["password"])
    if user is None:
        g.sign_in_failed = True
        abort(401, _("Identifiant ou mot de passe incorrect."))
    token, expires_at = services.create_api_token(user)
    db.session.commit()
    return {"token": token, "expires_at": as_aware_utc(expires_at)}
