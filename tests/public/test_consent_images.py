"""A minor's image is public only where every credited person agreed to be online.

Visitors may fetch one image of a film: the chosen still of its current version, when the film
plays online. Any other film shows a title card; no frame, no candidate, no older version.
"""

from __future__ import annotations

import io
import json

import pytest
from pypdf import PdfReader

from festival.extensions import cache, db
from festival.films.models import FilmVersion, ReviewDecision
from festival.films.review import changes_awaiting_approval, decide
from festival.people.consents import record_consents
from festival.people.models import ConsentKind
from festival.programme import services
from tests.helpers.films import add_version


@pytest.fixture
def published(edition, block, make_valid_film):
    online = make_valid_film("En ligne", online=True)
    ceremony_only = make_valid_film("La nuit des chats", online=False)
    services.add_film(block, online)
    services.add_film(block, ceremony_only)
    services.publish(edition)
    db.session.commit()
    return online, ceremony_only


@pytest.fixture
def shared_cache(app):
    """The cache visitors really get (tests otherwise use none)."""
    app.config.update(CACHE_TYPE="SimpleCache")
    cache.init_app(app)
    yield
    cache.clear()
    app.config.update(CACHE_TYPE="NullCache")
    cache.init_app(app)


def _names(version: FilmVersion) -> list[str]:
    return [
        path.rsplit("/", 1)[-1] for thumb in version.thumbnails for path in thumb.files.values()
    ]


def _json_ld(html: str) -> dict:
    return json.loads(html.split('<script type="application/ld+json">')[1].split("</script>")[0])


def test_no_frame_of_a_film_without_every_online_consent_reaches_a_visitor(
    client, edition, published
):
    _online, withheld = published
    version = withheld.versions[0]
    assert _names(version)
    for name in _names(version):
        assert client.get(f"/medias/films/{withheld.id}/v1/vignettes/{name}").status_code == 404, (
            name
        )
    assert client.get(f"/medias/films/{withheld.id}/v1/web.mp4").status_code == 404
    frames = f"/films/{withheld.id}/v"
    for url in ("/", "/programme", f"/programme/{edition.year}/films/{withheld.id}"):
        html = client.get(url).get_data(as_text=True)
        assert frames not in html, url
        assert 'class="thumb-card"' in html and "La nuit des chats</span>" in html, url
    movies = _json_ld(client.get("/programme").get_data(as_text=True))["@graph"][0]
    withheld_movie = next(m for m in movies["workPresented"] if m["name"] == "La nuit des chats")
    assert "image" not in withheld_movie
    items = client.get("/api/v1/programme").json["blocks"][0]["items"]
    assert next(i for i in items if i["id"] == withheld.id)["thumbnail"] is None


def test_only_the_chosen_still_of_a_film_online_is_public(client, published):
    online, _withheld = published
    version = online.versions[0]
    chosen, *others = version.thumbnails
    for path in chosen.files.values():
        response = client.get(f"/medias/films/{online.id}/v1/vignettes/{path.rsplit('/', 1)[-1]}")
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "public, max-age=300"
    for other in others:
        for path in other.files.values():
            url = f"/medias/films/{online.id}/v1/vignettes/{path.rsplit('/', 1)[-1]}"
            assert client.get(url).status_code == 404, url


def test_a_new_cut_of_a_public_film_reaches_visitors_only_once_staff_approve_it(
    client, published, make_video, staff_user
):
    online, _withheld = published
    add_version(online, make_video("second-cut.mp4", seconds=2), number=2)
    # Visitors keep the approved cut; the new one is the team's and staff's only.
    assert client.get(f"/medias/films/{online.id}/v1/web.mp4").status_code == 200
    assert client.get(f"/medias/films/{online.id}/v2/web.mp4").status_code == 404
    for name in _names(online.versions[1]):
        assert client.get(f"/medias/films/{online.id}/v2/vignettes/{name}").status_code == 404
    assert changes_awaiting_approval(online) == ["une nouvelle version (n° 2)", "la vignette"]
    decide(online, ReviewDecision.SELECTED, note="", by=staff_user)
    db.session.commit()
    # Approved: the new cut is public, and the older one never is again.
    assert client.get(f"/medias/films/{online.id}/v2/web.mp4").status_code == 200
    assert client.get(f"/medias/films/{online.id}/v1/web.mp4").status_code == 404
    for name in _names(online.versions[0]):
        assert client.get(f"/medias/films/{online.id}/v1/vignettes/{name}").status_code == 404


