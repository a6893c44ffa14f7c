"""Films: teams, statuses, review, thumbnails, and media behind access checks."""

from datetime import timedelta

import pytest

from festival.auth.models import Role
from festival.extensions import db
from festival.films.models import Film, FilmStatus, ReviewDecision
from festival.films.review import changes_awaiting_approval, decide
from festival.films.services import film_status
from tests.helpers.api import bearer


def test_a_participant_creates_a_film_for_their_team(client, team, edition):
    director, editor, _ = team
    headers = bearer(client, director.user)
    response = client.post(
        "/api/v1/films",
        headers=headers,
        json={
            "title": "Le dernier bus",
            "synopsis": "Une course contre la montre.",
            "team": [
                {"participant_id": director.id, "role": "direction"},
                {"participant_id": editor.id, "role": "editing"},
            ],
        },
    )
    assert response.status_code == 201, response.json
    body = response.json
    assert body["status"] == "draft" and body["duration"] is None and body["problems"] == []
    assert {m["name"] for m in body["team"]} == {"Léa M.", "Hugo B."}
    assert body["thumbnail"] is None and body["rendition_url"] is None
    assert (
        client.get(f"/api/v1/films/{body['id']}", headers=headers).json["title"] == "Le dernier bus"
    )


def test_a_participant_cannot_create_a_film_for_a_team_without_them(client, team):
    director, editor, outsider = team
    response = client.post(
        "/api/v1/films",
        headers=bearer(client, outsider.user),
        json={
            "title": "Pas le mien",
            "team": [{"participant_id": director.id, "role": "direction"}],
        },
    )
    assert response.status_code == 422
    assert "faire partie de l'équipe" in response.json["error"]["fields"]["team"]


def test_the_team_must_be_registered_participants(client, team, staff_headers):
    response = client.post(
        "/api/v1/films",
        headers=staff_headers,
        json={"title": "Film", "team": [{"participant_id": 99999, "role": "direction"}]},
    )
    assert response.status_code == 422 and "99999" in response.json["error"]["message"]
    response = client.post(
        "/api/v1/films",
        headers=staff_headers,
        json={"title": "Film", "team": [{"participant_id": team[0].id, "role": "painter"}]},
    )
    assert response.status_code == 422 and "team" in str(response.json["error"]["fields"])


def test_music_must_be_declared_with_its_credit(client, team):
    director = team[0]
    response = client.post(
        "/api/v1/films",
        headers=bearer(client, director.user),
        json={
            "title": "Film",
            "team": [{"participant_id": director.id, "role": "direction"}],
            "music_kind": "free_licence",
        },
    )
    assert response.status_code == 422
    assert "licence" in response.json["error"]["fields"]["music_licence"]


def test_films_are_seen_by_their_team_staff_and_the_jury_once_retained(
    client, team, film, make_user
):
    director, editor, outsider = team
    juror = make_user(Role.JURY)
    assert client.get(f"/api/v1/films/{film.id}", headers=bearer(client, juror)).status_code == 404
    film.decision = ReviewDecision.SELECTED
    db.session.commit()
    for user, status in [
        (director.user, 200),
        (editor.user, 200),
        (outsider.user, 404),
        (make_user(Role.STAFF), 200),
        # Retained with no approved cut to watch: the jury sees films as staff approved
        # them (tests/security/test_jury_view.py), not before.
        (juror, 404),
        (make_user(Role.FACILITATOR), 404),
    ]:
        response = client.get(f"/api/v1/films/{film.id}", headers=bearer(client, user))
        assert response.status_code == status, user
    assert client.get(f"/api/v1/films/{film.id}").status_code == 401
    assert [
        f["id"] for f in client.get("/api/v1/films", headers=bearer(client, outsider.user)).json
    ] == []


