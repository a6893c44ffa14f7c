"""How many failed sign-ins are allowed: per account and client, and (more loosely) per
address.

Per account and client, so that guessing one teen's password is slow, yet a stranger who
types wrong passwords for her account locks out only himself, never her (and a forgotten
password always has its way in by email); per address, loosely, so that one teen's typos on
the library's shared connection never lock everyone else out.
"""

from __future__ import annotations

from flask import current_app, g, request
from flask_limiter.util import get_remote_address

from festival.extensions import limiter


def failed_sign_in(_response) -> bool:
    return bool(g.get("sign_in_failed"))


def _account_key() -> str:
    login = request.form.get("login") if request.form else None
    if login is None and request.is_json:
        body = request.get_json(silent=True)
        login = body.get("login") if isinstance(body, dict) else None
    return f"account:{str(login or '').strip().lower()[:254]}:client:{get_remote_address()}"


def _per_account() -> str:
    return current_app.config["LOGIN_FAILURE_LIMIT"]


def _per_address() -> str:
    return current_app.config["LOGIN_ADDRESS_LIMIT"]


# Shared by the sign-in page and the API token endpoint: one count per account, wherever.
per_account = limiter.shared_limit(
    _per_account,
    scope="sign-in-account",
    key_func=_account_key,
    methods=["POST"],
    deduct_when=failed_sign_in,
)
per_address = limiter.shared_limit(
    _per_address, scope="sign-in-address", methods=["POST"], deduct_when=failed_sign_in
)
