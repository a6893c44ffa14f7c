"""Text the teams type never changes how a visitor's browser reads the page."""

from __future__ import annotations

import json

import html5lib

from festival.extensions import db
from festival.programme import services

HOSTILE_SYNOPSIS = "<!--<script> Deux chats & une nuit </script><b>gras</b>\u2028fin"


def _parse(html: str):
    return html5lib.parse(html, namespaceHTMLElements=False)


def test_a_synopsis_cannot_swallow_the_page_into_the_json_ld(
    client, edition, block, make_valid_film
):
    film = make_valid_film("Les chats")
    film.synopsis = film.approved_synopsis = HOSTILE_SYNOPSIS
    services.add_film(block, film)
    services.publish(edition)
    db.session.commit()
    for url in ("/", "/programme", f"/programme/{edition.year}/films/{film.id}"):
        document = _parse(client.get(url).get_data(as_text=True))
        scripts = document.findall(".//script[@type='application/ld+json']")
        assert len(scripts) == 1, url
        data = json.loads(scripts[0].text)
        movies = [m for event in data["@graph"] for m in event["workPresented"]]
        assert movies[0]["description"] == HOSTILE_SYNOPSIS, url
        # The rest of the page is still there for the browser: footer and lineup.
        assert document.find(".//footer") is not None, url
        assert document.find(".//main") is not None, url
        assert not document.findall(".//b"), url  # the synopsis is text, never markup
