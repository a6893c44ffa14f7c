"""Coming to the ceremony: staff type the venue once, every public surface says the same."""

from __future__ import annotations

import json

from icalendar import Calendar

from festival.auth.models import Role
from festival.extensions import db
from festival.programme import services as programme
from tests.public.test_icalendar import _check_rfc5545

VENUE = {
    "name": "Médiathèque Louise-Michel, auditorium",
    "street": "12 rue des Écoles",
    "postcode": "35000",
    "town": "Rennes",
    "latitude": "48.11198",
    "longitude": "-1.67429",
    "step_free": "yes",
    "access_notes": "Ascenseur côté parking ; boucle magnétique.",
    "entry_free": "y",
    "entry_booking": "Réservation conseillée à l'accueil.",
    "booking_url": "https://billetterie.example.org/ceremonie",
}


def _json_ld(html: str) -> dict:
    return json.loads(html.split('<script type="application/ld+json">')[1].split("</script>")[0])


def _save_venue(staff, edition, data):
    url = f"/equipe/editions/{edition.id}/lieu"
    return staff.post_form(url, data, token_page=url)


def test_the_venue_staff_type_reaches_pages_structured_data_calendar_and_api(
    edition, block, make_valid_film, client, login_as
):
    film = make_valid_film("Aube")
    programme.add_film(block, film)
    programme.publish(edition)
    db.session.commit()
    staff = login_as(Role.STAFF)
    assert "Lieu et accueil" in staff.get("/equipe/editions").get_data(as_text=True)
    response = _save_venue(staff, edition, VENUE)
    assert response.status_code == 302, response.get_data(as_text=True)

    for url in ("/", "/programme", f"/programme/{edition.year}/films/{film.id}"):
        page = client.get(url).get_data(as_text=True)
        assert "Venir à la cérémonie" in page, url
        assert "12 rue des Écoles" in page and "35000 Rennes" in page
        assert "https://www.openstreetmap.org/?mlat=48.11198&amp;mlon=-1.67429" in page
        assert "Accessible en fauteuil roulant" in page and "boucle magnétique" in page
        assert "Gratuite." in page and "Réservation conseillée" in page
        assert 'href="https://billetterie.example.org/ceremonie" rel="external noopener"' in page
        assert "<iframe" not in page  # a link to the map, no third-party map in the page

    event = _json_ld(client.get("/programme").get_data(as_text=True))["@graph"][0]
    place = event["location"]
    assert place["name"] == "Médiathèque Louise-Michel, auditorium"  # the ceremony's place
    assert place["address"] == {
        "@type": "PostalAddress",
        "streetAddress": "12 rue des Écoles",
        "postalCode": "35000",
        "addressLocality": "Rennes",
        "addressCountry": "FR",
    }
    assert place["geo"] == {"@type": "GeoCoordinates", "latitude": 48.11198, "longitude": -1.67429}
    assert place["amenityFeature"]["value"] is True
    assert event["isAccessibleForFree"] is True
    assert event["offers"]["price"] == 0 and event["offers"]["url"].startswith("https://billet")
    assert event["organizer"]["@type"] == "Organization" and event["organizer"]["name"]

    calendar = _check_rfc5545(client.get("/programme.ics").get_data())
    (ceremony,) = calendar.walk("VEVENT")
    assert str(ceremony["LOCATION"]) == (
        "Médiathèque Louise-Michel, auditorium, 12 rue des Écoles, 35000 Rennes"
    )
    assert (ceremony["GEO"].latitude, ceremony["GEO"].longitude) == (48.11198, -1.67429)
    workshops = Calendar.from_ical(client.get("/ateliers/calendrier.ics").get_data())
    assert any("35000 Rennes" in str(e.get("LOCATION", "")) for e in workshops.walk("VEVENT"))

    document = client.get("/api/v1/programme").get_json()
    venue, entry = document["venue"], document["entry"]
    assert venue["postcode"] == "35000" and venue["step_free"] is True and entry["free"] is True
    assert venue["map_url"].startswith("https://www.openstreetmap.org/?mlat=")


def test_nothing_is_claimed_that_staff_did_not_say(
    edition, block, make_valid_film, client, login_as
):
    programme.add_film(block, make_valid_film("Aube"))
    programme.publish(edition)
    db.session.commit()
    staff = login_as(Role.STAFF)
    plain = {"name": "Salle des fêtes", "street": "3 rue Haute",
             "town": "Vitré", "step_free": "", "entry_booking": ""}  # fmt: skip
    assert _save_venue(staff, edition, plain).status_code == 302
    page = client.get("/programme").get_data(as_text=True)
    assert "Accessible en fauteuil roulant" not in page and "Accès limité" not in page
    # Without coordinates, the map link searches the address.
    assert "https://www.openstreetmap.org/search?query=3+rue+Haute%2C+Vitr%C3%A9" in page
    assert "Payante." in page  # the box was left unticked
    event = _json_ld(page)["@graph"][0]
    assert "amenityFeature" not in event["location"] and "geo" not in event["location"]
    assert event["isAccessibleForFree"] is False and "offers" not in event