def test_withdrawing_the_online_consent_hides_video_and_image_at_once(
    client, edition, published, shared_cache
):
    online, _withheld = published
    still = online.versions[0].thumbnails[0].files["320.jpeg"].rsplit("/", 1)[-1]
    still_url = f"/medias/films/{online.id}/v1/vignettes/{still}"
    assert client.get(still_url).status_code == 200
    assert client.get(f"/medias/films/{online.id}/v1/web.mp4").status_code == 200
    assert still in client.get("/programme").get_data(as_text=True)
    # The guardian withdraws it: the next visitor sees no frame, without waiting for the cache.
    record_consents(online.members[0].participant, {ConsentKind.ONLINE: False}, recorded_by=None)
    db.session.commit()
    assert client.get(still_url).status_code == 404
    assert client.get(f"/medias/films/{online.id}/v1/web.mp4").status_code == 404
    assert still not in client.get("/programme").get_data(as_text=True)


def test_the_printed_programme_shows_no_frame_of_a_withheld_film(client, edition, published):
    pdf = PdfReader(io.BytesIO(client.get(f"/programme/{edition.year}/programme.pdf").data))
    images = sum(len(page.images) for page in pdf.pages)
    assert images == 1  # the film online only
    text = "".join(page.extract_text() for page in pdf.pages)
    assert "La nuit des chats" in text


def test_the_public_pdf_is_built_once_per_state_of_the_programme(
    client, edition, published, shared_cache, monkeypatch
):
    from festival.programme import printing

    built = []
    original = printing._build_edition_pdf
    monkeypatch.setattr(printing, "_build_edition_pdf", lambda *a: built.append(1) or original(*a))
    url = f"/programme/{edition.year}/programme.pdf"
    for n in range(5):  # a random query string no longer forces a rebuild
        assert client.get(f"{url}?x={n}").status_code == 200
    assert len(built) == 1
    online, _withheld = published
    record_consents(online.members[0].participant, {ConsentKind.ONLINE: False}, recorded_by=None)
    db.session.commit()
    pdf = PdfReader(io.BytesIO(client.get(url).data))
    assert len(built) == 2
    assert sum(len(page.images) for page in pdf.pages) == 0  # its still left with the consent


def test_forgetting_public_pages_reaches_every_process_of_the_machine(app, edition, published):
    """Two gunicorn workers each keep their own cache: a consent withdrawn through one must
    not leave the other serving the old page."""
    from festival import create_app
    from festival.caching import rendered

    workers = []
    for _ in range(2):
        worker = create_app({**app.config, "CACHE_TYPE": "SimpleCache"})
        workers.append(worker)
    served = []
    for worker in workers:
        with worker.test_request_context("/programme"):
            served.append(rendered("page", lambda: "ancienne page"))
    assert served == ["ancienne page", "ancienne page"]
    online, _withheld = published
    with workers[0].app_context():
        record_consents(
            online.members[0].participant, {ConsentKind.ONLINE: False}, recorded_by=None
        )
        db.session.commit()
        db.session.remove()
    with workers[1].test_request_context("/programme"):
        assert rendered("page", lambda: "page à jour") == "page à jour"
    for worker in workers:
        with worker.app_context():
            db.engine.dispose()


def test_visitors_use_their_own_media_addresses_never_the_teams(client, published):
    """The team's addresses answer only the team, staff and the jury: a visitor, even of a
    public film, gets its media from public/, where the consent rule is checked."""
    online, _withheld = published
    name = _names(online.versions[0])[0]
    assert client.get(f"/medias/films/{online.id}/v1/web.mp4").status_code == 200
    assert client.get(f"/films/{online.id}/v1/web.mp4").status_code == 404
    assert client.get(f"/films/{online.id}/v1/vignettes/{name}").status_code == 404
    response = client.get(f"/medias/films/{online.id}/v1/web.mp4")
    assert response.headers["Cache-Control"].startswith("public")
