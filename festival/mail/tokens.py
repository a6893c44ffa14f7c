"""The signed link in every message that stops the optional ones: no account needed."""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

OPT_OUT_SALT = "email-opt-out"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=OPT_OUT_SALT)


def opt_out_token(address: str) -> str:
    return _serializer().dumps(address.strip().lower())


def address_of_opt_out_token(token: str) -> str | None:
    try:
        return _serializer().loads(token)
    except BadSignature:
        return None