def test_a_wrong_venue_is_refused_in_french_and_nothing_changes(edition, login_as):
    staff = login_as(Role.STAFF)
    assert _save_venue(staff, edition, VENUE).status_code == 302
    wrong = dict(VENUE, postcode="3500", longitude="", booking_url="javascript:x()")
    page = _save_venue(staff, edition, wrong).get_data(as_text=True)
    assert "Un code postal s&#39;écrit en cinq chiffres." in page or (
        "Un code postal s'écrit en cinq chiffres." in page
    )
    assert "Le lien doit commencer par https://." in page or "collez-le en entier" in page
    db.session.expire_all()
    assert edition.ceremony_place.postcode == "35000"
    assert edition.booking_url.startswith("https://")
    half = dict(VENUE, longitude="")
    page = _save_venue(staff, edition, half).get_data(as_text=True)
    assert "Indiquez la latitude et la longitude, ou aucune des deux." in page
    db.session.expire_all()
    assert edition.ceremony_place.longitude == -1.67429


def test_a_new_edition_takes_last_years_venue(edition, login_as):
    staff = login_as(Role.STAFF)
    assert _save_venue(staff, edition, VENUE).status_code == 302
    year = edition.year + 1
    response = staff.post_form(
        "/equipe/editions/nouvelle",
        {
            "year": year,
            "title": f"Un Trait Amateur {year}",
            "starts_on": f"{year}-01-10",
            "ends_on": f"{year}-06-20",
            "ceremony_at": f"{year}-06-20T18:30",
            "upload_deadline": f"{year}-05-20T23:59",
            "age_min": 14,
            "age_max": 19,
            "behind_missed_threshold": 3,
            "copy_workshops_from": edition.id,
        },
        token_page="/equipe/editions/nouvelle",
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    from festival.editions.models import Edition

    new = db.session.scalar(db.select(Edition).where(Edition.year == year))
    place = new.ceremony_place
    assert (place.street, place.postcode, place.step_free) == (
        "12 rue des Écoles",
        "35000",
        True,
    )
    assert new.ceremony_venue == "Médiathèque Louise-Michel, auditorium"


def test_a_second_place_is_data_a_seance_picks(edition, block, make_valid_film, client, login_as):
    """A partner cinema is typed once under Lieux, then chosen for a séance: its page, the
    programme's structured data and the API name it; the ceremony keeps its own place."""
    staff = login_as(Role.STAFF)
    assert _save_venue(staff, edition, VENUE).status_code == 302
    assert "Lieux du festival" in staff.get("/equipe/lieux").get_data(as_text=True)
    cinema = {"name": "Cinéma L'Arvor", "street": "11 rue de Châtillon", "postcode": "35000",
              "town": "Rennes", "step_free": "yes", "capacity": "120"}  # fmt: skip
    added = staff.post_form("/equipe/lieux/nouveau", cinema, token_page="/equipe/lieux/nouveau")
    assert added.status_code == 302, added.get_data(as_text=True)
    from festival.editions.models import Venue

    arvor = db.session.scalar(db.select(Venue).where(Venue.name == "Cinéma L'Arvor"))
    builder = staff.get("/equipe/programme").get_data(as_text=True)
    assert f'<option value="{arvor.id}"' in builder and "Lieu de la cérémonie (" in builder
    moved = staff.post_form(
        f"/equipe/programme/seances/{block.id}",
        {"title": block.title, "venue_id": str(arvor.id),
         "starts_at": block.starts_at.strftime("%Y-%m-%dT%H:%M"), "planned_minutes": "60"},
        token_page="/equipe/programme",
    )  # fmt: skip
    assert moved.status_code == 302
    programme.add_film(block, make_valid_film("Aube"))
    programme.publish(edition)
    db.session.commit()

    page = client.get("/programme").get_data(as_text=True)
    assert "Cinéma L&#39;Arvor" in page or "Cinéma L'Arvor" in page
    event = _json_ld(page)["@graph"][0]
    assert event["location"]["name"] == "Cinéma L'Arvor"
    assert event["location"]["address"]["streetAddress"] == "11 rue de Châtillon"
    assert event["location"]["maximumAttendeeCapacity"] == 120
    assert "Médiathèque Louise-Michel" in page, "the ceremony's place is still said"
    (listed,) = client.get("/api/v1/programme").get_json()["blocks"]
    assert listed["venue"] == "Cinéma L'Arvor"
    same = staff.post_form("/equipe/lieux/nouveau", dict(cinema, name="cinéma l'arvor"),
                           token_page="/equipe/lieux/nouveau").get_data(as_text=True)  # fmt: skip
    assert "Un lieu porte déjà ce nom" in same.replace("&#39;", "'")


def test_one_name_is_one_place_whatever_its_case_accents_or_hyphens(app):
    """SQL's lower() folds ASCII only: « ÉCOLE » and « école » were two places."""
    from festival.editions.venue import save_venue, venue_named
    from festival.errors import ValidationError

    school = venue_named("École Jules-Ferry, salle Straße")
    db.session.commit()
    for typed in ("ÉCOLE JULES-FERRY, SALLE STRASSE", "ecole  jules ferry salle strasse"):
        assert venue_named(typed).id == school.id
    other = venue_named("Cinéma Le Ễden")
    db.session.commit()
    try:
        save_venue(other, name="école jules ferry, salle straße")
    except ValidationError as error:
        assert "déjà ce nom" in error.message
    else:
        raise AssertionError("a second place took the first one's name")
    db.session.rollback()
    assert venue_named("cinema le eden").name == "Cinéma Le Ễden"
