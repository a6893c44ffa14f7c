"""Every staff page and export costs the same number of queries however big the season.

Measured once on a small season, then again after it grew (more people with accounts and
attendance marks, more films with teams and stills): a page whose cost grew reads something
per person or per film. The timings at 2,000 participants and 400 films are
`benchmarks/bench_staff_pages.py`'s.
"""

from __future__ import annotations

import pytest

from festival.awards import certificate_batches
from festival.awards.certificate_batches import build_batch
from festival.extensions import db
from festival.people.models import ConsentKind, ParticipantStatus
from festival.workshops.models import Attendance, AttendanceStatus
from tests.helpers.api import bearer

# Staff's pages and exports, with the rooms that take an object (`{participant}`, `{film}`,
# `{workshop}`, `{edition}`) filled with the first of the season.
STAFF_PAGES = [
    "/equipe",
    "/equipe/parcours",
    "/equipe/parcours?decrochage=1",
    "/equipe/participants",
    "/equipe/participants?page=2",
    "/equipe/participants?statut=confirmed",
    "/equipe/participants.csv",
    "/equipe/participants/import",
    "/equipe/participants/anciens",
    "/equipe/participants/{participant}",
    "/equipe/participants/{participant}/export.json",
    "/equipe/participants/{participant}/donnees",
    "/equipe/donnees",
    "/equipe/bilan",
    "/equipe/bilan.pdf",
    "/equipe/bilan.csv",
    "/equipe/bilan.ods",
    "/equipe/bilan.json",
    "/equipe/fonds",
    "/equipe/fonds?q=a",
    "/equipe/fonds/conseils.csv",
    "/equipe/fonds/conseils.xml",
    "/equipe/editions",
    "/equipe/ateliers",
    "/equipe/presences.csv",
    "/ateliers",
    "/ateliers/{workshop}/appel",
    "/ateliers/{workshop}/presences.csv",
    "/equipe/films",
    "/equipe/films/{film}",
    "/equipe/programme",
    "/equipe/programme/projection",
    "/equipe/programme/programme.pdf",
    "/equipe/programme/pack/etat.json",
    "/equipe/prix",
    "/equipe/prix/projection",
    "/equipe/prix/projection/etat.json",
    "/equipe/prix/attestations/etat.json",
    "/equipe/prix/attestations.pdf",  # the PDF the job drew (drawn first in the test)
    "/equipe/participants/{participant}/attestation.pdf",
    "/equipe/courriels",
    "/equipe/lieux",
    "/jury/deliberation",
    "/jury/films",
    "/ateliers/calendrier.ics",
]
STAFF_API = [
    "/api/v1/participants",
    "/api/v1/films",
    "/api/v1/programme/blocks",
    "/api/v1/workshops/{workshop}/attendance",
]


class Season:
    """A season that grows: people (half with accounts), marks at every workshop held, films
    with a team of two."""

    def __init__(self, edition, make_participant, make_valid_film, staff_user):
        self.edition = edition
        self.make_participant = make_participant
        self.make_valid_film = make_valid_film
        self.staff_user = staff_user
        self.people: list = []
        self.films: list = []

    def grow(self, people: int, films: int) -> None:
        for n in range(people):
            number = len(self.people)
            person = self.make_participant(
                account=n % 2 == 0,
                age=18 if n % 4 == 0 else 15,
                consents={
                    ConsentKind.PARTICIPATION: True,
                    ConsentKind.SCREENING: n % 3 != 0,
                    ConsentKind.ONLINE: n % 2 == 0,
                },
                commune="Villeurbanne" if number % 2 else "Lyon",
            )
            person.status = ParticipantStatus.CONFIRMED
            self.people.append(person)
            for workshop in self.edition.workshops[:5]:
                db.session.add(
                    Attendance(
                        workshop=workshop,
                        participant=person,
                        status=AttendanceStatus.PRESENT if n % 5 else AttendanceStatus.ABSENT,
                        recorded_by_id=self.staff_user.id,
                    )
                )
        db.session.commit()
        for _ in range(films):
            number = len(self.films)
            team = self.people[2 * number : 2 * number + 2]
            self.films.append(self.make_valid_film(f"Film {number}", people=team))

    def address(self, page: str) -> str:
        return page.format(
            participant=self.people[1].id,  # [0] missed every workshop: no certificate
            film=self.films[0].id,
            workshop=self.edition.workshops[0].id,
            edition=self.edition.id,
        )


