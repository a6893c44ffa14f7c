"""After the ceremony the public pages speak in the past tense and lead to the palmarès."""

from __future__ import annotations

from datetime import timedelta

from festival.awards import jury, palmares, prizes
from festival.caching import forget_public_pages
from festival.clock import local_now
from festival.extensions import db


def test_the_public_pages_turn_to_the_past_and_to_the_palmares(edition, published_ceremony, client):
    winner, _other = published_ceremony("Aube", "Brume")
    before = client.get("/").get_data(as_text=True)
    assert "Le programme de la cérémonie" in before and "Je m'inscris" in before
    edition.ceremony_at = local_now() - timedelta(hours=4)
    db.session.commit()
    forget_public_pages()
    home = client.get("/").get_data(as_text=True)
    assert "L'édition s'est achevée le" in home
    assert "Les films projetés à la cérémonie" in home and "Je m'inscris" not in home
    assert "Le palmarès sera publié ici très bientôt." in home
    programme = client.get("/programme").get_data(as_text=True)
    assert "La cérémonie a eu lieu" in programme and "Ajouter à mon agenda" not in programme
    assert "Les inscriptions ne sont pas ouvertes" in client.get("/inscription").get_data(
        as_text=True
    )
    jury.assign_award(prizes.awards_of(edition)[0], winner)
    jury.close_deliberation(edition)
    palmares.publish_palmares(edition)
    db.session.commit()
    forget_public_pages()
    home = client.get("/").get_data(as_text=True)
    assert f'href="/palmares/{edition.year}"' in home and "Voir le palmarès" in home
