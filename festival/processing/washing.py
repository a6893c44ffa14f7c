"""Washing a file of what the phone wrote into it: plain functions over paths."""

from __future__ import annotations

from pathlib import Path

from festival.processing.ffmpeg import SAME_CONTAINER, run, strip_metadata_command
from festival.processing.files import atomic_path
from festival.processing.probe import probe


def strip_metadata(path: Path, *, timeout: float = 600) -> bool:
    """Rewrite `path` in place, picture and sound copied as they are, without its GPS
    position, make, model, owner or comment. False (and the file untouched) when its
    container is not one written back here."""
    path = Path(path)
    muxer = next((SAME_CONTAINER[n] for n in probe(path).format_names if n in SAME_CONTAINER), None)
    if muxer is None:
        return False
    with atomic_path(path) as washed:
        run(strip_metadata_command(path, washed, muxer), timeout=timeout)
    return True
