"""The JSON API under /api/v1, documented by an OpenAPI document generated from its schemas."""

from __future__ import annotations

from flask import Flask
from flask_smorest import Api

from festival.api import (
    attendance,
    audience_vote,
    auth,
    awards,
    collection,
    editions,
    films,
    participants,
    programme,
    uploads,
)
from festival.api.schemas import ErrorEnvelopeSchema
from festival.extensions import csrf


class FestivalApi(Api):
    ERROR_SCHEMA = ErrorEnvelopeSchema

    def _register_error_handlers(self) -> None:
        """Errors are handled once for the whole app, in festival.error_handlers."""


api = FestivalApi(
    spec_kwargs={
        "info": {
            "description": (
                "API du festival Un Trait Amateur. Authentification : jeton obtenu par "
                "`POST /api/v1/auth/token`, envoyé dans `Authorization: Bearer <jeton>`, "
                "ou session du navigateur. Les erreurs ont la forme "
                '`{"error": {"code", "message", "fields"}}`.'
            )
        },
    }
)


def init_api(app: Flask) -> None:
    api.init_app(app)
    api.spec.components.security_scheme(
        "bearerAuth", {"type": "http", "scheme": "bearer", "description": "Jeton d'API"}
    )
    for module in (
        auth,
        editions,
        participants,
        attendance,
        films,
        uploads,
        programme,
        audience_vote,
        awards,
        collection,
    ):
        # The API authenticates with bearer tokens or, from the browser, with the session plus
        # a JSON body that a cross-site form cannot send (see festival.api.security).
        csrf.exempt(module.blp)
        api.register_blueprint(module.blp)