def test_statuses_follow_the_film(client, team, film, tus_as, make_video, login_as):
    assert film_status(film) == FilmStatus.DRAFT
    tus = tus_as(bearer(client, team[0].user))
    url = tus.create(film.id, 100).headers["Location"]
    db.session.refresh(film)
    assert film_status(film) == FilmStatus.UPLOADING
    client.delete(url, headers=tus.headers)
    tus.send(film.id, b"not a film at all" * 10)
    db.session.refresh(film)
    assert film_status(film) == FilmStatus.REFUSED
    tus.send(film.id, make_video("status.mp4").read_bytes())
    db.session.refresh(film)
    assert film_status(film) == FilmStatus.VALID
    assert [v.status.value for v in film.versions] == ["refused", "valid"]
    # A new version chosen, then the page closed before a byte left: after two minutes
    # the card says « Valide » again, not « En cours d'envoi » for a quarter of an hour.
    abandoned = tus.create(film.id, 100).headers["Location"]
    db.session.refresh(film)
    assert film_status(film) == FilmStatus.UPLOADING
    (upload,) = [u for u in film.uploads if abandoned.endswith(u.id)]
    upload.updated_at -= timedelta(minutes=3)
    db.session.commit()
    assert film_status(film) == FilmStatus.VALID
    body = client.get(f"/api/v1/films/{film.id}", headers=tus.headers).json
    assert body["status"] == "valid" and body["duration"] == pytest.approx(2.0, abs=0.1)
    assert body["rendition_url"].endswith("/v2/web.mp4")
    assert set(body["thumbnail"]) >= {"320.webp", "320.jpeg"}


@pytest.fixture
def valid_film(client, team, film, tus_as, make_video):
    tus_as(bearer(client, team[0].user)).send(film.id, make_video("valid.mp4").read_bytes())
    db.session.refresh(film)
    return film


def test_media_is_served_with_ranges_to_the_team_only(login_as, team, valid_film, make_client):
    director, _editor, outsider = team
    url = f"/films/{valid_film.id}/v1/web.mp4"
    viewer = login_as(director.user)
    whole = viewer.get(url)
    assert whole.status_code == 200 and whole.mimetype == "video/mp4"
    assert whole.headers["Accept-Ranges"] == "bytes"
    part = viewer.get(url, headers={"Range": "bytes=100-199"})
    assert part.status_code == 206 and len(part.data) == 100
    assert part.data == whole.data[100:200]
    assert part.headers["Content-Range"].startswith("bytes 100-199/")
    assert login_as(outsider.user).get(url).status_code == 404
    assert make_client().get(url).status_code == 404
    thumbnail = valid_film.versions[0].thumbnails[0]
    name = thumbnail.files["320.webp"].rsplit("/", 1)[-1]
    assert viewer.get(f"/films/{valid_film.id}/v1/vignettes/{name}").mimetype == "image/webp"
    assert viewer.get(f"/films/{valid_film.id}/v1/vignettes/..%2F..%2Foriginal").status_code == 404
    assert viewer.get(f"/films/{valid_film.id}/v1/vignettes/original").status_code == 404


def test_production_hands_media_to_the_web_server(app, login_as, team, valid_film):
    app.config["MEDIA_ACCEL_REDIRECT_PREFIX"] = "/protected-media/"
    response = login_as(team[0].user).get(f"/films/{valid_film.id}/v1/web.mp4")
    assert (
        response.headers["X-Accel-Redirect"] == f"/protected-media/films/{valid_film.id}/v1/web.mp4"
    )
    assert response.data == b""


def test_staff_review_and_the_team_reads_the_decision(login_as, team, valid_film):
    staff = login_as(Role.STAFF)
    listing = staff.get("/equipe/films").get_data(as_text=True)
    assert "La nuit des chats" in listing and "Léa Martin" in listing and "2 s" in listing
    page = staff.get(f"/equipe/films/{valid_film.id}").get_data(as_text=True)
    assert "Rapport de vérification" in page and "<video" in page
    refused = staff.post_form(f"/equipe/films/{valid_film.id}", {"decision": "not_selected"})
    assert "Expliquez" in refused.get_data(as_text=True)
    staff.post_form(
        f"/equipe/films/{valid_film.id}",
        {"decision": "selected", "note": "Bravo pour le montage !"},
    )
    db.session.refresh(valid_film)
    assert valid_film.decision == ReviewDecision.SELECTED
    assert film_status(valid_film) == FilmStatus.SELECTED
    team_page = login_as(team[0].user).get(f"/films/{valid_film.id}").get_data(as_text=True)
    assert "retenu pour la projection" in team_page and "Bravo pour le montage" in team_page


