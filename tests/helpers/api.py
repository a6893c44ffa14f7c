"""Signing in to the API in tests."""

from __future__ import annotations

from festival.auth.services import create_api_token
from festival.extensions import db


def bearer(client, user) -> dict:
    """The token `POST /api/v1/auth/token` would give (the same `create_api_token`); the
    endpoint itself is tested in tests/api."""
    token, _expires_at = create_api_token(db.session.merge(user))
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}
