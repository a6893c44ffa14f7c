"""Search engines find the public pages, and only them."""

from __future__ import annotations

from festival.caching import forget_public_pages
from festival.extensions import db
from festival.programme import services as programme


def test_robots_keep_engines_off_the_private_pages(client):
    body = client.get("/robots.txt").get_data(as_text=True)
    assert "Disallow: /equipe" in body and "Disallow: /medias/" in body
    assert "Sitemap: " in body and body.rstrip().endswith("/sitemap.xml")


def test_the_sitemap_lists_public_pages_and_screened_films_only(
    edition, block, make_valid_film, client
):
    shown = make_valid_film("Aube")
    hidden = make_valid_film("Sans accord", screening=False)
    programme.add_film(block, shown)
    programme.add_film(block, hidden)
    before = client.get("/sitemap.xml").get_data(as_text=True)
    assert f"/programme/{edition.year}<" not in before  # not published yet
    programme.publish(edition)
    db.session.commit()
    forget_public_pages()
    body = client.get("/sitemap.xml").get_data(as_text=True)
    assert body.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert f"/programme/{edition.year}</loc>" in body
    assert f"/programme/{edition.year}/films/{shown.id}</loc>" in body
    assert f"/films/{hidden.id}<" not in body
    assert "/equipe" not in body
