"""axe-core (vendored, no CDN) finds no violation on every public page and on the main pages
of each signed-in role, at the screen size its people use.

axe runs its whole default rule set: WCAG 2.x A and AA, and its best practices (landmarks,
headings, names of controls). A failure lists each rule, its impact and the elements at fault.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from festival.auth.models import Role
from festival.awards import jury, palmares, prizes, vote
from festival.awards.models import VoteStatus
from festival.collection import services as collection
from festival.collection.records import HoldingRecord
from festival.extensions import db
from festival.films.models import FilmRole
from festival.films.services import TeamEntry, create_film
from festival.programme import services as programme
from tests.helpers import ceremony_started
from tests.helpers.browser import PHONE, TABLET, sign_in

pytestmark = pytest.mark.browser
DESKTOP = {"width": 1280, "height": 800}
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
SRT = b"1\n00:00:00,500 --> 00:00:01,500\nBonjour\n"


def violations(page, url: str) -> list[str]:
    """axe's findings on the page at `url`, one line per rule with the elements concerned."""
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    page.wait_for_load_state("networkidle")
    return run_axe(page, url)


def run_axe(page, url: str) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document)")
    assert len(result["passes"]) > 10, url  # axe ran its rules on a real page
    return [
        f"{url}: [{v['impact']}] {v['id']} ({v['help']}): "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in result["violations"]
    ]


@pytest.fixture
def season(edition, block, make_valid_film, make_participant, make_user, login_as):
    """A published programme with a captioned film that plays online and one shown only in
    the hall, the venue filled in, a team with a film, a facilitator with a workshop."""
    staff = login_as(Role.STAFF)
    venue = f"/equipe/editions/{edition.id}/lieu"
    saved = staff.post_form(
        venue,
        {"name": "Médiathèque, auditorium", "street": "1 place de la Mairie",
         "postcode": "35000", "town": "Rennes", "step_free": "yes", "capacity": "180",
         "entry_free": "y", "entry_booking": "Sans réservation."},
        token_page=venue,
    )  # fmt: skip
    assert saved.status_code == 302
    online = make_valid_film("En ligne")
    offline = make_valid_film("Salle seulement", online=False)
    staff.post_form(
        f"/films/{online.id}/sous-titres",
        {"language": "fr", "for_deaf": "y", "file": (io.BytesIO(SRT), "st.srt")},
        token_page=f"/films/{online.id}",
        content_type="multipart/form-data",
    )
    for film in (online, offline):
        programme.add_film(block, film)
    programme.publish(edition)
    teen = make_participant(account=True, first_name="Nora", last_name="Petit")
    team_film = create_film(
        edition, title="Notre film", team=[TeamEntry(teen.id, FilmRole.DIRECTION)],
        created_by=teen.user,
    )  # fmt: skip
    facilitator = make_user(Role.FACILITATOR)
    workshop = edition.workshops[0]
    workshop.facilitator = facilitator
    juror = make_user(Role.JURY)
    db.session.commit()
    return {
        "online": online, "offline": offline, "teen": teen, "team_film": team_film,
        "facilitator": facilitator, "workshop": workshop, "jury": juror,
    }  # fmt: skip


def test_public_pages_have_no_accessibility_violation(live_server, page_factory, edition, season):
    page = page_factory(PHONE, bypass_csp=True)  # axe is injected as a script of the test's
    year = edition.year
    found = []
    for url in (
        "/",
        "/programme",
        f"/programme/{year}",
        f"/programme/{year}/films/{season['online'].id}",
        f"/programme/{year}/films/{season['offline'].id}",
        "/archives",
        "/inscription",
        "/connexion",
        "/connexion/code",
        "/connexion/oubli",
        "/confidentialite",
        "/vote",
        f"/programme/{year}/ateliers/4",
    ):
        found += violations(page, live_server + url)
    assert found == [], "\n".join(found)
    # The night's pages: a phone's ballot while the vote is open, then the palmarès.
    prizes.awards_progress(edition)
    (code,) = vote.generate_codes(edition, 1)
    vote.set_vote_status(edition, VoteStatus.OPEN)
    jury.assign_award(prizes.awards_of(edition)[0], season["online"], mention="Pour son audace.")
    jury.close_deliberation(edition)
    ceremony_started(edition)
    palmares.publish_palmares(edition)
    db.session.commit()
    for url in (f"/vote/{code}", f"/palmares/{year}"):
        found += violations(page, live_server + url)
    assert found == [], "\n".join(found)
    # The harness sees what it should: an image without a text alternative is caught.
    page.evaluate("document.querySelector('main').append(document.createElement('img'))")
    assert any("image-alt" in line for line in run_axe(page, "an image without alt"))


def test_signed_in_pages_have_no_accessibility_violation(
    live_server, page_factory, edition, season, staff_user
):
    found = []
    # The film collection's page with a search's results and a recommended title.
    collection.import_holdings(
        [HoldingRecord("N1", "Cléo de 5 à 7", "Agnès Varda", 1962, "DVD F VAR")], "csv"
    )
    collection.save_permalink("https://catalogue.example/notice/{id}")
    db.session.flush()
    collection.attach(collection.search_titles("cleo")[0], edition, edition.workshops[3], "")
    db.session.commit()
    roles = [
        (DESKTOP, staff_user.login, [
            "/equipe", "/equipe/participants", f"/equipe/participants/{season['teen'].id}",
            "/equipe/participants/nouveau", "/equipe/participants/import", "/equipe/ateliers",
            "/equipe/films", f"/equipe/films/{season['online'].id}", "/equipe/programme",
            "/equipe/prix", "/equipe/bilan", "/equipe/courriels", "/equipe/editions",
            f"/equipe/editions/{edition.id}/lieu", "/equipe/lieux", "/equipe/lieux/nouveau",
            "/equipe/donnees", "/equipe/fonds?q=varda",
        ]),
        (TABLET, season["facilitator"].login, [
            "/ateliers", f"/ateliers/{season['workshop'].id}/appel",
        ]),
        (TABLET, season["jury"].login, ["/jury/films", f"/jury/films/{season['online'].id}"]),
        (PHONE, season["teen"].user.login, [
            "/mon-espace", "/mes-films", f"/films/{season['team_film'].id}",
            f"/films/{season['team_film'].id}/modifier", "/mon-espace/mes-donnees",
        ]),
    ]  # fmt: skip
    for viewport, login, urls in roles:
        page = page_factory(viewport, bypass_csp=True)
        sign_in(page, live_server, login)
        for url in urls:
            found += violations(page, live_server + url)
    assert found == [], "\n".join(found)
