"""Static files and pages as a weak phone wants them: hashed names kept a year, compressed forms
by Accept-Encoding, pages compressed too."""

from __future__ import annotations

import gzip
import os
import re
import time
from pathlib import Path

import brotli
import pytest
from flask import Response, url_for

from festival.static_files import STALE_AFTER_SECONDS, hashed_name, publish_static

STATIC = Path(__file__).resolve().parent.parent / "festival" / "static"
YEAR = 365 * 24 * 3600


def _stylesheet_address(html: str) -> str:
    return re.search(r'href="(/static/css/festival\.[0-9a-f]{12}\.css)"', html).group(1)


def test_pages_name_static_files_after_their_content(app, client):
    html = client.get("/").get_data(as_text=True)
    address = _stylesheet_address(html)
    content = (STATIC / "css" / "festival.css").read_bytes()
    assert address == "/static/" + hashed_name("css/festival.css", content)
    with app.test_request_context():
        script = url_for("static", filename="vendor/tus-js-client-4.3.1/tus.min.js")
    assert re.fullmatch(r"/static/vendor/tus-js-client-4\.3\.1/tus\.min\.[0-9a-f]{12}\.js", script)
    assert "/static/css/festival.css" not in html


def test_a_hashed_file_is_kept_a_year_and_sent_compressed_as_the_browser_accepts(client):
    address = _stylesheet_address(client.get("/").get_data(as_text=True))
    original = (STATIC / "css" / "festival.css").read_bytes()

    plain = client.get(address)
    assert plain.status_code == 200
    assert plain.data == original
    assert "Content-Encoding" not in plain.headers
    cache_control = plain.headers["Cache-Control"]
    assert "immutable" in cache_control and f"max-age={YEAR}" in cache_control
    assert "Accept-Encoding" in plain.headers["Vary"]
    assert plain.headers["X-Content-Type-Options"] == "nosniff"

    in_brotli = client.get(address, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert in_brotli.headers["Content-Encoding"] == "br"
    assert brotli.decompress(in_brotli.data) == original
    assert len(in_brotli.data) < len(original) / 3

    in_gzip = client.get(address, headers={"Accept-Encoding": "gzip"})
    assert in_gzip.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(in_gzip.data) == original


def test_a_name_without_hash_still_answers_but_is_not_kept_long(client):
    response = client.get("/static/css/festival.css")
    assert response.status_code == 200
    assert "immutable" not in response.headers["Cache-Control"]
    assert client.get("/static/css/no-such-file.css").status_code == 404


def test_a_changed_file_gets_a_new_name_and_the_old_one_leaves_after_a_week(tmp_path):
    source, target = tmp_path / "static", tmp_path / "published"
    (source / "js").mkdir(parents=True)
    script = source / "js" / "app.js"
    script.write_text("console.log('première version');\n" * 40)
    first = publish_static(source, target)["js/app.js"]
    assert (target / first).exists() and (target / (first + ".br")).exists()

    script.write_text("console.log('deuxième version');\n" * 40)
    second = publish_static(source, target)["js/app.js"]
    assert second != first
    assert (target / "js" / "app.js").read_bytes() == script.read_bytes()
    assert (target / first).exists(), "a page cached elsewhere may still ask for it"

    week_ago = time.time() - STALE_AFTER_SECONDS - 60
    for form in (first, first + ".br", first + ".gz"):
        os.utime(target / form, (week_ago, week_ago))
    publish_static(source, target)
    assert not (target / first).exists() and not (target / (first + ".gz")).exists()
    assert (target / second).exists()


def test_reverting_a_file_publishes_its_content_again_under_the_plain_name(tmp_path):
    source, target = tmp_path / "static", tmp_path / "published"
    source.mkdir()
    sheet = source / "print.css"
    sheet.write_text("body { color: black; }\n" * 50)
    publish_static(source, target)
    sheet.write_text("body { color: navy; }\n" * 50)
    publish_static(source, target)
    sheet.write_text("body { color: black; }\n" * 50)
    publish_static(source, target)
    assert (target / "print.css").read_bytes() == sheet.read_bytes()
    assert brotli.decompress((target / "print.css.br").read_bytes()) == sheet.read_bytes()


def test_pages_are_compressed_for_browsers_that_accept_it(client, edition):
    plain = client.get("/programme")
    assert plain.status_code == 200
    compressed = client.get("/programme", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert compressed.headers["Content-Encoding"] == "br"
    assert brotli.decompress(compressed.data) == plain.data
    assert len(compressed.data) < len(plain.data) / 2
    assert "Accept-Encoding" in compressed.headers["Vary"]


@pytest.mark.own_app
def test_a_range_of_a_file_is_sent_as_stored(app):
    @app.get("/range-of-a-document")
    def range_of_a_document():
        return Response('{"a": "' + "x" * 2000 + '"}', status=206, mimetype="application/json")

    response = app.test_client().get(
        "/range-of-a-document", headers={"Accept-Encoding": "br", "Range": "bytes=0-"}
    )
    assert response.status_code == 206
    assert "Content-Encoding" not in response.headers
