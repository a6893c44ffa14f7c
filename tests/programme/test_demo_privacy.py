"""The demo festival, complete: its public face carries no private value of anyone in it."""

import io
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from festival.editions.models import Edition
from festival.extensions import db
from festival.films.models import Film
from festival.people.models import Participant


@pytest.mark.long
def test_demo_loads_films_and_a_published_programme_that_leak_nothing(app, client):
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    edition = db.session.scalar(select(Edition).where(Edition.is_current.is_(True)))
    films = db.session.scalars(select(Film)).all()
    assert edition.programme_published_at is not None
    valid = [f for f in films if f.current_version is not None]
    assert len(valid) == 4 and {
        (f.current_version.width > f.current_version.height) for f in valid
    } == {True, False}  # landscape and portrait

    private = set()
    for p in db.session.scalars(select(Participant)):
        for value in (
            p.last_name,
            p.email,
            p.phone,
            p.guardian_name,
            p.guardian_email,
            p.guardian_phone,
        ):
            if value:
                private.add(value)
        if p.birth_date:
            private.update({p.birth_date.isoformat(), p.birth_date.strftime("%d/%m/%Y")})

    urls = [
        "/",
        "/programme",
        f"/programme/{edition.year}",
        "/archives",
        "/programme.ics",
        "/ateliers/calendrier.ics",
        "/api/v1/programme",
        "/api/v1/editions/current",
        f"/api/v1/editions/{edition.year}/programme",
        "/api/v1/openapi.json",
        "/inscription",
        "/confidentialite",
    ]
    urls += [f"/programme/{edition.year}/films/{f.id}" for f in valid]
    pages = {url: client.get(url) for url in urls}
    assert all(r.status_code == 200 for r in pages.values()), {
        u: r.status_code for u, r in pages.items() if r.status_code != 200
    }
    texts = {url: r.get_data(as_text=True) for url, r in pages.items()}
    pdf = client.get(f"/programme/{edition.year}/programme.pdf").data
    texts["programme.pdf"] = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    for url, text in texts.items():
        for value in private:
            assert not re.search(rf"(?<!\w){re.escape(value)}(?!\w)", text), (url, value)

    # « Bus 42 » shows visitors what a captioned film looks like.
    bus = next(f for f in valid if f.title == "Bus 42")
    page = texts[f"/programme/{edition.year}/films/{bus.id}"]
    tracks = re.findall(r'<track kind="(\w+)" srclang="(\w+)"[^>]* src="([^"]+)"', page)
    assert [(kind, lang) for kind, lang, _src in tracks] == [
        ("captions", "fr"),
        ("subtitles", "en"),
    ]
    captions = client.get(tracks[0][2])
    assert captions.status_code == 200 and captions.mimetype == "text/vtt"
    assert captions.get_data(as_text=True).startswith("WEBVTT")
