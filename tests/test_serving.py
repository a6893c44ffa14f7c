"""The development server closes every response, even one a client cut off."""

from __future__ import annotations

import gc

from festival.serving import CloseEveryResponse


class _Response:
    def __init__(self):
        self.closed = False

    def __iter__(self):
        yield b"first piece"
        yield b"second piece"

    def close(self):
        self.closed = True


def test_a_response_dropped_mid_stream_is_closed_all_the_same():
    """What Werkzeug does when a client resets the connection: it stops iterating and, on
    that path, never calls close()."""
    inner = _Response()
    app = CloseEveryResponse(lambda environ, start_response: inner)
    streamed = app({}, lambda *args: None)
    assert next(iter(streamed)) == b"first piece"
    del streamed  # the server drops it without close()
    gc.collect()
    assert inner.closed


def test_a_response_read_to_the_end_is_closed_once():
    inner = _Response()
    app = CloseEveryResponse(lambda environ, start_response: inner)
    streamed = app({}, lambda *args: None)
    assert list(streamed) == [b"first piece", b"second piece"]
    assert inner.closed
