"""Accounts, passwords, API tokens and one-time codes."""

from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import delete, func, or_, select
from werkzeug.security import check_password_hash, generate_password_hash

from festival.auth.models import ApiToken, DeviceSession, LoginCode, Role, User
from festival.auth.passwords import password_problem
from festival.clock import utcnow
from festival.errors import ValidationError
from festival.extensions import db

# Checked against when the login is unknown, so that a wrong login costs as long as a wrong
# password and response times do not reveal which accounts exist.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


def find_user_by_login(login: str) -> User | None:
    login = (login or "").strip().lower()
    if not login:
        return None
    return db.session.scalar(select(User).where(func.lower(User.login) == login))


def authenticate(login: str, password: str) -> User | None:
    user = find_user_by_login(login)
    if user is None or not user.password_hash:
        check_password_hash(_DUMMY_HASH, password or "")
        return None
    if not check_password_hash(user.password_hash, password or ""):
        return None
    if not user.is_enabled:
        return None
    return user


def record_sign_in(user: User) -> None:
    user.last_login_at = utcnow()
    db.session.flush()


def create_user(
    login: str, *, role: Role, password: str | None, display_name: str | None = None
) -> User:
    login = (login or "").strip().lower()
    if not login:
        raise ValidationError(_("Indiquez l'adresse e-mail du compte."), field="login")
    if find_user_by_login(login):
        raise ValidationError(
            _("Un compte existe déjà pour %(login)s.", login=login), field="login"
        )
    user = User(
        login=login,
        email=login if "@" in login else None,
        display_name=display_name or login.split("@")[0],
        role=role,
    )
    if password is not None:
        set_password(user, password)
    db.session.add(user)
    db.session.flush()
    return user


def create_api_token(user: User) -> tuple[str, datetime]:
    token = secrets.token_urlsafe(32)
    expires_at = utcnow() + timedelta(hours=current_app.config["API_TOKEN_TTL_HOURS"])
    db.session.add(ApiToken(user=user, token_hash=hash_secret(token), expires_at=expires_at))
    db.session.flush()
    return token, expires_at


def user_for_api_token(token: str) -> User | None:
    if not token:
        return None
    api_token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_secret(token)))
    if api_token is None or api_token.expires_at <= utcnow() or not api_token.user.is_enabled:
        return None
    return api_token.user


def set_account_enabled(user: User, enabled: bool) -> None:
    """Deactivate (or reactivate) an account: a deactivated one is signed out everywhere at
    once, and neither its cookies nor its API tokens work again."""
    user.is_enabled = enabled
    if not enabled:
        end_every_session(user)
    db.session.flush()


def start_device_session(user: User, *, remember: bool) -> None:
    """A new signed-in browser for this account; its token goes into the cookies."""
    token = secrets.token_urlsafe(32)
    db.session.add(DeviceSession(user=user, token_hash=hash_secret(token), remembered=remember))
    db.session.flush()
    user.device_token = token


def user_for_device_token(user_id: int, token: str) -> User | None:
    """The account behind a session cookie, while its device session is alive."""
    if not token:
        return None
    device = db.session.scalar(
        select(DeviceSession).where(DeviceSession.token_hash == hash_secret(token))
    )
    if device is None or device.user_id != user_id or not device.user.is_enabled:
        return None
    lifetime = current_app.config["REMEMBER_COOKIE_DURATION"]
    if device.renewed_at < utcnow() - lifetime:
        return None  # past the longest a browser stays signed in
    device.user.device_token = token
    return device.user


def renew_device_token(user: User) -> str:
    """Give a remembered browser a new token (the old cookie stops working), as it comes back."""
    old = user.device_token
    device = db.session.scalar(
        select(DeviceSession).where(DeviceSession.token_hash == hash_secret(old or ""))
    )
    token = secrets.token_urlsafe(32)
    if device is not None:
        device.token_hash, device.renewed_at = hash_secret(token), utcnow()
        db.session.flush()
    user.device_token = token
    return token


def end_every_session(user: User) -> None:
    """Sign the account out everywhere: browsers (session and remember cookies) and API tokens."""
    db.session.execute(delete(DeviceSession).where(DeviceSession.user_id == user.id))
    revoke_api_tokens(user)


def revoke_api_tokens(user: User) -> None:
    for token in db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)):
        db.session.delete(token)
    db.session.flush()


def find_valid_login_code(code: str) -> LoginCode | None:
    normalised = normalise_login_code(code)
    if not normalised:
        return None
    login_code = db.session.scalar(
        select(LoginCode).where(LoginCode.code_hash == hash_secret(normalised))
    )
    if login_code is None or login_code.used_at is not None or login_code.expires_at <= utcnow():
        return None
    if not login_code.user.is_enabled:
        return None
    return login_code


def redeem_login_code(code: str) -> User | None:
    """Sign in with a one-time code: it works once, then never again."""
    login_code = find_valid_login_code(code)
    if login_code is None:
        return None
    login_code.used_at = utcnow()
    db.session.flush()
    return login_code.user


# Unambiguous characters for codes read off paper by a teenager (no 0/O, 1/I/L).
LOGIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

