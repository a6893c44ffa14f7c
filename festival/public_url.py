"""The site's one public address, and the proxy allowed to speak for visitors.

Every absolute link (pages, emails, PDFs, cards, feeds), built in a request, a job or a
command, starts with PUBLIC_URL (festival.responses.absolute_url), never with a request's
Host or X-Forwarded-Host: a forged header must not land in a reset link or a cached page.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix


def apply_public_url(app: Flask) -> None:
    """Every absolute link comes from one address, PUBLIC_URL, never from a request's headers:
    a forged Host must not put its own address in a reset link or a cached page. Production
    refuses to start without it; elsewhere it is the address `flask serve` serves on."""
    public_url = (app.config.get("PUBLIC_URL") or "").strip().rstrip("/")
    if not public_url:
        if app.config["PRODUCTION"]:
            raise RuntimeError(
                "Refusing to start in production without PUBLIC_URL: set PUBLIC_URL to the "
                "address visitors type, for example PUBLIC_URL=https://festival.mediatheque.fr "
                "(every link in pages, emails and printed cards is built from it)."
            )
        public_url = development_public_url(app)
    parts = urlsplit(public_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RuntimeError(
            f"PUBLIC_URL={public_url!r} is not an address: give it as "
            "https://festival.mediatheque.fr (scheme and host)."
        )
    app.config["PUBLIC_URL"] = public_url
    # Only so that url_for works outside a request (jobs, commands); links take PUBLIC_URL.
    app.config["SERVER_NAME"] = app.config.get("SERVER_NAME") or parts.netloc
    app.config["PREFERRED_URL_SCHEME"] = parts.scheme
    if app.config["PRODUCTION"] and app.config.get("TRUSTED_HOSTS") is None:
        extra = [h.strip() for h in os.environ.get("TRUSTED_HOSTS", "").split(",") if h.strip()]
        # localhost stays allowed for health checks and the operator on the machine itself.
        app.config["TRUSTED_HOSTS"] = [parts.hostname, "localhost", "127.0.0.1", *extra]


SERVED_URL_FILE = "served_url"
DEVELOPMENT_URL = "http://127.0.0.1:5000"


def development_public_url(app: Flask) -> str:
    """Outside production with no PUBLIC_URL: the address `flask serve` last served on (it
    writes it down, so its worker and later commands link to the same place), or the
    SERVER_NAME a test gives, or `make run`'s default address."""
    if app.config.get("SERVER_NAME"):
        return f"{app.config.get('PREFERRED_URL_SCHEME') or 'http'}://{app.config['SERVER_NAME']}"
    served = Path(app.instance_path) / SERVED_URL_FILE
    with contextlib.suppress(OSError):
        written = served.read_text().strip()
        if written:
            return written
    return DEVELOPMENT_URL


class ForwardedOnlyFromProxy:
    """X-Forwarded-* read only when the peer is the configured proxy (ProxyFix then takes the
    configured number of hops); from anyone else those headers are dropped."""

    FORWARDED = (
        "HTTP_X_FORWARDED_FOR",
        "HTTP_X_FORWARDED_PROTO",
        "HTTP_X_FORWARDED_HOST",
        "HTTP_X_FORWARDED_PORT",
        "HTTP_X_FORWARDED_PREFIX",
        "HTTP_FORWARDED",
    )

    def __init__(self, wsgi_app, *, proxies: int, peers: tuple[str, ...]):
        self.plain = wsgi_app
        self.fixed = ProxyFix(wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
        self.peers = frozenset(peers) if proxies else frozenset()

    def __call__(self, environ, start_response):
        if environ.get("REMOTE_ADDR") in self.peers:
            return self.fixed(environ, start_response)
        for key in self.FORWARDED:
            environ.pop(key, None)
        return self.plain(environ, start_response)