@pytest.mark.long
def test_staff_pages_cost_the_same_queries_whatever_the_size_of_the_season(
    app, edition, make_participant, make_valid_film, staff_user, login_as, client, count_queries
):
    season = Season(edition, make_participant, make_valid_film, staff_user)
    staff = login_as(staff_user)
    token = bearer(client, staff_user)

    def costs() -> dict[str, int]:
        measured = {}
        for _previous_then_measured in range(2):  # each round replaces one earlier PDF
            batch = certificate_batches.request_batch(edition)
            db.session.commit()
            measured["the certificates' job"] = count_queries(lambda b=batch: build_batch(b.id))
        requests = {page: (staff.get, {}) for page in STAFF_PAGES}
        requests |= {page: (client.get, {"headers": token}) for page in STAFF_API}
        for page, (get, kwargs) in requests.items():
            address = season.address(page)
            response = get(address, **kwargs)
            assert response.status_code == 200, (address, response.status_code)
            db.session.expire_all()
            measured[page] = count_queries(lambda a=address, g=get, k=kwargs: g(a, **k))
        return measured

    season.grow(people=4, films=2)
    small = costs()
    season.grow(people=10, films=4)
    grown = costs()
    grew = {page: (small[page], grown[page]) for page in small if grown[page] != small[page]}
    assert not grew, f"queries (4 people, 2 films) -> (14 people, 6 films): {grew}"


def test_the_list_of_staff_pages_names_every_staff_page(app):
    """A staff page added later is measured too: every GET page of staff's blueprints is in
    the list above, or said here why not."""
    not_measured = {
        # forms without a list in them
        "/equipe/participants/nouveau",
        "/equipe/participants/{participant}/modifier",
        "/equipe/editions/nouvelle",
        "/equipe/editions/{edition}/modifier",
        "/equipe/editions/{edition}/lieu",
        "/equipe/ateliers/nouveau",
        "/equipe/ateliers/{workshop}/modifier",
        "/equipe/lieux/nouveau",
        "/equipe/lieux/{venue}",
        "/equipe/editions/{edition}/en-cours",
        "/equipe/ecrire",
        "/equipe/comptes",
        "/equipe/participants/import/modele.csv",
        "/equipe/participants/import/modele.xlsx",
        "/equipe/identite",
        "/equipe/identite/exemple.pdf",
        # measured above by each of its names: /equipe/bilan.csv, .ods and .json
        "/equipe/bilan.<any(csv, ods, json):kind>",
        # one stored file, sent as it is
        "/equipe/identite/<any(logo, signature):picture>.png",
        # one object, read by its id
        "/equipe/courriels/{email_id}",
        # a file built by a job, sent as stored
        "/equipe/programme/pack/{pack_id}/projection.zip",
    }
    measured = {page.split("?")[0] for page in STAFF_PAGES}
    staff_rules = {
        _generic(rule.rule)
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and rule.rule.startswith("/equipe") and rule.endpoint != "static"
    }
    missing = staff_rules - measured - not_measured
    assert not missing, f"staff pages neither measured nor excused: {sorted(missing)}"


def _generic(rule: str) -> str:
    import re

    names = {
        "participant_id": "participant",
        "film_id": "film",
        "workshop_id": "workshop",
        "edition_id": "edition",
        "venue_id": "venue",
    }
    return re.sub(
        r"<(?:\w+:)?(\w+)>", lambda m: "{" + names.get(m.group(1), m.group(1)) + "}", rule
    )
