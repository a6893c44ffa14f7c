"""Programme releases: once published, the builder's edits are a draft visitors do not see
until staff release again; each release is numbered and dated with what changed, and every
public surface (page, API, calendar, PDF) follows the released version."""

from __future__ import annotations

import io
from datetime import timedelta

from pypdf import PdfReader

from festival.auth.models import Role
from festival.caching import forget_public_pages
from festival.extensions import db
from festival.people.consents import record_consents
from festival.people.models import ConsentKind
from festival.programme import services as programme
from festival.programme.models import ItemKind


def _public_surfaces(client, edition) -> dict[str, str]:
    forget_public_pages()
    pdf = client.get(f"/programme/{edition.year}/programme.pdf").get_data()
    page = client.get("/programme").get_data(as_text=True)
    return {
        # The lineup itself; the history below it names what left, on purpose.
        "page": page.split("Historique du programme")[0],
        "api": client.get(f"/api/v1/editions/{edition.year}/programme").get_data(as_text=True),
        # Unfolded: RFC 5545 folds long lines, even inside a word.
        "ics": client.get("/programme.ics").get_data(as_text=True).replace("\r\n ", ""),
        "pdf": "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages),
    }


def test_edits_wait_for_the_next_release_with_their_change_list(
    edition, block, make_valid_film, client, login_as
):
    aube, brume, comete = (make_valid_film(t) for t in ("Aube", "Brume", "Comète"))
    first = programme.add_film(block, aube)
    programme.add_film(block, brume)
    release = programme.publish(edition)
    db.session.commit()
    assert release.number == 1 and release.changes == []
    # The builder changes: Comète added, Aube removed, the block starts half an hour later.
    programme.add_film(block, comete)
    programme.remove_item(first)
    programme.update_block(
        block,
        title=block.title,
        venue=block.place,
        starts_at=block.starts_at + timedelta(minutes=30),
        planned_minutes=30,
    )
    db.session.commit()
    for name, body in _public_surfaces(client, edition).items():
        assert "Aube" in body and "Comète" not in body, name  # still version 1
    staff = login_as(Role.STAFF)
    builder = staff.get("/equipe/programme").get_data(as_text=True)
    assert "Modifications non publiées" in builder
    assert "« Comète » rejoint la séance « Première séance »." in builder
    assert "« Aube » quitte le programme." in builder
    assert "La séance « Première séance » commence à" in builder
    assert "Publier la version 2" in builder
    response = staff.post_form(
        "/equipe/programme/publication", {"action": "publish"}, token_page="/equipe/programme"
    )
    assert response.status_code == 302
    for name, body in _public_surfaces(client, edition).items():
        assert "Comète" in body and "Aube" not in body, name
    page = client.get("/programme").get_data(as_text=True)
    assert "Historique du programme (2 versions)" in page
    assert "« Comète » rejoint la séance" in page and "« Aube » quitte le programme." in page
    builder = staff.get("/equipe/programme").get_data(as_text=True)
    assert "Publié · version 2" in builder and "Le public voit exactement ce programme." in builder


def test_a_consent_withdrawn_after_the_release_hides_the_film_at_once(
    edition, block, make_valid_film, client
):
    film = make_valid_film("Brume")
    programme.add_film(block, film)
    programme.publish(edition)
    db.session.commit()
    assert "Brume" in _public_surfaces(client, edition)["page"]
    person = film.members[0].participant
    record_consents(person, {ConsentKind.SCREENING: False}, recorded_by=None)
    db.session.commit()
    assert "Brume" not in _public_surfaces(client, edition)["page"]


def test_warnings_are_listed_at_release_time_and_block_nothing(
    edition, block, make_valid_film, login_as
):
    programme.add_film(block, make_valid_film("Aube", seconds=2.0))
    programme.add_film(block, make_valid_film("Rejeté", selected=False))
    programme.add_moment(block, kind=ItemKind.OTHER, title="Concert", duration_seconds=40 * 60)
    programme.add_block(
        edition,
        title="Deuxième séance",
        starts_at=block.starts_at + timedelta(minutes=20),
        planned_minutes=30,
    )
    db.session.commit()
    staff = login_as(Role.STAFF)
    builder = staff.get("/equipe/programme").get_data(as_text=True)
    assert (
        "À vérifier (rien n&#39;est bloqué)" in builder
        or "À vérifier (rien n'est bloqué)" in builder
    )
    assert "dépasse sa durée prévue" in builder
    assert "se chevauchent dans le même lieu (Auditorium)" in builder
    assert "« Rejeté » n&#39;est pas marqué comme retenu" in builder
    staff.post_form(
        "/equipe/programme/publication", {"action": "publish"}, token_page="/equipe/programme"
    )
    db.session.refresh(edition)
    assert edition.programme_published_at is not None


def test_a_moved_moment_is_in_the_change_list(edition, block, make_valid_film, login_as):
    """The interval moved after the second film: visitors waiting for it see the change
    (moments were left out of the list, only films were compared)."""
    from festival.programme.releases import describe

    aube, brume = (make_valid_film(t) for t in ("Aube", "Brume"))
    programme.add_film(block, aube)
    interval = programme.add_moment(
        block, kind=ItemKind.OTHER, title="Entracte", duration_seconds=15 * 60
    )
    programme.add_film(block, brume)
    programme.publish(edition)
    db.session.commit()
    programme.move_item(interval, 1)  # now after Brume
    release = programme.publish(edition)
    db.session.commit()
    sentences = [describe(change) for change in release.changes]
    assert any("Entracte" in sentence for sentence in sentences), sentences
    assert not any("Aube" in sentence for sentence in sentences)  # a film's rank among films
    programme.remove_item(interval)
    removed = programme.publish(edition)
    db.session.commit()
    assert [describe(c) for c in removed.changes] == ["« Entracte » quitte le programme."]
