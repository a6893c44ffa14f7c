"""The app as served in production, plus a bare endpoint that only streams a body to a file.

Both run in the same gunicorn worker, so the benchmark compares like with like.
"""

import os
import tempfile

from werkzeug.middleware.dispatcher import DispatcherMiddleware

from festival import create_app

CHUNK = 1024 * 1024


def bare_upload(environ, start_response):
    stream = environ["wsgi.input"]
    remaining = int(environ.get("CONTENT_LENGTH") or 0)
    target = os.environ.get("BENCH_BARE_TARGET") or os.path.join(
        tempfile.gettempdir(), "festival-bare-upload.bin"
    )
    with open(target, "wb") as handle:
        while remaining > 0:
            chunk = stream.read(min(CHUNK, remaining))
            if not chunk:
                break
            handle.write(chunk)
            remaining -= len(chunk)
        handle.flush()
        os.fsync(handle.fileno())
    start_response("204 No Content", [])
    return [b""]


def hello(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]


festival = create_app()
app = DispatcherMiddleware(festival, {"/bare-upload": bare_upload, "/bare-hello": hello})
