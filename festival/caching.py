"""Public pages rendered once and served many times, for visitors who are not signed in.

The cache keeps the rendered body only; each response still gets its ETag and conditional
handling, so phones revalidate cheaply. Signed-in people always get a fresh page (their
navigation differs, and staff must see their own changes at once).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from pathlib import Path

from flask import current_app, has_app_context, request
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy import event
from sqlalchemy.orm import Session

from festival.extensions import cache, db


def _generation_file() -> Path:
    configured = current_app.config.get("CACHE_GENERATION_FILE")
    return Path(configured or Path(current_app.instance_path) / "public-cache-generation")


def generation() -> str:
    """Part of every public cache key. Forgetting the public pages writes a new one, which every
    process on the machine reads: each gunicorn worker's own cache misses at once (a cache
    shared by several machines is CACHE_REDIS_URL's job)."""
    try:
        return _generation_file().read_text()
    except FileNotFoundError:
        return "0"


def public_key(*parts: object) -> str:
    return ":".join(["public", generation(), *(str(p) for p in parts)])


def cache_key(kind: str) -> str:
    # No Host in the key: every address in a page comes from PUBLIC_URL, so a forged Host
    # changes nothing in what is rendered, and cannot poison what other visitors get.
    return public_key(kind, get_locale(), request.full_path)


def rendered(kind: str, produce: Callable[[], str | bytes]) -> str | bytes:
    """The body for this URL and language, from the cache when a visitor asks."""
    if current_user.is_authenticated:
        return produce()
    key = cache_key(kind)
    body = cache.get(key)
    if body is None:
        body = produce()
        cache.set(key, body)
    return body


def rendered_file(
    kind: str, produce: Callable[[], tuple[str, bytes] | None]
) -> tuple[str, bytes] | None:
    """A public file and its name (a calendar), or None when there is none to serve. From the
    cache, a visitor's request runs no query: what decides the name and whether the file
    exists is kept with it (calendar apps ask again every few hours, a whole hall at once)."""
    name, body = rendered(kind, lambda: produce() or ("", b""))
    return (name, body) if body else None


def forget_public_pages() -> None:
    """After a change to what visitors may see: every process serves it from the next request."""
    cache.clear()
    path = _generation_file()
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    temporary.write_text(secrets.token_hex(8))
    os.replace(temporary, path)  # atomic: a reader sees the old or the new, never half


def forget_public_pages_after_commit() -> None:
    """For a change to who may be seen (a consent, an erasure): visitors' cached pages and
    media answers go once it is committed, so no request caches the old state in between."""
    db.session.info["forget_public_pages"] = True


@event.listens_for(Session, "after_commit")
def _forget_when_committed(session: Session) -> None:
    if session.info.pop("forget_public_pages", False) and has_app_context():
        forget_public_pages()


@event.listens_for(Session, "after_rollback")
def _keep_when_rolled_back(session: Session) -> None:
    session.info.pop("forget_public_pages", None)
