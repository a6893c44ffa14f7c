"""An upload never outlives the right to upload: each piece is checked again."""

from __future__ import annotations

from datetime import timedelta

from festival.clock import local_now
from festival.extensions import db
from festival.films.models import FilmRole
from festival.films.services import TeamEntry, update_film
from festival.people.registration import withdraw_participant
from tests.helpers.api import bearer


def _started(client, tus_as, user, film):
    tus = tus_as(bearer(client, user))
    url = tus.create(film.id, 100).headers["Location"]
    assert tus.patch(url, 0, b"x" * 40).status_code == 204
    return tus, url


def test_a_teen_removed_from_the_team_cannot_finish_an_upload(client, tus_as, team, film):
    director, editor, _ = team
    tus, url = _started(client, tus_as, editor.user, film)
    update_film(
        film,
        by=director.user,
        title=film.title,
        synopsis=film.synopsis,
        team=[TeamEntry(director.id, FilmRole.DIRECTION)],
        music_kind=film.music_kind,
    )
    db.session.commit()
    refused = tus.patch(url, 40, b"x" * 60)
    assert refused.status_code == 403
    db.session.refresh(film)
    assert film.versions == []


def test_an_upload_begun_before_the_deadline_cannot_end_after_it(
    client, tus_as, team, film, edition
):
    tus, url = _started(client, tus_as, team[0].user, film)
    edition.upload_deadline = local_now() - timedelta(minutes=1)
    db.session.commit()
    refused = tus.patch(url, 40, b"x" * 60)
    assert refused.status_code == 403 and "date limite" in refused.json["error"]["message"]
    db.session.refresh(film)
    assert film.versions == []


def test_a_withdrawn_teen_cannot_finish_an_upload(client, tus_as, team, film):
    tus, url = _started(client, tus_as, team[0].user, film)
    withdraw_participant(team[0])
    db.session.commit()
    assert tus.patch(url, 40, b"x" * 60).status_code == 403


def test_a_huge_anonymous_body_is_refused_before_it_is_read(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    body = b"login=x&password=" + b"a" * (3 * 1024 * 1024)
    response = client.post(
        "/connexion", data=body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 413
    assert "trop volumineux" in response.get_data(as_text=True)


def test_a_film_piece_larger_than_the_request_limit_still_arrives(app, client, tus_as, team, film):
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    tus = tus_as(bearer(client, team[0].user))
    data = bytes(range(256)) * 1024  # 256 KiB in one PATCH
    url = tus.create(film.id, len(data)).headers["Location"]
    assert tus.patch(url, 0, data).status_code == 204
