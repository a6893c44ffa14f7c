"""Playlist injection: a title with line breaks must never add lines to what VLC plays."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from festival.auth.models import Role
from festival.extensions import db
from festival.processing.playlists import Entry, m3u, xspf
from tests.helpers.api import bearer

INJECTED = "La nuit des chats\r\n#EXTINF:5,Pwned\r\nhttp://evil.example/payload.mp4"


def test_a_title_with_line_breaks_is_refused_by_the_form_and_the_api(client, login_as, team, film):
    director = team[0]
    response = client.post(
        "/api/v1/films",
        headers=bearer(client, director.user),
        json={"title": INJECTED, "team": [{"participant_id": director.id, "role": "direction"}]},
    )
    assert response.status_code == 422
    assert "une seule ligne" in response.json["error"]["fields"]["title"]
    page = login_as(director.user).post_form(
        f"/films/{film.id}/modifier",
        {
            "title": INJECTED,
            "music_kind": "none",
            "team-0-participant_id": director.id,
            "team-0-role": "direction",
        },
    )
    assert "une seule ligne" in page.get_data(as_text=True)
    db.session.refresh(film)
    assert film.title == "La nuit des chats"


def test_names_and_programme_titles_are_single_line_too(client, login_as, edition, block):
    staff = login_as(Role.STAFF)
    registered = staff.post_form(
        "/equipe/participants/nouveau",
        {"first_name": "Léa\n#EXTINF", "last_name": "Martin", "birth_date": "2010-01-01"},
    )
    assert "une seule ligne" in registered.get_data(as_text=True)
    response = client.post(
        "/api/v1/programme/blocks",
        headers=bearer(client, staff.user),
        json={
            "title": "Séance\r\n#EXTM3U",
            "starts_at": edition.ceremony_at.isoformat(),
            "planned_minutes": 30,
        },
    )
    assert response.status_code == 422


def test_every_playlist_field_stays_on_its_line():
    """Data stored before the rule (or typed anywhere else) is encoded safely all the same."""
    entries = [Entry("01 - La nuit des chats.mp4", INJECTED, 62.4, creator="Léa M.\nX")]
    playlist = m3u(entries, title="Cérémonie\n#EXTINF:1,x")
    lines = playlist.splitlines()
    assert lines == [
        "#EXTM3U",
        "#PLAYLIST:Cérémonie #EXTINF:1,x",
        "#EXTINF:62,Léa M. X - La nuit des chats #EXTINF:5,Pwned http://evil.example/payload.mp4",
        "01 - La nuit des chats.mp4",
    ]
    assert not any(line.startswith("http") for line in lines)
    document = ET.fromstring(xspf(entries, title="Cérémonie\x01"))  # noqa: S314 - our own output
    locations = [e.text for e in document.iter("{http://xspf.org/ns/0/}location")]
    assert locations == ["01%20-%20La%20nuit%20des%20chats.mp4"]
