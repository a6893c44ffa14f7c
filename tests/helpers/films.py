"""A film version as the upload pipeline leaves it, from a generated video."""

from __future__ import annotations

import shutil
from pathlib import Path

from festival.extensions import db
from festival.films.models import Film, FilmVersion
from festival.films.pipeline import process_in_full
from festival.storage import media_path


def add_version(film: Film, video: Path, *, number: int, process: bool = True) -> FilmVersion:
    """Version `number` of `film` from the file `video`, stored as an upload is, processed."""
    version = FilmVersion(film=film, number=number, original_filename=f"v{number}.mp4")
    db.session.add(version)
    db.session.flush()
    target = media_path(version.original_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(video, target)
    db.session.commit()
    if process:
        process_in_full(version.id)
        db.session.commit()
    return version
