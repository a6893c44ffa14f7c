"""The public lineup, film pages, calendar and API: published only, display names only."""

import json

import pytest
from icalendar import Calendar

from festival.extensions import db
from festival.films.models import ReviewDecision
from festival.films.review import decide
from festival.programme import services
from festival.programme.models import ItemKind


@pytest.fixture
def published(edition, block, make_valid_film, make_participant):
    online = make_valid_film("En ligne", online=True)
    ceremony_only = make_valid_film("Salle seulement", online=False)
    services.add_moment(block, kind=ItemKind.WELCOME, title="Mot d'accueil", duration_seconds=300)
    services.add_film(block, online)
    services.add_film(block, ceremony_only)
    services.publish(edition)
    db.session.commit()
    return {"online": online, "ceremony_only": ceremony_only}


def test_nothing_is_public_before_publication(client, edition, block, make_valid_film):
    film = make_valid_film("Secret")
    services.add_film(block, film)
    db.session.commit()
    assert "arrive bientôt" in client.get("/programme").get_data(as_text=True)
    assert client.get("/api/v1/programme").status_code == 404
    assert client.get(f"/programme/{edition.year}/films/{film.id}").status_code == 404
    name = film.versions[0].thumbnails[0].files["320.jpeg"].rsplit("/", 1)[-1]
    assert client.get(f"/medias/films/{film.id}/v1/vignettes/{name}").status_code == 404


def test_the_public_lineup_shows_times_titles_and_display_names(client, edition, published):
    html = client.get("/programme").get_data(as_text=True)
    assert "Première séance" in html and "En ligne" in html and "Mot d&#39;accueil" in html
    member = published["online"].members[0].participant
    assert f"{member.first_name} {member.last_name[0]}." in html
    assert 'loading="lazy"' in html and "srcset=" in html and 'type="image/webp"' in html
    assert client.get("/").get_data(as_text=True).count("lineup-film") == 2


def test_the_programme_api(client, edition, published):
    body = client.get("/api/v1/programme").json
    assert body["year"] == edition.year
    [block] = body["blocks"]
    assert block["venue"] == "Auditorium" and block["starts_at"][-6:] in ("+01:00", "+02:00")
    kinds = [(i["kind"], i["duration"]) for i in block["items"]]
    assert kinds == [("welcome", 300), ("film", 2), ("film", 2)]
    film = block["items"][1]
    assert film["id"] == published["online"].id and film["title"] == "En ligne"
    assert film["synopsis"] == "Synopsis de En ligne."
    assert film["team"][0]["name"].endswith(".") and set(film["thumbnail"]) >= {"320.webp"}
    assert block["items"][1]["starts_at"] > block["items"][0]["starts_at"]
    assert client.get(f"/api/v1/editions/{edition.year}/programme").json == body
    assert client.get("/api/v1/editions/1999/programme").status_code == 404


def test_a_film_plays_online_only_with_every_online_consent(client, edition, published):
    online, ceremony_only = published["online"], published["ceremony_only"]
    page = client.get(f"/programme/{edition.year}/films/{online.id}").get_data(as_text=True)
    assert "<video" in page
    assert client.get(f"/medias/films/{online.id}/v1/web.mp4").status_code == 200
    page = client.get(f"/programme/{edition.year}/films/{ceremony_only.id}").get_data(as_text=True)
    assert "<video" not in page and "montré lors de la cérémonie" in page
    assert client.get(f"/medias/films/{ceremony_only.id}/v1/web.mp4").status_code == 404
    # Nor any frame of it: see tests/public/test_consent_images.py.
    name = ceremony_only.versions[0].thumbnails[0].files["320.webp"].rsplit("/", 1)[-1]
    assert client.get(f"/medias/films/{ceremony_only.id}/v1/vignettes/{name}").status_code == 404


def test_pages_and_api_leak_no_private_field(client, edition, published, make_participant):
    private = []
    for film in published.values():
        for member in film.members:
            p = member.participant
            private += [
                p.last_name,
                p.email,
                p.phone,
                p.guardian_name,
                p.guardian_email,
                p.guardian_phone,
                p.birth_date.isoformat(),
                p.birth_date.strftime("%d/%m/%Y"),
            ]
    urls = [
        "/",
        "/programme",
        f"/programme/{edition.year}",
        "/programme.ics",
        "/archives",
        "/api/v1/programme",
        f"/api/v1/editions/{edition.year}/programme",
    ]
    urls += [f"/programme/{edition.year}/films/{f.id}" for f in published.values()]
    for url in urls:
        body = client.get(url).get_data(as_text=True)
        for value in private:
            assert value not in body, (url, value)


