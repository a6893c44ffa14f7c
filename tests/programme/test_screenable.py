"""Only what will be screened is public: a film not retained, or without everyone's screening
consent, leaves the public programme, the printed PDF, the pack and the projection."""

from __future__ import annotations

import io

from pypdf import PdfReader

from festival.auth.models import Role
from festival.extensions import db
from festival.films.models import ReviewDecision
from festival.programme import services
from festival.programme.pack import programmed_films


def test_a_film_not_retained_leaves_every_public_surface(
    client, login_as, edition, block, make_valid_film
):
    kept = make_valid_film("Retenu")
    dropped = make_valid_film("Pas retenu")
    services.add_film(block, kept)
    services.add_film(block, dropped)
    services.publish(edition)
    dropped.decision = ReviewDecision.NOT_SELECTED
    db.session.commit()
    lineup = client.get("/programme").get_data(as_text=True)
    assert "Retenu" in lineup and "Pas retenu" not in lineup
    api = client.get("/api/v1/programme").json
    assert [i["title"] for i in api["blocks"][0]["items"]] == ["Retenu"]
    assert client.get(f"/programme/{edition.year}/films/{dropped.id}").status_code == 404
    pdf = PdfReader(io.BytesIO(client.get(f"/programme/{edition.year}/programme.pdf").data))
    text = "".join(page.extract_text() for page in pdf.pages)
    assert "Retenu" in text and "Pas retenu" not in text
    assert [film.title for _n, film, _s in programmed_films(edition)] == ["Retenu"]
    staff = login_as(Role.STAFF)
    builder = staff.get("/equipe/programme").get_data(as_text=True)
    assert (
        "n&#39;est pas marqué comme retenu" in builder or "n'est pas marqué comme retenu" in builder
    )
    projection = staff.get("/equipe/programme/projection").get_data(as_text=True)
    assert 'data-title="Retenu"' in projection and 'data-title="Pas retenu"' not in projection
    # It takes no time in the schedule: the next items start when the kept film ends.
    [plan] = services.edition_schedule(edition)
    assert plan.total_seconds == services.film_seconds(kept)


def test_a_film_without_a_screening_consent_is_not_screened(
    client, edition, block, make_valid_film
):
    film = make_valid_film("Sans accord", screening=False)
    services.add_film(block, film)
    services.publish(edition)
    db.session.commit()
    assert "Sans accord" not in client.get("/programme").get_data(as_text=True)
    assert list(programmed_films(edition)) == []
    [plan] = services.edition_schedule(edition)
    assert any("n'est pas projeté tant qu" in w for w in plan.warnings)