LOGIN_CODE_LENGTH = 8


def login_slug(text: str) -> str:
    """A name reduced to what a login may hold (no accents, spaces or signs)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "", ascii_text.lower()) or "participant"


def free_login(base: str) -> str:
    """`base`, or `base2`, `base3`… : the first login no account has yet."""
    candidate, n = base, 1
    while db.session.scalar(select(User.id).where(func.lower(User.login) == candidate.lower())):
        n += 1
        candidate = f"{base}{n}"
    return candidate


def set_password(user: User, password: str) -> None:
    problem = password_problem(password, login=user.login)
    if problem:
        raise ValidationError(problem, field="password")
    user.password_hash = generate_password_hash(
        password, method=current_app.config["PASSWORD_HASH_METHOD"]
    )


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def normalise_login_code(code: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", (code or "").upper())


def issue_login_code(user: User, *, created_by: User | None) -> str:
    """A fresh one-time code for this account; earlier unused codes stop working."""
    now = utcnow()
    for old in db.session.scalars(
        select(LoginCode).where(LoginCode.user_id == user.id, LoginCode.used_at.is_(None))
    ):
        old.used_at = now
    code = "".join(secrets.choice(LOGIN_CODE_ALPHABET) for _ in range(LOGIN_CODE_LENGTH))
    ttl = timedelta(days=current_app.config["LOGIN_CODE_TTL_DAYS"])
    db.session.add(
        LoginCode(
            user=user,
            code_hash=hash_secret(code),
            created_by_id=created_by.id if created_by else None,
            expires_at=now + ttl,
        )
    )
    db.session.flush()
    return code


def format_login_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


# ---------------------------------------------------------------- a forgotten password

PASSWORD_RESET_SALT = "password-reset"  # noqa: S105 - a namespace for signatures, not a secret
INVITATION_SALT = "account-invitation"


def _reset_serializer(salt: str = PASSWORD_RESET_SALT) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def _password_fingerprint(user: User) -> str:
    # Part of the token: once the password changes, every earlier link stops working.
    return hashlib.sha256((user.password_hash or "none").encode()).hexdigest()[:16]


def password_reset_token(user: User, *, invitation: bool = False) -> str:
    """A link's token to choose a password: after "forgotten password" (valid for hours), or
    in an invitation to a new account (valid for days)."""
    salt = INVITATION_SALT if invitation else PASSWORD_RESET_SALT
    payload = {"user": user.id, "fingerprint": _password_fingerprint(user)}
    return _reset_serializer(salt).dumps(payload)


def user_for_password_reset(token: str) -> User | None:
    """The account a link is for, while it is fresh and its password unchanged."""
    config = current_app.config
    data = None
    for salt, max_age in (
        (PASSWORD_RESET_SALT, config["PASSWORD_RESET_HOURS"] * 3600),
        (INVITATION_SALT, config["ACCOUNT_INVITATION_DAYS"] * 86400),
    ):
        try:
            data = _reset_serializer(salt).loads(token, max_age=max_age)
            break
        except BadSignature:
            continue
    if data is None:
        return None
    user = db.session.get(User, data.get("user")) if isinstance(data, dict) else None
    if user is None or not user.is_enabled:
        return None
    if data.get("fingerprint") != _password_fingerprint(user):
        return None
    return user


def find_user_by_email(address: str) -> User | None:
    address = (address or "").strip().lower()
    if not address:
        return None
    return db.session.scalar(
        select(User).where(
            or_(func.lower(User.email) == address, func.lower(User.login) == address),
            User.is_enabled,
        )
    )


# ---------------------------------------------------------------- accounts managed by admins

TEAM_ROLES = (Role.STAFF, Role.FACILITATOR, Role.JURY, Role.ADMIN)


def team_accounts() -> list[User]:
    """Every account but the teens': staff, facilitators, jurors, admins."""
    return list(
        db.session.scalars(
            select(User).where(User.role != Role.PARTICIPANT).order_by(User.display_name)
        )
    )


def invite(email: str, *, role: Role, display_name: str) -> User:
    """A new team account without a password: the invitation's link lets its owner choose one."""
    if role not in TEAM_ROLES:
        raise ValidationError(_("Choisissez un rôle."), field="role")
    if not display_name.strip():
        raise ValidationError(_("Indiquez le nom de la personne."), field="display_name")
    if "@" not in (email or ""):
        raise ValidationError(_("Indiquez une adresse e-mail."), field="email")
    return create_user(email, role=role, password=None, display_name=display_name.strip())


def change_role(user: User, role: Role, *, by: User) -> None:
    if role not in TEAM_ROLES or user.role == Role.PARTICIPANT:
        raise ValidationError(_("Ce rôle ne peut pas être donné ici."), field="role")
    if user.id == by.id and role != Role.ADMIN:
        raise ValidationError(
            _("Vous ne pouvez pas retirer votre propre rôle d'administrateur·rice."), field="role"
        )
    user.role = role
    end_every_session(user)  # the new role applies from the next sign-in, everywhere
    db.session.flush()
