"""Response helpers shared by the domains' views."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Response, abort, current_app, has_request_context, request, send_file, url_for

from festival.storage import media_path


def public_root() -> str:
    """Where the site lives for visitors: PUBLIC_URL (the factory always sets it), never the
    request's Host or X-Forwarded-Host."""
    return current_app.config["PUBLIC_URL"]


def absolute_url(endpoint: str, **values) -> str:
    """The one way to build an address given outside the page itself (a message, a printed
    card, a feed, a QR code), in a request, a job or a command alike: PUBLIC_URL, scheme
    included, then the route's path."""
    path = url_for(endpoint, _external=False, **values)
    if has_request_context() and request.script_root and path.startswith(request.script_root):
        path = path[len(request.script_root) :]  # PUBLIC_URL carries any prefix itself
    return public_root() + path


def address_to_type(url: str) -> str:
    """An address as people type it on a phone: without « https:// » (browsers add it)."""
    parts = urlsplit(url)
    return parts.netloc + parts.path.rstrip("/")


def public_host() -> str:
    return urlsplit(public_root()).hostname or "localhost"


def download(body: bytes, filename: str, mimetype: str, *, private: bool = True) -> Response:
    """A file to save; private ones (personal data) are never kept by a cache."""
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    if private:
        response.headers["Cache-Control"] = "private, no-store"
    return response


def media_mimetype(name: str | None) -> str:
    """A film's media: its browser rendition (no name) or a thumbnail file by its name."""
    if name is None:
        return "video/mp4"
    return "image/webp" if name.endswith(".webp") else "image/jpeg"


def serve_media(relative: str, mimetype: str, *, public: bool = False) -> Response:
    """A stored file with Range support, or handed to nginx (X-Accel-Redirect) in production.

    Public media are cached briefly, not for a day: what visitors may see depends on consents
    that can be withdrawn at any time.
    """
    cache_control = (
        f"public, max-age={current_app.config['PUBLIC_MEDIA_MAX_AGE']}"
        if public
        else "private, max-age=3600"
    )
    accel = current_app.config["MEDIA_ACCEL_REDIRECT_PREFIX"]
    if accel:  # production: nginx sends the file, Range included, and keeps Cache-Control
        response = Response(mimetype=mimetype)
        response.headers["X-Accel-Redirect"] = accel.rstrip("/") + "/" + relative
        response.headers["Cache-Control"] = cache_control
        return response
    path = media_path(relative)
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype=mimetype, conditional=True, max_age=0)
    response.headers["Cache-Control"] = cache_control
    return response


def safe_next_url(target: str | None) -> str | None:
    """Only a path on this site: an open redirect would help phishing."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target
