"""Odd input gets a sentence, never a 500; a still's hidden metadata never goes public."""

from __future__ import annotations

import io
import json

from PIL import Image

from festival.auth.models import Role
from festival.clock import local_now
from festival.extensions import db
from festival.films.services import add_still
from festival.processing.thumbnails import thumbnails_from_still
from tests.helpers.api import bearer


def test_a_superscript_digit_is_not_a_number(client, tus_as, team, film, make_user, edition):
    tus = tus_as(bearer(client, team[0].user))
    assert tus.create(film.id, 10).status_code == 201
    response = client.post(
        f"/api/v1/films/{film.id}/uploads",
        headers={**tus.headers, "Upload-Length": "²"},
    )
    assert response.status_code == 400 and response.json["error"]["message"]
    held = next(w for w in edition.workshops if w.has_started(local_now()))
    staff = make_user(Role.STAFF)
    response = client.put(
        f"/api/v1/workshops/{held.id}/attendance",
        headers=bearer(client, staff),
        json={"²": "present"},
    )
    assert response.status_code == 422


def test_a_stills_comment_and_exif_never_reach_the_public_files(tmp_path):
    still = tmp_path / "still.jpg"
    exif = Image.Exif()
    exif[0x010E] = "Lea Martin, 12 rue des Lilas"  # ImageDescription
    Image.new("RGB", (800, 450), (200, 40, 40)).save(
        still, "JPEG", comment=b"Lea Martin, 12 rue des Lilas, 0612345678", exif=exif
    )
    made = thumbnails_from_still(still, tmp_path / "out", 100)
    for path in made.files.values():
        data = path.read_bytes()
        assert b"Lilas" not in data and b"0612345678" not in data, path.name
        with Image.open(path) as image:
            assert "comment" not in image.info and not image.getexif()


def test_a_decompression_bomb_still_is_refused_with_a_sentence(
    client, team, film, tus_as, make_video, tmp_path
):
    tus_as(bearer(client, team[0].user)).send(film.id, make_video("bomb.mp4").read_bytes())
    db.session.refresh(film)
    bomb = tmp_path / "bomb.png"
    buffer = io.BytesIO()
    Image.new("1", (20000, 20000)).save(buffer, "PNG")  # 400 megapixels, a few kilobytes
    bomb.write_bytes(buffer.getvalue())
    import pytest

    from festival.errors import ValidationError

    with pytest.raises(ValidationError, match="ne s'ouvre pas"):
        add_still(film, bomb, by=team[0].user)


def test_confirming_a_registration_never_follows_the_referer(login_as, make_participant):
    pending = make_participant(online=True)
    staff = login_as(Role.STAFF)
    response = staff.post_form(
        f"/equipe/participants/{pending.id}/confirmer",
        {},
        token_page="/equipe/participants",
        headers={"Referer": "https://evil.example/phish"},
    )
    assert response.status_code == 302
    assert (
        response.location.startswith("/equipe/participants") or "festival.test" in response.location
    )
    assert "evil.example" not in response.location


def test_staff_operations_refuse_other_roles_before_reading_the_body(client, make_participant):
    teen = make_participant(account=True)
    headers = bearer(client, teen.user)
    for method, url in [
        ("post", "/api/v1/participants"),
        ("post", "/api/v1/programme/blocks"),
        ("post", "/api/v1/programme/blocks/1/items"),
        ("put", "/api/v1/programme/blocks/1/order"),
        ("put", "/api/v1/workshops/1/attendance"),
    ]:
        response = getattr(client, method)(url, headers=headers, json={"nonsense": ["x"]})
        assert response.status_code == 403, (url, response.status_code)
        assert "fields" not in response.json["error"]
        assert getattr(client, method)(url, json={"nonsense": 1}).status_code == 401


HIDDEN = {
    "NUL": "Léa\x00Martin",
    "BEL": "Léa\x07",
    "right-to-left override": "Film\u202egpj.exe",
    "isolate": "Film\u2066caché\u2069",
}


def test_invisible_characters_are_refused_on_every_form_with_a_sentence(client, edition):
    """The public registration: every such name refused with a French sentence, nothing kept."""
    from festival.people.models import Participant

    for what, name in HIDDEN.items():
        response = client.post_form(
            "/inscription",
            {"first_name": name, "last_name": "Martin", "birth_date": "2010-01-01"},
            token_page="/inscription",
        )
        assert response.status_code == 422, what
        assert "caractères invisibles" in response.get_data(as_text=True), what
    assert db.session.scalar(db.select(db.func.count(Participant.id))) == 0


def test_invisible_characters_and_lone_surrogates_are_refused_by_the_api(
    client, team, film, edition
):
    headers = bearer(client, team[0].user)
    for what, title in {**HIDDEN, "lone surrogate": "Aube\ud800"}.items():
        body = '{"title": %s, "team": []}' % json.dumps(title)  # noqa: UP031 - raw JSON text
        response = client.post(
            "/api/v1/films", data=body, headers={**headers, "Content-Type": "application/json"}
        )
        assert response.status_code == 422, what
        assert "caractères invisibles" in response.json["error"]["message"], what
    fine = client.patch(
        f"/api/v1/films/{film.id}",
        json={"synopsis": "Deux lignes,\n\tune tabulation."},
        headers=headers,
    )
    assert fine.status_code != 422 or "invisibles" not in fine.get_data(as_text=True)


def test_superscript_and_foreign_digits_in_staff_forms_get_a_sentence(
    login_as, edition, published_ceremony
):
    """« ² » is a digit to str.isdigit() but not to int(): never a 500."""
    published_ceremony("Aube")
    staff = login_as(Role.STAFF)
    for raw in ("²", "٣", "9" * 40):
        cards = staff.post_form("/equipe/prix/cartes", {"count": raw}, token_page="/equipe/prix")
        assert cards.status_code == 302, raw
        written = staff.post_form(
            "/equipe/ecrire",
            {"audience": f"workshop-{raw}", "subject": "x", "body": "y"},
            token_page="/equipe/ecrire",
        )
        assert written.status_code == 404, raw
