"""Response helpers shared by the domains' views."""

from __future__ import annotations

from flask import Response


def download(body: bytes, filename: str, mimetype: str, *, private: bool = True) -> Response:
    """A file to save; private ones (personal data) are never kept by a cache."""
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    if private:
        response.headers["Cache-Control"] = "private, no-store"
    return response