def test_pages_are_cacheable_and_revalidate_with_an_etag(client, published):
    first = client.get("/programme")
    assert "public" in first.headers["Cache-Control"] and first.headers["ETag"]
    again = client.get("/programme", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


def test_calendar_and_structured_data(client, edition, published):
    calendar = Calendar.from_ical(client.get("/programme.ics").data)
    [event_] = list(calendar.walk("VEVENT"))
    # One event for the evening, its blocks in the description.
    assert "Cérémonie de remise des prix" in str(event_["summary"])
    assert "Première séance" in str(event_["description"])
    assert str(event_["location"]) == "Auditorium"
    assert event_.decoded("dtstart").tzinfo is not None
    html = client.get("/programme").get_data(as_text=True)
    data = json.loads(html.split('<script type="application/ld+json">')[1].split("</script>")[0])
    screening = data["@graph"][0]
    assert screening["@type"] == "ScreeningEvent"
    assert [m["name"] for m in screening["workPresented"]] == ["En ligne", "Salle seulement"]
    assert screening["workPresented"][0]["@type"] == "Movie"


def test_public_pages_cost_the_same_queries_whatever_the_number_of_films(
    client, edition, block, make_valid_film, count_queries
):
    """Pinned: a per-film query would show only with many films, and the cache hides it."""
    first = make_valid_film("Un")
    services.add_film(block, first)
    services.publish(edition)
    db.session.commit()
    urls = {
        "lineup": "/programme",
        "api": "/api/v1/programme",
        "film page": f"/programme/{edition.year}/films/{first.id}",
        "printed programme": f"/programme/{edition.year}/programme.pdf",
    }

    def costs():
        return {name: count_queries(lambda url=url: client.get(url)) for name, url in urls.items()}

    few = costs()
    for index in range(4):
        services.add_film(block, make_valid_film(f"Encore {index}"))
    db.session.commit()
    assert costs() == few
    assert few == PINNED_QUERIES


# What each page costs today; a change here is a choice to review, not noise.
# The lineup and a film's page also ask whether the palmarès is out (one query); every page
# loads the films' subtitle tracks in one query (the film page and lineup say « sous-titré »),
# and the ceremony's place in one (places are rows of their own since séances pick theirs).
# The lineup shows the library's titles recommended around the ceremony (one query).
PINNED_QUERIES = {"lineup": 17, "api": 14, "film page": 15, "printed programme": 14}


def test_archives_list_past_published_editions(client, edition, published):
    from datetime import date, datetime

    from festival.editions.services import create_edition

    past = create_edition(
        year=2020,
        title="Édition 2020",
        starts_on=date(2019, 10, 1),
        ends_on=date(2020, 3, 28),
        ceremony_at=datetime(2020, 3, 28, 18),
        upload_deadline=datetime(2020, 2, 28),
        make_current=False,
    )
    services.publish(past)
    db.session.commit()
    html = client.get("/archives").get_data(as_text=True)
    assert "Édition 2020" in html and edition.title not in html
    assert client.get("/programme/2020").status_code == 200


def test_visitors_get_a_cached_lineup_and_staff_a_fresh_one(
    app, client, edition, published, login_as
):
    from festival.auth.models import Role
    from festival.extensions import cache

    app.config.update(CACHE_TYPE="SimpleCache")
    cache.init_app(app)
    try:
        assert "En ligne" in client.get("/programme").get_data(as_text=True)
        film = published["online"]
        film.title = "Titre changé"
        # Staff approve the new title (retaining the film again approves what changed).
        decide(film, ReviewDecision.SELECTED, note="", by=login_as(Role.STAFF).user)
        db.session.commit()
        # A visitor still reads the page rendered a moment ago (a few seconds at most)...
        assert "Titre changé" not in client.get("/programme").get_data(as_text=True)
        # ...staff see their change at once, and publishing clears what visitors see.
        staff = login_as(Role.STAFF)
        assert "Titre changé" in staff.get("/programme").get_data(as_text=True)
        staff.post_form(
            "/equipe/programme/publication", {"action": "publish"}, token_page="/equipe/programme"
        )
        assert "Titre changé" in client.get("/programme").get_data(as_text=True)
        english = client.get("/programme", headers={"Accept-Language": "en"})
        assert "Ceremony programme" in english.get_data(as_text=True)
    finally:
        cache.clear()
        app.config.update(CACHE_TYPE="NullCache")
        cache.init_app(app)


def _film_json_ld(client, url: str) -> dict:
    html = client.get(url).get_data(as_text=True)
    data = json.loads(html.split('<script type="application/ld+json">')[1].split("</script>")[0])
    (movie,) = data["@graph"][0]["workPresented"]
    return movie


def test_a_film_page_describes_the_film_in_every_language(client, edition, published):
    """A VideoObject for a film one can watch, its director on English pages too (the roles
    were matched by their French labels), and an image from whatever stills exist."""
    online, ceremony_only = published["online"], published["ceremony_only"]
    movie = _film_json_ld(client, f"/programme/{edition.year}/films/{online.id}")
    assert movie["video"]["@type"] == "VideoObject"
    assert movie["video"]["contentUrl"].endswith("/web.mp4")
    assert movie["video"]["uploadDate"] and movie["video"]["thumbnailUrl"].endswith(".jpg")
    assert movie["director"] and movie["image"].endswith(".jpg")
    client.get("/langue/en")
    english = _film_json_ld(client, f"/programme/{edition.year}/films/{online.id}")
    assert english["director"] == movie["director"]
    watched_in_the_hall = _film_json_ld(
        client, f"/programme/{edition.year}/films/{ceremony_only.id}"
    )
    assert "video" not in watched_in_the_hall


def test_archives_name_earlier_editions_even_without_a_published_programme(client, edition):
    from datetime import date, datetime

    from festival.editions.services import create_edition

    create_edition(
        year=2019,
        title="Édition 2019, sur papier",
        starts_on=date(2018, 10, 1),
        ends_on=date(2019, 3, 30),
        ceremony_at=datetime(2019, 3, 30, 18),
        upload_deadline=datetime(2019, 2, 28),
        make_current=False,
    )
    db.session.commit()
    html = client.get("/archives").get_data(as_text=True)
    assert "Édition 2019, sur papier" in html
    assert "la première" not in html
    assert 'href="/programme/2019"' not in html  # no programme to open
