"""What the public sees of a retained film changes only through staff."""

from __future__ import annotations

from festival.extensions import db
from festival.films.models import FilmRole, ReviewDecision
from festival.films.review import changes_awaiting_approval, decide
from festival.films.services import TeamEntry, release_consent_hold, update_film
from festival.people.models import ConsentKind
from festival.programme import services


def _published(edition, block, make_valid_film, make_participant):
    keen = make_participant(
        first_name="Léa",
        consents={
            ConsentKind.PARTICIPATION: True,
            ConsentKind.SCREENING: True,
            ConsentKind.ONLINE: True,
        },
        account=True,
    )
    shy = make_participant(
        first_name="Hugo",
        consents={
            ConsentKind.PARTICIPATION: True,
            ConsentKind.SCREENING: True,
            ConsentKind.ONLINE: False,
        },
    )
    film = make_valid_film("La nuit des chats", people=[keen, shy])
    services.add_film(block, film)
    services.publish(edition)
    db.session.commit()
    return film, keen, shy


def test_dropping_a_teammate_who_refused_online_does_not_put_the_film_online(
    client, edition, block, make_valid_film, make_participant, staff_user
):
    film, keen, shy = _published(edition, block, make_valid_film, make_participant)
    url = f"/medias/films/{film.id}/v1/web.mp4"
    assert client.get(url).status_code == 404  # Hugo refused online publication
    update_film(
        film,
        by=keen.user,
        title=film.title,
        synopsis=film.synopsis,
        team=[TeamEntry(keen.id, FilmRole.DIRECTION)],
        music_kind=film.music_kind,
    )
    db.session.commit()
    # Back to staff review: the film leaves the public programme until staff look again...
    assert film.decision is None
    assert "La nuit des chats" not in client.get("/programme").get_data(as_text=True)
    assert client.get(url).status_code == 404
    # ...and once retained again, Hugo's refusal still binds it: he may still be in it.
    decide(film, ReviewDecision.SELECTED, note="", by=staff_user)
    db.session.commit()
    assert "La nuit des chats" in client.get("/programme").get_data(as_text=True)
    assert client.get(url).status_code == 404
    # Staff checked he is no longer in the film: they release him, and it may play online.
    release_consent_hold(film, shy.id, by=staff_user)
    db.session.commit()
    assert client.get(url).status_code == 200


def test_a_new_title_or_synopsis_reaches_the_public_only_once_approved(
    client, edition, block, make_valid_film, make_participant, staff_user, login_as
):
    film, keen, _shy = _published(edition, block, make_valid_film, make_participant)
    update_film(
        film,
        by=keen.user,
        title="Titre sauvage",
        synopsis="Un synopsis que personne n'a relu.",
        team=[TeamEntry(m.participant_id, m.role) for m in film.members],
        music_kind=film.music_kind,
    )
    db.session.commit()
    assert film.decision == ReviewDecision.SELECTED
    page = client.get("/programme").get_data(as_text=True)
    assert "La nuit des chats" in page and "Titre sauvage" not in page
    assert "personne n&#39;a relu" not in page and "personne n'a relu" not in page
    assert changes_awaiting_approval(film) == ["le titre (« Titre sauvage »)", "le synopsis"]
    review = login_as(staff_user).get(f"/equipe/films/{film.id}").get_data(as_text=True)
    assert "Titre sauvage" in review and "à valider" in review
    decide(film, ReviewDecision.SELECTED, note="", by=staff_user)
    db.session.commit()
    assert "Titre sauvage" in client.get("/programme").get_data(as_text=True)
