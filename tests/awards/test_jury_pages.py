"""The jury's menu leads to its own list and film page, without the team's or staff's notes."""

from __future__ import annotations

from festival.auth.models import Role
from festival.extensions import db
from festival.films.models import ReviewDecision
from festival.films.review import decide
from tests.helpers.api import bearer


def _retain(film, director_tus, make_video, staff):
    director_tus.send(film.id, make_video("jury.mp4", seconds=2).read_bytes())
    db.session.refresh(film)
    decide(
        film,
        ReviewDecision.SELECTED,
        note="Note privée pour l'équipe : resserrer la fin.",
        by=staff,
    )
    db.session.commit()


def test_the_jury_menu_leads_to_the_retained_films(
    client, film, team, tus_as, make_video, login_as, make_user
):
    juror = login_as(Role.JURY)
    home = juror.get("/").get_data(as_text=True)
    assert 'href="/jury/films"' in home
    empty = juror.get("/jury/films").get_data(as_text=True)
    assert "Aucun film n'est encore retenu" in empty
    _retain(film, tus_as(bearer(client, team[0].user)), make_video, make_user(Role.STAFF))
    listing = juror.get("/jury/films").get_data(as_text=True)
    assert "La nuit des chats" in listing and f"/jury/films/{film.id}" in listing


def test_a_juror_watches_a_film_without_the_team_note_or_full_names(
    client, film, team, tus_as, make_video, login_as, make_user
):
    _retain(film, tus_as(bearer(client, team[0].user)), make_video, make_user(Role.STAFF))
    juror = login_as(Role.JURY)
    page = juror.get(f"/jury/films/{film.id}").get_data(as_text=True)
    assert "<video" in page and f"/films/{film.id}/v1/web.mp4" in page
    assert "Deux chats, une médiathèque, une nuit." in page
    assert "Léa M." in page and "Hugo B." in page
    assert "Martin" not in page and "Bernard" not in page
    assert "Note privée" not in page and "Modifier" not in page
    # Typing the team's address leads to the jury's page, never the team's.
    typed = juror.get(f"/films/{film.id}")
    assert typed.status_code == 302 and typed.location.endswith(f"/jury/films/{film.id}")
    assert juror.get(f"/films/{film.id}/v1/web.mp4").status_code == 200


def test_signed_in_people_are_not_invited_to_register(login_as, team, client):
    assert "Je m'inscris" in client.get("/").get_data(as_text=True)
    for who in (team[0].user, Role.STAFF, Role.JURY, Role.FACILITATOR):
        home = login_as(who).get("/").get_data(as_text=True)
        assert "Je m'inscris" not in home and "J'ai déjà un compte" not in home
