"""Uploads cannot be used to fill the disk or the database, alone or all at once."""

from __future__ import annotations

import base64
from concurrent.futures import ThreadPoolExecutor

import requests

from festival.extensions import db
from festival.films.models import Upload
from tests.helpers import PASSWORD
from tests.helpers.api import bearer


def test_unfinished_uploads_per_person_and_film_are_bounded(app, client, tus_as, team, film):
    from datetime import timedelta

    from festival.clock import utcnow

    app.config["UPLOAD_OPEN_PER_FILM"] = 3
    tus = tus_as(bearer(client, team[0].user))
    answers = [tus.create(film.id, 1000) for _ in range(10)]
    assert [a.status_code for a in answers] == [201] * 3 + [429] * 7
    assert "attendez qu" in answers[-1].json["error"]["message"]
    # Once the first one sits idle (a closed tab), a new upload takes its place.
    first = db.session.scalars(db.select(Upload).order_by(Upload.created_at)).first()
    first.updated_at = utcnow() - timedelta(minutes=20)
    db.session.commit()
    replacement = tus.create(film.id, 1000)
    assert replacement.status_code == 201
    assert tus.head(answers[0].headers["Location"]).status_code == 404
    assert len(db.session.scalars(db.select(Upload)).all()) == 3


def test_the_metadata_header_is_bounded(client, tus_as, team, film):
    tus = tus_as(bearer(client, team[0].user))
    huge = ",".join(f"k{n} " + base64.b64encode(b"x" * 600).decode() for n in range(20))
    response = tus.create(film.id, 1000, **{"Upload-Metadata": huge})
    assert response.status_code == 400 and "trop long" in response.json["error"]["message"]


def test_concurrent_creations_never_exceed_the_quota(app, live_server, team, film):
    """Twenty 4 GiB uploads asked at the same moment against a 12 GiB quota: three fit."""
    app.config.update(UPLOAD_OPEN_PER_FILM=50)
    film_id = film.id  # plain values for the threads: ORM objects belong to this one
    token = requests.post(
        f"{live_server}/api/v1/auth/token",
        json={"login": team[0].user.login, "password": PASSWORD},
        timeout=30,
    ).json()["token"]
    headers = {
        "Authorization": f"Bearer {token}",
        "Tus-Resumable": "1.0.0",
        "Upload-Length": str(4 * 1024**3),
    }

    def create(_n: int) -> int:
        return requests.post(
            f"{live_server}/api/v1/films/{film_id}/uploads", headers=headers, timeout=60
        ).status_code

    with ThreadPoolExecutor(max_workers=20) as pool:
        statuses = list(pool.map(create, range(20)))
    assert statuses.count(201) == 3, statuses
    assert set(statuses) <= {201, 413}
