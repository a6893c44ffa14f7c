"""Werkzeug's server, as `flask serve` and the browser tests use it, made to close every
response it starts.

When a client resets the connection while a response streams (a browser seeking in a video
drops its range request), Werkzeug's development server fails reading what is left on the
socket and never calls the response's close(): the film file it was sending stays open until
the garbage collector finds it. Here each response is handed over as a generator whose
`finally` closes it, which Python runs even when the server drops the generator. gunicorn,
the production server, calls close() itself and keeps its own file wrapper (sendfile).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator


class CloseEveryResponse:
    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response) -> Iterable[bytes]:
        return _closing(self.app(environ, start_response))


def _closing(response: Iterable[bytes]) -> Iterator[bytes]:
    try:
        yield from response
    finally:
        close = getattr(response, "close", None)
        if close is not None:
            close()
