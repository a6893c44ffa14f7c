"""Public pages rendered once and served many times, for visitors who are not signed in.

The cache keeps the rendered body only; each response still gets its ETag and conditional
handling, so phones revalidate cheaply. Signed-in people always get a fresh page (their
navigation differs, and staff must see their own changes at once).
"""

from __future__ import annotations

from collections.abc import Callable

from flask import request
from flask_babel import get_locale
from flask_login import current_user

from festival.extensions import cache


def cache_key(kind: str) -> str:
    return f"public:{kind}:{get_locale()}:{request.full_path}"


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


def forget_public_pages() -> None:
    """After a change staff made (publication): this worker shows it at once; others within
    the cache lifetime."""
    cache.clear()
