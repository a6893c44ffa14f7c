"""Erasing a participant follows through to films; their export covers films and uploads."""

from __future__ import annotations

import json

from festival.auth.models import Role
from festival.extensions import db
from festival.people.privacy import erase_participant
from tests.helpers.api import bearer


def test_the_export_covers_films_credits_and_uploads_and_reads_in_french(
    client, login_as, team, film, tus_as, make_video
):
    director = team[0]
    tus = tus_as(bearer(client, director.user))
    data = make_video("export.mp4", seconds=2).read_bytes()
    tus.send(film.id, data, filename="ma version.mp4")
    tus.create(film.id, 5000, filename="pas fini.mov")
    staff = login_as(Role.STAFF)
    exported = json.loads(staff.get(f"/equipe/participants/{director.id}/export.json").data)
    [record] = exported["films"]
    assert record["title"] == "La nuit des chats"
    assert {c["role"] for c in record["credits"]} == {"direction", "script"}
    [version] = record["versions"]
    assert version["file_name"] == "ma version.mp4" and version["sent_by_them"] is True
    assert version["size"] == len(data) and len(version["sha256"]) == 64
    assert exported["uploads_in_progress"][0]["file_name"] == "pas fini.mov"

    page = staff.get(f"/equipe/participants/{director.id}/donnees").get_data(as_text=True)
    for words in (
        "Identité et coordonnées",
        "Autorisations",
        "La nuit des chats",
        "Réalisation, Scénario",
        "« ma version.mp4 »",
        "envoyée par cette personne",
        "Envois non terminés",
        "« pas fini.mov »",
    ):
        assert words in page, words
    # The teen reads the same page about herself, and only about herself.
    teen = login_as(director.user)
    mine = teen.get("/mon-espace/mes-donnees").get_data(as_text=True)
    assert "La nuit des chats" in mine and director.email in mine
    assert team[1].email not in mine


def test_erasing_a_teen_makes_their_credits_anonymous_and_warns_the_programme(
    client, login_as, team, film, tus_as, make_video
):
    from festival.films.models import ReviewDecision
    from festival.programme.services import add_block, add_film, edition_schedule

    director, editor, _outsider = team
    tus_as(bearer(client, director.user)).send(film.id, make_video("erase.mp4").read_bytes())
    db.session.refresh(film)
    film.decision = ReviewDecision.SELECTED
    block = add_block(
        film.edition,
        title="Séance",
        starts_at=film.edition.ceremony_at,
        planned_minutes=30,
    )
    add_film(block, film)
    db.session.commit()
    erase_participant(editor)
    db.session.commit()
    team_page = login_as(director.user).get(f"/films/{film.id}").get_data(as_text=True)
    assert "Hugo" not in team_page and "Bernard" not in team_page
    [plan] = edition_schedule(film.edition)
    warnings = " ".join(plan.warnings)
    assert "données ont été effacées" in warnings
    builder = login_as(Role.STAFF).get("/equipe/programme").get_data(as_text=True)
    assert "données ont été effacées" in builder
