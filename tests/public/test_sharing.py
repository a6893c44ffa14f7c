"""Shared links preview with a title, a description and, only where the consent rule allows,
an image: the film's public still, never a frame of someone who did not agree."""

from __future__ import annotations

import re

from festival.extensions import db
from festival.programme import services as programme


def _meta(page: str, key: str) -> str | None:
    found = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)"', page)
    return found.group(1) if found else None


def test_a_film_page_previews_with_its_still_only_when_it_plays_online(
    edition, block, make_valid_film, client
):
    online = make_valid_film("Aube")
    offline = make_valid_film("Salle seulement", online=False)
    programme.add_film(block, online)
    programme.add_film(block, offline)
    programme.publish(edition)
    db.session.commit()
    page = client.get(f"/programme/{edition.year}/films/{online.id}?utm_source=x").get_data(
        as_text=True
    )
    assert (
        f'<link rel="canonical" href="http://festival.test/programme/{edition.year}/films/{online.id}">'
        in page
    )
    assert _meta(page, "og:title").startswith("Aube")
    assert _meta(page, "og:type") == "video.other"
    assert _meta(page, "description") == "Synopsis de Aube."
    assert _meta(page, "og:image").startswith(f"http://festival.test/medias/films/{online.id}/")
    assert _meta(page, "twitter:card") == "summary_large_image"
    assert "data-share" in page and "Partager" in page
    page = client.get(f"/programme/{edition.year}/films/{offline.id}").get_data(as_text=True)
    assert _meta(page, "og:image") is None and _meta(page, "twitter:card") == "summary"
    assert "/medias/" not in page


def test_every_public_page_has_a_description_and_a_canonical_link(edition, client):
    for path in ("/", "/inscription", "/archives"):
        page = client.get(path).get_data(as_text=True)
        assert _meta(page, "description"), path
        assert '<link rel="canonical" href="http://festival.test' in page, path