def test_the_team_picks_a_thumbnail_or_sends_a_still(login_as, team, valid_film, tmp_path):
    from PIL import Image

    director = login_as(team[0].user)
    second = valid_film.versions[0].thumbnails[1]
    director.post_form(
        f"/films/{valid_film.id}/vignette",
        {"thumbnail_id": str(second.id)},
        token_page=f"/films/{valid_film.id}",
    )
    db.session.refresh(valid_film)
    assert valid_film.chosen_thumbnail_id == second.id
    poster = tmp_path / "poster.png"
    Image.new("RGB", (640, 360), "teal").save(poster)
    with poster.open("rb") as handle:
        response = director.post_form(
            f"/films/{valid_film.id}/image",
            {"still": (handle, "affiche.png")},
            token_page=f"/films/{valid_film.id}",
            content_type="multipart/form-data",
        )
    assert response.status_code == 302
    db.session.refresh(valid_film)
    assert valid_film.chosen_thumbnail.is_still
    with (tmp_path / "fake.png").open("wb") as handle:
        handle.write(b"<?php echo 1; ?>")
    with (tmp_path / "fake.png").open("rb") as handle:
        response = director.post_form(
            f"/films/{valid_film.id}/image",
            {"still": (handle, "fake.png")},
            token_page=f"/films/{valid_film.id}",
            content_type="multipart/form-data",
            follow_redirects=True,
        )
    assert "ne s'ouvre pas" in response.get_data(as_text=True).replace("&#39;", "'")


def test_film_pages_for_the_team(login_as, team, film):
    director = login_as(team[0].user)
    assert "La nuit des chats" in director.get("/mes-films").get_data(as_text=True)
    page = director.get(f"/films/{film.id}").get_data(as_text=True)
    assert "data-uploader" in page and "/tus.min." in page
    assert login_as(team[2].user).get(f"/films/{film.id}").status_code == 404


def test_a_participant_creates_a_film_in_the_browser_form(login_as, team, edition):
    director, editor, _ = team
    page = login_as(director.user)
    response = page.post_form(
        "/films/nouveau",
        {
            "title": "Court toujours",
            "synopsis": "Un sprint.",
            "music_kind": "original",
            "team-0-participant_id": str(director.id),
            "team-0-role": "direction",
            "team-1-participant_id": str(editor.id),
            "team-1-role": "sound",
            **{f"team-{i}-participant_id": "0" for i in range(2, 8)},
            **{f"team-{i}-role": "other" for i in range(2, 8)},
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    film = db.session.scalar(db.select(Film).where(Film.title == "Court toujours"))
    assert {(m.participant_id, m.role.value) for m in film.members} == {
        (director.id, "direction"),
        (editor.id, "sound"),
    }


def _send_a_second_cut(client, team, film, tus_as, make_video) -> None:
    second = make_video("second-cut.mp4", seconds=1.5).read_bytes()
    tus_as(bearer(client, team[0].user)).send(film.id, second)
    db.session.refresh(film)


def test_a_new_cut_after_a_refusal_clears_the_decision(
    client, team, valid_film, tus_as, make_video, staff_user
):
    decide(valid_film, ReviewDecision.NOT_SELECTED, note="Trop long", by=staff_user)
    db.session.commit()
    _send_a_second_cut(client, team, valid_film, tus_as, make_video)
    assert valid_film.current_version.number == 2
    assert valid_film.decision is None and valid_film.decided_at is None
    assert film_status(valid_film) == FilmStatus.VALID  # staff look again


def test_a_new_cut_of_a_retained_film_waits_for_approval(
    client, team, valid_film, tus_as, make_video, staff_user
):
    decide(valid_film, ReviewDecision.SELECTED, note="", by=staff_user)
    db.session.commit()
    _send_a_second_cut(client, team, valid_film, tus_as, make_video)
    assert valid_film.decision == ReviewDecision.SELECTED
    assert valid_film.screened_version.number == 1  # the approved cut is what is screened
    assert changes_awaiting_approval(valid_film)


def test_the_teens_space_names_her_film_and_where_it_stands(login_as, team, valid_film):
    """« Créez votre film » was said to a teen whose team had already sent it."""
    space = login_as(team[0].user).get("/mon-espace").get_data(as_text=True)
    assert valid_film.title in space and "Valide" in space
    assert "Créez votre film" not in space
