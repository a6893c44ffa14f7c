"""Teens see each other as first name and initial; only confirmed participants make films."""

from __future__ import annotations

import pytest

from festival.auth.models import Role
from festival.extensions import db
from festival.people.models import ParticipantStatus
from festival.people.registration import withdraw_participant
from tests.helpers.api import bearer


def test_the_team_picker_shows_teens_first_name_and_initial_only(login_as, team, edition):
    director, editor, outsider = team
    page = login_as(director.user).get("/films/nouveau").get_data(as_text=True)
    picker = page[page.index("<select") : page.rindex("</select>")]
    assert "Léa M." in picker and "Hugo B." in picker and "Zoé S." in picker
    assert "Martin" not in picker and "Bernard" not in page and "Simon" not in page
    staff = login_as(Role.STAFF).get("/films/nouveau").get_data(as_text=True)
    assert "Léa Martin" in staff


def test_a_teen_not_confirmed_yet_is_told_so_and_cannot_create_a_film(
    client, login_as, make_participant, edition
):
    pending = make_participant(account=True, online=True, first_name="Maëlys")
    assert pending.status == ParticipantStatus.PENDING
    teen = login_as(pending.user)
    films = teen.get("/mes-films").get_data(as_text=True)
    assert "pas encore confirmée" in films and "Créer un film" not in films
    refused = teen.get("/films/nouveau")
    assert refused.status_code == 302 and refused.location.endswith("/mes-films")
    response = client.post(
        "/api/v1/films",
        headers=bearer(client, pending.user),
        json={"title": "Mon film", "team": [{"participant_id": pending.id, "role": "direction"}]},
    )
    assert response.status_code == 403
    assert "pas encore confirmée" in response.json["error"]["message"]


def test_a_withdrawn_teen_loses_the_rights_on_the_team_film(login_as, team, film):
    director = team[0]
    teen = login_as(director.user)
    assert teen.get(f"/films/{film.id}").status_code == 200
    withdraw_participant(director)
    db.session.commit()
    assert teen.get(f"/films/{film.id}").status_code == 404
    assert teen.get(f"/films/{film.id}/modifier").status_code == 404
    assert "plus inscrit" in teen.get("/mes-films").get_data(as_text=True)
    assert film.title not in teen.get("/mes-films").get_data(as_text=True)


def test_a_withdrawn_teen_no_longer_lists_the_film_through_the_api(client, team, film):
    from tests.helpers.api import bearer

    headers = bearer(client, team[0].user)
    assert [f["id"] for f in client.get("/api/v1/films", headers=headers).json] == [film.id]
    withdraw_participant(team[0])
    db.session.commit()
    assert client.get("/api/v1/films", headers=headers).json == []
    assert client.get(f"/api/v1/films/{film.id}", headers=headers).status_code == 404


def test_teammates_read_each_other_as_first_name_and_initial(login_as, team, film):
    page = login_as(team[0].user).get(f"/films/{film.id}").get_data(as_text=True)
    assert "Hugo B." in page and "Hugo Bernard" not in page
    staff = login_as(Role.STAFF).get(f"/films/{film.id}").get_data(as_text=True)
    assert "Hugo Bernard" in staff


def test_a_teen_is_credited_on_a_few_films_not_sixty(app, team, film, edition):
    from festival.errors import ValidationError
    from festival.films.models import FilmRole
    from festival.films.services import TeamEntry, create_film

    director = team[0]
    app.config["MAX_FILMS_PER_PARTICIPANT"] = 3
    for title in ("Deuxième", "Troisième"):
        create_film(
            edition,
            title=title,
            team=[TeamEntry(director.id, FilmRole.DIRECTION)],
            created_by=director.user,
        )
    db.session.commit()
    with pytest.raises(ValidationError, match="déjà partie de 3 films"):
        create_film(
            edition,
            title="Quatrième",
            team=[TeamEntry(director.id, FilmRole.DIRECTION)],
            created_by=director.user,
        )
    db.session.rollback()
    app.config["MAX_FILMS_PER_EDITION"] = 3
    with pytest.raises(ValidationError, match="déjà 3 films"):
        create_film(
            edition,
            title="Encore",
            team=[TeamEntry(team[2].id, FilmRole.DIRECTION)],
            created_by=team[2].user,
        )
