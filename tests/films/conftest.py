"""Fixtures for films: a team, a film, and a tus helper speaking the protocol by hand."""

from __future__ import annotations

import base64
import hashlib

import pytest

from festival.auth.models import Role
from festival.extensions import db
from festival.films.models import FilmRole
from festival.films.services import TeamEntry, create_film

TUS = {"Tus-Resumable": "1.0.0"}


@pytest.fixture
def team(make_participant):
    """Two participants with accounts who make a film together, and one outsider."""
    director = make_participant(account=True, first_name="Léa", last_name="Martin")
    editor = make_participant(account=True, first_name="Hugo", last_name="Bernard")
    outsider = make_participant(account=True, first_name="Zoé", last_name="Simon")
    return director, editor, outsider


@pytest.fixture
def film(edition, team):
    director, editor, _outsider = team
    film = create_film(
        edition,
        title="La nuit des chats",
        synopsis="Deux chats, une médiathèque, une nuit.",
        team=[
            TeamEntry(director.id, FilmRole.DIRECTION),
            TeamEntry(editor.id, FilmRole.EDITING),
            TeamEntry(director.id, FilmRole.SCRIPT),
        ],
        created_by=director.user,
    )
    db.session.commit()
    return film


@pytest.fixture
def staff_headers(client, make_user):
    user = make_user(Role.STAFF)
    token = client.post(
        "/api/v1/auth/token", json={"login": user.login, "password": "correct-horse-battery"}
    )
    return {"Authorization": f"Bearer {token.json['token']}"}


def bearer(client, user) -> dict:
    response = client.post(
        "/api/v1/auth/token", json={"login": user.login, "password": "correct-horse-battery"}
    )
    return {"Authorization": f"Bearer {response.json['token']}"}


class TusClient:
    """The requests a tus client makes, one by one, so that tests can cut in anywhere."""

    def __init__(self, client, headers: dict):
        self.client, self.headers = client, {**TUS, **headers}

    def create(self, film_id: int, length: int, filename: str = "mon film.mp4", **headers):
        metadata = "filename " + base64.b64encode(filename.encode()).decode()
        return self.client.post(
            f"/api/v1/films/{film_id}/uploads",
            headers={
                **self.headers,
                "Upload-Length": str(length),
                "Upload-Metadata": metadata,
                **headers,
            },
        )

    def head(self, url: str):
        return self.client.head(url, headers=self.headers)

    def patch(
        self,
        url: str,
        offset: int,
        data: bytes,
        *,
        checksum: str | None = None,
        claimed_length: int | None = None,
        **headers,
    ):
        headers = {
            **self.headers,
            "Upload-Offset": str(offset),
            "Content-Type": "application/offset+octet-stream",
            **headers,
        }
        if checksum:
            algorithm = checksum
            digest = hashlib.new(algorithm, data).digest()
            headers["Upload-Checksum"] = f"{algorithm} {base64.b64encode(digest).decode()}"
        overrides = {}
        if claimed_length is not None:  # the connection drops before the body ends
            overrides["CONTENT_LENGTH"] = str(claimed_length)
        return self.client.patch(url, data=data, headers=headers, environ_overrides=overrides)

    def send(self, film_id: int, data: bytes, chunk: int = 64 * 1024, **create_headers):
        created = self.create(film_id, len(data), **create_headers)
        assert created.status_code == 201, created.get_data(as_text=True)
        url = created.headers["Location"]
        offset, last = 0, None
        while offset < len(data):
            last = self.patch(url, offset, data[offset : offset + chunk])
            assert last.status_code == 204, last.get_data(as_text=True)
            offset = int(last.headers["Upload-Offset"])
        return url, last


@pytest.fixture
def tus_as(client):
    return lambda headers: TusClient(client, headers)
