"""The staff's programme builder in the browser's terms: forms, drag-and-drop order, publication."""

import re

from festival.auth.models import Role
from festival.extensions import db
from festival.programme.models import ScreeningBlock


def test_staff_build_and_publish_a_programme(login_as, client, edition, make_valid_film):
    film_a, film_b = make_valid_film("Alpha"), make_valid_film("Bravo")
    staff = login_as(Role.STAFF)
    page = "/equipe/programme"
    response = staff.post_form(
        "/equipe/programme/seances",
        {
            "title": "Séance du soir",
            "venue_id": "0",
            "starts_at": "2027-03-27T18:30",
            "planned_minutes": "45",
        },
        token_page=page,
    )
    assert response.status_code == 302
    block = db.session.scalar(db.select(ScreeningBlock))
    for film in (film_a, film_b):
        staff.post_form(
            f"/equipe/programme/seances/{block.id}/films",
            {"film_id": str(film.id)},
            token_page=page,
        )
    staff.post_form(
        f"/equipe/programme/seances/{block.id}/moments",
        {"kind": "awards", "title": "", "minutes": "20"},
        token_page=page,
    )
    db.session.refresh(block)
    assert [i.film.title if i.film else i.title for i in block.items] == [
        "Alpha",
        "Bravo",
        "Remise des prix",
    ]
    html = staff.get(page).get_data(as_text=True)
    assert "18:30" in html and "Remise des prix" in html

    # The drag-and-drop script sends the new order as JSON with the CSRF header.
    token = staff.csrf_token(page)
    ids = [i.id for i in block.items]
    response = staff.post(
        f"/equipe/programme/seances/{block.id}/ordre",
        json={"items": [ids[2], ids[0], ids[1]]},
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 200 and response.json == {"ok": True}
    db.session.refresh(block)
    assert [i.id for i in block.items] == [ids[2], ids[0], ids[1]]
    refused = staff.post(
        f"/equipe/programme/seances/{block.id}/ordre",
        json={"items": [ids[0]]},
        headers={"X-CSRFToken": token},
    )
    assert refused.status_code == 422 and "il manque" in refused.json["error"]["message"]
    no_token = staff.post(f"/equipe/programme/seances/{block.id}/ordre", json={"items": ids})
    assert no_token.status_code == 400

    # The ↑ button does the same for the keyboard, and the keyboard stays on it: pressed
    # again, it moves the same film further (focus was lost after each move).
    moved = staff.post_form(f"/equipe/programme/elements/{ids[1]}/deplacer/haut", token_page=page)
    db.session.refresh(block)
    assert [i.id for i in block.items] == [ids[2], ids[1], ids[0]]
    assert f"focus=move-{ids[1]}-haut" in moved.location
    after = staff.get(moved.location).get_data(as_text=True)
    assert re.search(rf'id="move-{ids[1]}-haut"[^>]*autofocus', after)
    # At the top, ↑ is disabled: the keyboard lands on ↓ of the same film.
    top = staff.post_form(f"/equipe/programme/elements/{ids[1]}/deplacer/haut", token_page=page)
    after = staff.get(top.location).get_data(as_text=True)
    assert re.search(rf'id="move-{ids[1]}-bas"[^>]*autofocus', after)
    assert after.count("autofocus") == 1

    assert "arrive bientôt" in client.get("/programme").get_data(as_text=True)
    staff.post_form("/equipe/programme/publication", {"action": "publish"}, token_page=page)
    assert "Alpha" in client.get("/programme").get_data(as_text=True)
    staff.post_form("/equipe/programme/publication", {"action": "unpublish"}, token_page=page)
    assert "Alpha" not in client.get("/programme").get_data(as_text=True)


def test_the_staff_api_builds_a_block(client, make_user, edition, make_valid_film):
    from tests.helpers.api import bearer

    headers = bearer(client, make_user(Role.STAFF))
    film = make_valid_film("Charlie")
    block = client.post(
        "/api/v1/programme/blocks",
        headers=headers,
        json={"title": "Séance API", "starts_at": "2027-03-27T20:00", "planned_minutes": 30},
    ).json
    block = client.post(
        f"/api/v1/programme/blocks/{block['id']}/items",
        headers=headers,
        json={"kind": "film", "film_id": film.id},
    ).json
    block = client.post(
        f"/api/v1/programme/blocks/{block['id']}/items",
        headers=headers,
        json={"kind": "intermission", "duration": 600},
    ).json
    assert [(i["kind"], i["duration"]) for i in block["items"]] == [
        ("film", 2),
        ("intermission", 600),
    ]
    assert block["items"][1]["starts_at"].startswith("2027-03-27T20:00:02")
    ids = [i["id"] for i in block["items"]]
    reordered = client.put(
        f"/api/v1/programme/blocks/{block['id']}/order", headers=headers, json={"items": ids[::-1]}
    ).json
    assert [i["kind"] for i in reordered["items"]] == ["intermission", "film"]
    listed = client.get("/api/v1/programme/blocks", headers=headers).json
    assert listed[0]["total"] == 602 and listed[0]["overrun"] == 0
    participant_headers = (
        bearer(client, film.members[0].participant.user) if film.members[0].participant.user else {}
    )
    assert client.get("/api/v1/programme/blocks", headers=participant_headers).status_code in (
        401,
        403,
    )
