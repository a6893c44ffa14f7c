"""The one accessor for where media files live: the rest of the code names relative paths.

Today a local folder (MEDIA_ROOT); another backend would be chosen here, and nowhere else.
"""

from __future__ import annotations

from pathlib import Path

from flask import current_app


def media_root() -> Path:
    return Path(current_app.config["MEDIA_ROOT"]).resolve()


def media_path(relative: str) -> Path:
    """The absolute path of a stored file; refuses anything that would leave the media root."""
    root = media_root()
    path = (root / relative).resolve()
    if path != root and root not in path.parents:
        raise ValueError(f"{relative!r} is outside the media folder")
    return path
