"""A standard tus client (tuspy) against the app served on 127.0.0.1."""

import hashlib

from tusclient import client as tus

from festival.extensions import db
from festival.films.models import VersionStatus
from festival.storage import media_path
from tests.helpers.api import bearer


def test_tuspy_uploads_a_film_in_chunks_with_checksums(live_server, client, team, film, make_video):
    path = make_video("tuspy.mp4", seconds=3)
    headers = bearer(client, team[0].user)
    endpoint = tus.TusClient(f"{live_server}/api/v1/films/{film.id}/uploads", headers=headers)
    with path.open("rb") as stream:
        uploader = endpoint.uploader(
            file_stream=stream,
            chunk_size=50_000,
            metadata={"filename": "tuspy.mp4"},
            upload_checksum=True,
        )
        uploader.upload()
    db.session.expire_all()
    db.session.refresh(film)
    version = film.versions[0]
    assert version.status == VersionStatus.VALID
    assert (
        hashlib.sha256(media_path(version.original_path).read_bytes()).hexdigest()
        == hashlib.sha256(path.read_bytes()).hexdigest()
    )
