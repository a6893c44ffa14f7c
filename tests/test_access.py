"""Who may open what: every page and API operation for every kind of visitor."""

import pytest

from festival.auth.models import Role
from festival.extensions import db
from festival.workshops.models import Attendance, AttendanceStatus
from tests.helpers.api import bearer

PRESENT = AttendanceStatus.PRESENT

ANON, PART_A, PART_B, FACIL, OTHER_FACIL, JURY, STAFF, ADMIN = (
    "anonymous",
    "participant A",
    "participant B",
    "facilitator",
    "other facilitator",
    "jury",
    "staff",
    "admin",
)
EVERYONE = {ANON, PART_A, PART_B, FACIL, OTHER_FACIL, JURY, STAFF, ADMIN}
SIGNED_IN = EVERYONE - {ANON}
STAFF_ONLY = {STAFF, ADMIN}
ROLL = {FACIL, STAFF, ADMIN}


@pytest.fixture
def world(app, edition, make_user, make_participant, login_as, make_client, client):
    facilitator = make_user(Role.FACILITATOR)
    edition.workshops[0].facilitator = facilitator
    db.session.commit()
    a = make_participant(account=True)
    b = make_participant(account=True)
    from festival.films.models import FilmRole
    from festival.films.services import TeamEntry, create_film

    film = create_film(
        edition, title="Film de A", team=[TeamEntry(a.id, FilmRole.DIRECTION)], created_by=a.user
    )
    for person in (a, b):  # both came to the first workshop: each has her certificate
        db.session.add(
            Attendance(workshop=edition.workshops[0], participant=person, status=PRESENT)
        )
    db.session.commit()
    users = {
        PART_A: a.user,
        PART_B: b.user,
        FACIL: facilitator,
        OTHER_FACIL: make_user(Role.FACILITATOR),
        JURY: make_user(Role.JURY),
        STAFF: make_user(Role.STAFF),
        ADMIN: make_user(Role.ADMIN),
    }
    clients = {ANON: make_client()}
    clients.update({name: login_as(user) for name, user in users.items()})
    tokens = {name: bearer(client, user) for name, user in users.items()}
    tokens[ANON] = {}
    return {
        "edition": edition,
        "a": a,
        "b": b,
        "workshop": edition.workshops[0],
        "film": film,
        "clients": clients,
        "tokens": tokens,
    }


def allowed_set(world, request_for) -> set[str]:
    allowed = set()
    for name, client in world["clients"].items():
        response = request_for(name, client)
        if response.status_code < 300:
            allowed.add(name)
        else:
            assert response.status_code in (302, 401, 403, 404), (name, response.status_code)
            if response.status_code == 302:
                assert "/connexion" in response.location, (name, response.location)
    return allowed


PAGES = [
    ("/", EVERYONE),
    ("/vote", EVERYONE),
    ("/equipe/courriels", STAFF_ONLY),
    ("/equipe/ecrire", STAFF_ONLY),
    ("/equipe/comptes", {ADMIN}),
    ("/equipe/prix", STAFF_ONLY),
    ("/equipe/prix/projection", STAFF_ONLY),
    ("/equipe/prix/projection/etat.json", STAFF_ONLY),
    ("/equipe/prix/attestations/etat.json", STAFF_ONLY),
    ("/equipe/participants/{a}/attestation.pdf", STAFF_ONLY),
    ("/mon-espace/attestation.pdf", {PART_A, PART_B}),
    # Jurors see everyone's scores only once the deliberation is closed.
    ("/jury/deliberation", STAFF_ONLY),
    ("/inscription", EVERYONE),
    ("/confidentialite", EVERYONE),
    ("/ateliers/calendrier.ics", EVERYONE),
    ("/equipe", STAFF_ONLY),
    ("/equipe/parcours", STAFF_ONLY),
    ("/equipe/participants", STAFF_ONLY),
    ("/equipe/participants.csv", STAFF_ONLY),
    ("/equipe/participants/nouveau", STAFF_ONLY),
    ("/equipe/participants/import", STAFF_ONLY),
    ("/equipe/participants/anciens", STAFF_ONLY),
    ("/equipe/donnees", STAFF_ONLY),
    ("/equipe/bilan", STAFF_ONLY),
    ("/equipe/bilan.pdf", STAFF_ONLY),
    ("/equipe/bilan.csv", STAFF_ONLY),
    ("/equipe/bilan.ods", STAFF_ONLY),
    ("/equipe/bilan.json", STAFF_ONLY),
    # Open data: aggregated figures, small groups hidden, no personal data, and only once the
    # edition's ceremony is over (this one runs: nobody; tests/report/test_report.py).
    ("/bilan/{year}.json", set()),
    ("/bilan/{year}.csv", set()),
    ("/robots.txt", EVERYONE),
    ("/sitemap.xml", EVERYONE),
    ("/equipe/participants/import/modele.csv", STAFF_ONLY),
    ("/equipe/participants/import/modele.xlsx", STAFF_ONLY),
    ("/equipe/identite", STAFF_ONLY),
    ("/equipe/fonds", STAFF_ONLY),
    ("/equipe/fonds/conseils.csv", STAFF_ONLY),
    ("/equipe/fonds/conseils.xml", STAFF_ONLY),
    # Public: a workshop's page, and the festival as schema.org data.
    ("/programme/{year}/ateliers/1", EVERYONE),
    ("/programme/{year}/festival.jsonld", EVERYONE),
    ("/equipe/identite/exemple.pdf", STAFF_ONLY),
    # No logo stored in this world: staff get a 404 too (the signature's access is tested
    # with one stored, in tests/awards/test_certificates.py).
    ("/equipe/identite/logo.png", set()),
    # A laurel exists once a prize has a film and the palmarès is published (tested there).
    ("/prix/1/laurier.svg", set()),
    ("/equipe/participants/{a}", STAFF_ONLY),
    ("/equipe/participants/{a}/modifier", STAFF_ONLY),
    ("/equipe/participants/{a}/export.json", STAFF_ONLY),
    ("/equipe/participants/{a}/donnees", STAFF_ONLY),
    ("/mon-espace/mes-donnees", {PART_A, PART_B}),
    ("/mon-espace/mes-donnees.json", {PART_A, PART_B}),
    ("/equipe/editions", STAFF_ONLY),
    ("/equipe/editions/nouvelle", STAFF_ONLY),
    ("/equipe/editions/{edition}/modifier", STAFF_ONLY),
    ("/equipe/ateliers", STAFF_ONLY),
    ("/equipe/ateliers/nouveau", STAFF_ONLY),
    ("/equipe/ateliers/{workshop}/modifier", STAFF_ONLY),
    ("/equipe/presences.csv", STAFF_ONLY),
    ("/ateliers", ROLL | {OTHER_FACIL}),
    ("/ateliers/{workshop}/appel", ROLL),
    ("/ateliers/{workshop}/presences.csv", ROLL),
    ("/mon-espace", {PART_A, PART_B}),
    ("/compte/mot-de-passe", SIGNED_IN),
    ("/mes-films", {PART_A, PART_B}),
    ("/films/nouveau", STAFF_ONLY | {PART_A, PART_B}),
    ("/films/{film}", STAFF_ONLY | {PART_A}),  # the jury once retained: test_jury_pages
    ("/films/{film}/etat.json", STAFF_ONLY | {PART_A}),
    ("/jury/films", STAFF_ONLY | {JURY}),
    ("/jury/films/{film}", set()),  # not retained yet
    ("/films/{film}/modifier", STAFF_ONLY | {PART_A}),
    ("/equipe/films", STAFF_ONLY),
    ("/equipe/programme", STAFF_ONLY),
    ("/equipe/programme/projection", STAFF_ONLY),
    ("/equipe/programme/programme.pdf", STAFF_ONLY),
    ("/equipe/programme/pack/etat.json", STAFF_ONLY),
    ("/archives", EVERYONE),
    ("/programme", EVERYONE),
    ("/equipe/films/{film}", STAFF_ONLY),
    ("/equipe/editions/{edition}/lieu", STAFF_ONLY),
    ("/equipe/lieux", STAFF_ONLY),
    ("/equipe/lieux/nouveau", STAFF_ONLY),
]


def _fill(url: str, world) -> str:
    return url.format(
        a=world["a"].id,
        edition=world["edition"].id,
        workshop=world["workshop"].id,
        film=world["film"].id,
        year=world["edition"].year,
    )


@pytest.mark.parametrize(("url", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_page_access(world, url, expected):
    url = _fill(url, world)
    assert allowed_set(world, lambda _name, client: client.get(url)) == expected


ACTIONS = [
    "/equipe/participants/{a}/confirmer",
    "/equipe/participants/{a}/desinscrire",
    "/equipe/participants/{a}/consentements",
    "/equipe/participants/{a}/code",
    "/equipe/participants/{a}/effacer",
    "/equipe/editions/{edition}/en-cours",
    "/equipe/programme/publication",
    "/equipe/ateliers/{workshop}/supprimer",
    "/equipe/programme/pack",
    "/equipe/programme/seances",
    "/equipe/films/{film}/reserves/{a}",
    "/equipe/films/{film}/v1/version-web",
    "/equipe/prix/nouveau",
    "/equipe/prix/1/supprimer",
    "/equipe/prix/1/attribuer",
    "/equipe/prix/grille",
    "/equipe/prix/grille/1/supprimer",
    "/equipe/prix/deliberation",
    "/equipe/prix/palmares",
    "/equipe/prix/vote",
    "/equipe/prix/cartes",
    "/equipe/prix/attestations",
    "/equipe/courriels/1/renvoyer",
    "/equipe/participants/{a}/lien-responsable",
    "/equipe/participants/{a}/relance",
    "/equipe/participants/import/confirmer",
    "/equipe/participants/import/colonnes",
    "/equipe/ateliers/decaler",
    "/equipe/participants/anciens/{a}/reinscrire",
    "/equipe/programme/invitations",
    "/equipe/editions/travail",
    "/equipe/donnees/{edition}/effacer",
    "/equipe/bilan/budget",
    "/equipe/bilan/budget/1/supprimer",
    "/equipe/bilan/public",
    "/equipe/fonds/import",
    "/equipe/fonds/catalogue",
    "/equipe/fonds/conseils",
    "/equipe/fonds/conseils/1/retirer",
    "/equipe/fonds/prets",
    "/equipe/fonds/prets/saisie",
]


@pytest.mark.parametrize("url", ACTIONS)
def test_state_changing_actions_are_staff_only(world, url):
    url = _fill(url, world)
    outsiders = EVERYONE - STAFF_ONLY
    for name in outsiders:
        client = world["clients"][name]
        response = client.post_form(url, {"confirm": "y"})
        assert response.status_code in (302, 403), (name, response.status_code)
        if response.status_code == 302:
            assert "/connexion" in response.location
    db.session.refresh(world["a"])
    assert not world["a"].is_erased and world["a"].status.value == "confirmed"


def test_participant_b_sees_only_their_own_space(world):
    html = world["clients"][PART_B].get("/mon-espace").get_data(as_text=True)
    assert world["b"].first_name in html and world["a"].last_name not in html


API = [
    ("get", "/api/v1/editions/current", EVERYONE),
    ("get", "/api/v1/collection", EVERYONE),  # the library's public catalogue
    ("get", "/api/v1/editions/{year}/report", set()),  # public after the ceremony
    ("get", "/api/v1/participants", STAFF_ONLY),
    ("get", "/api/v1/participants/{a}", STAFF_ONLY | {PART_A}),
    ("get", "/api/v1/workshops/{workshop}/attendance", ROLL),
    ("put", "/api/v1/workshops/{workshop}/attendance", ROLL),
    ("get", "/api/v1/films", SIGNED_IN),
    ("get", "/api/v1/films/{film}", STAFF_ONLY | {PART_A}),
    ("get", "/api/v1/programme/blocks", STAFF_ONLY),
]


@pytest.mark.parametrize(("method", "url", "expected"), API, ids=[f"{m} {u}" for m, u, _ in API])
def test_api_access(world, client, method, url, expected):
    url = _fill(url, world)
    allowed = set()
    for name, headers in world["tokens"].items():
        kwargs = {"json": {}} if method == "put" else {}
        response = getattr(client, method)(url, headers=headers, **kwargs)
        assert response.mimetype == "application/json"
        if response.status_code < 300:
            allowed.add(name)
        else:
            assert response.status_code in (401, 403, 404), (name, response.status_code)
    assert allowed == expected


def test_no_private_field_on_public_pages_or_the_public_api(world, make_client):
    anonymous = make_client()
    private_values = []
    for participant in (world["a"], world["b"]):
        private_values += [
            participant.last_name,
            participant.email,
            participant.phone,
            participant.guardian_name,
            participant.guardian_email,
            participant.birth_date.isoformat(),
            participant.birth_date.strftime("%d/%m/%Y"),
        ]
    for url in (
        "/",
        "/inscription",
        "/confidentialite",
        "/ateliers/calendrier.ics",
        "/api/v1/editions/current",
        "/api/v1/openapi.json",
    ):
        body = anonymous.get(url).get_data(as_text=True)
        for value in private_values:
            assert value not in body, (url, value)


# ------------------------------------------------------------------ the rest of the routes


@pytest.fixture
def programme_world(world, staff_id=None):
    """A block with a moment in it, for the programme's per-object actions."""
    from festival.programme.models import ItemKind
    from festival.programme.services import add_block, add_moment

    block = add_block(
        world["edition"],
        title="Séance",
        starts_at=world["edition"].ceremony_at,
        planned_minutes=30,
    )
    item = add_moment(block, kind=ItemKind.WELCOME, title="Accueil", duration_seconds=60)
    db.session.commit()
    return {**world, "block": block, "item": item}


@pytest.fixture
def media_world(world, make_video):
    """Participant A's film with a processed version: thumbnails and a rendition."""
    import shutil

    from festival.films.models import FilmVersion
    from festival.films.pipeline import process_in_full
    from festival.storage import media_path

    version = FilmVersion(film=world["film"], number=1, original_filename="a.mp4")
    db.session.add(version)
    db.session.flush()
    target = media_path(version.original_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(make_video("access.mp4", seconds=1), target)
    db.session.commit()
    process_in_full(version.id)
    db.session.expire_all()
    return {**world, "version": world["film"].versions[0]}


def test_film_media_reach_only_the_team_staff_and_the_jury_once_retained(media_world):
    from festival.films.models import ReviewDecision

    film, version = media_world["film"], media_world["version"]
    name = version.thumbnails[0].file(version.thumbnails[0].widths[0], "jpeg").rsplit("/", 1)[-1]
    for url in (f"/films/{film.id}/v1/web.mp4", f"/films/{film.id}/v1/vignettes/{name}"):
        assert allowed_set(media_world, lambda _n, c, url=url: c.get(url)) == STAFF_ONLY | {PART_A}
    film.decision = ReviewDecision.SELECTED  # as staff retain it: this cut, this still
    film.approved_version, film.approved_thumbnail = version, version.thumbnails[0]
    db.session.commit()
    for url in (f"/films/{film.id}/v1/web.mp4", f"/films/{film.id}/v1/vignettes/{name}"):
        assert allowed_set(media_world, lambda _n, c, url=url: c.get(url)) == STAFF_ONLY | {
            JURY,
            PART_A,
        }
    # Another still of the same cut, not the one staff approved: not for the jury.
    other = version.thumbnails[1].file(version.thumbnails[1].widths[0], "jpeg").rsplit("/", 1)[-1]
    url = f"/films/{film.id}/v1/vignettes/{other}"
    assert allowed_set(media_world, lambda _n, c, url=url: c.get(url)) == STAFF_ONLY | {PART_A}
    # Visitors' addresses give nothing of a film that is not in a published programme.
    for url in (
        f"/medias/films/{film.id}/v1/web.mp4",
        f"/medias/films/{film.id}/v1/vignettes/{name}",
    ):
        assert allowed_set(media_world, lambda _n, c, url=url: c.get(url)) == set()
    # Changing the id or the name leads nowhere, for everyone.
    for url in (f"/films/{film.id + 1}/v1/web.mp4", f"/films/{film.id}/v1/vignettes/../original"):
        assert allowed_set(media_world, lambda _n, c, url=url: c.get(url)) == set()


def test_only_the_team_and_staff_choose_the_thumbnail(media_world):
    film, thumbnails = media_world["film"], media_world["version"].thumbnails
    allowed = set()
    for index, (name, client) in enumerate(media_world["clients"].items()):
        wanted = thumbnails[index % len(thumbnails)]
        film.chosen_thumbnail_id = None
        db.session.commit()
        client.post_form(f"/films/{film.id}/vignette", {"thumbnail_id": wanted.id})
        db.session.expire_all()
        if film.chosen_thumbnail_id == wanted.id:
            allowed.add(name)
    assert allowed == STAFF_ONLY | {PART_A}


def test_only_the_team_and_staff_edit_the_film(world):
    film = world["film"]
    allowed = set()
    for name, client in world["clients"].items():
        title = f"Titre par {name}"
        client.post_form(
            f"/films/{film.id}/modifier",
            {
                "title": title,
                "music_kind": "none",
                "team-0-participant_id": world["a"].id,
                "team-0-role": "direction",
            },
        )
        db.session.expire_all()
        if film.title == title:
            allowed.add(name)
    assert allowed == STAFF_ONLY | {PART_A}


PROGRAMME_ACTIONS = [
    "/equipe/programme/seances/{block}",
    "/equipe/programme/seances/{block}/films",
    "/equipe/programme/seances/{block}/moments",
    "/equipe/programme/seances/{block}/ordre",
    "/equipe/programme/seances/{block}/supprimer",
    "/equipe/programme/elements/{item}/deplacer/haut",
    "/equipe/programme/elements/{item}/retirer",
    "/equipe/films/{film}",
]


@pytest.mark.parametrize("url", PROGRAMME_ACTIONS)
def test_programme_and_review_actions_refuse_everyone_but_staff(programme_world, url):
    from festival.programme.models import ProgrammeItem, ScreeningBlock

    url = url.format(
        block=programme_world["block"].id,
        item=programme_world["item"].id,
        film=programme_world["film"].id,
    )
    outsiders = EVERYONE - STAFF_ONLY
    for name in outsiders:
        response = programme_world["clients"][name].post_form(
            url, {"decision": "selected", "title": "x"}
        )
        assert response.status_code in (302, 403, 404), (name, response.status_code)
        if response.status_code == 302:
            assert "/connexion" in response.location, (name, response.location)
    db.session.expire_all()
    assert db.session.get(ScreeningBlock, programme_world["block"].id).title == "Séance"
    assert db.session.get(ProgrammeItem, programme_world["item"].id).position == 1
    assert programme_world["film"].decision is None


def test_the_edition_certificates_download_is_staff_only(world):
    for name in EVERYONE - STAFF_ONLY:
        response = world["clients"][name].get("/equipe/prix/attestations.pdf")
        assert response.status_code in (302, 403), (name, response.status_code)
        if response.status_code == 302:
            assert "/connexion" in response.location
    for name in STAFF_ONLY:  # none drawn yet: back to the button that prepares them
        response = world["clients"][name].get("/equipe/prix/attestations.pdf")
        assert response.status_code == 302
        assert response.location.endswith("/equipe/prix#attestations")


def test_the_screening_pack_download_is_staff_only(world):
    for name in EVERYONE - STAFF_ONLY:
        response = world["clients"][name].get("/equipe/programme/pack/1/projection.zip")
        assert response.status_code in (302, 403), (name, response.status_code)
    for name in STAFF_ONLY:  # no pack yet: not found, said plainly
        assert (
            world["clients"][name].get("/equipe/programme/pack/1/projection.zip").status_code == 404
        )


PUBLIC = ["/healthz", "/connexion", "/connexion/code", "/connexion/oubli", "/langue/en"]


@pytest.mark.parametrize("url", PUBLIC)
def test_public_entry_points_answer_everyone(world, url):
    """Sign-in pages send signed-in people on; the language switch returns to the page."""
    for name, client in world["clients"].items():
        response = client.get(url)
        assert response.status_code in (200, 302), (name, response.status_code)
        if response.status_code == 302:
            assert "/connexion" not in response.location or url == "/langue/en", name


def test_only_the_team_and_staff_add_their_own_image(media_world):
    import io

    from PIL import Image

    from festival.films.models import Thumbnail

    film = media_world["film"]
    allowed = set()
    for name, client in media_world["clients"].items():
        before = db.session.query(Thumbnail).filter_by(is_still=True).count()
        image = io.BytesIO()
        Image.new("RGB", (320, 568), (200, 40, 40)).save(image, "PNG")
        image.seek(0)
        client.post_form(
            f"/films/{film.id}/image",
            {"still": (image, "affiche.png")},
            content_type="multipart/form-data",
        )
        if db.session.query(Thumbnail).filter_by(is_still=True).count() > before:
            allowed.add(name)
    assert allowed == STAFF_ONLY | {PART_A}


def test_an_unpublished_programme_and_its_films_are_nobodys_business(world):
    year, film = world["edition"].year, world["film"]
    for url in (
        f"/programme/{year}",
        f"/programme/{year}/films/{film.id}",
        f"/programme/{year}/programme.pdf",
        f"/api/v1/editions/{year}/programme",
    ):
        for name, client in world["clients"].items():
            assert client.get(url).status_code == 404, (name, url)


def test_a_published_programme_is_everyones_and_shows_only_programmed_films(world, programme_world):
    from festival.programme.services import publish

    publish(world["edition"])
    db.session.commit()
    year, film = world["edition"].year, world["film"]
    for url in (f"/programme/{year}", f"/programme/{year}/programme.pdf", "/programme.ics"):
        assert allowed_set(world, lambda _n, c, url=url: c.get(url)) == EVERYONE
    # Film A is not on the programme: its page stays private even now.
    assert allowed_set(world, lambda _n, c: c.get(f"/programme/{year}/films/{film.id}")) == set()


API_WRITES = [
    ("post", "/api/v1/participants", STAFF_ONLY),
    ("post", "/api/v1/programme/blocks", STAFF_ONLY),
    ("post", "/api/v1/programme/blocks/{block}/items", STAFF_ONLY),
    ("put", "/api/v1/programme/blocks/{block}/order", STAFF_ONLY),
    ("post", "/api/v1/films", STAFF_ONLY | {PART_A, PART_B}),
    ("post", "/api/v1/films/{film}/uploads", STAFF_ONLY | {PART_A}),
]


def _api_body(url: str, name: str, world) -> dict:
    if url.endswith("/participants"):
        return {
            "first_name": "Noé",
            "last_name": f"Api {name}",
            "birth_date": "2011-04-02",
            "guardian_name": "Parent Api",
            "guardian_email": "parent.api@example.org",
            "consents": {"participation": True, "screening": True, "online": False},
        }
    if url.endswith("/blocks"):
        return {"title": "Séance API", "starts_at": "2027-03-27T18:30", "planned_minutes": 30}
    if url.endswith("/items"):
        return {"kind": "welcome", "title": "Accueil", "duration": 60}
    if url.endswith("/order"):
        return {"items": [world["item"].id]}
    person = {PART_A: world["a"], PART_B: world["b"]}.get(name, world["a"])
    return {
        "title": f"Film de {name}",
        "team": [{"participant_id": person.id, "role": "direction"}],
    }


@pytest.mark.parametrize(
    ("method", "url", "expected"), API_WRITES, ids=[f"{m} {u}" for m, u, _ in API_WRITES]
)
def test_api_write_access(programme_world, client, method, url, expected):
    world = programme_world
    url = url.format(block=world["block"].id, film=world["film"].id)
    allowed = set()
    for name, headers in world["tokens"].items():
        if url.endswith("/uploads"):
            response = client.post(
                url, headers={**headers, "Tus-Resumable": "1.0.0", "Upload-Length": "10"}
            )
        else:
            response = getattr(client, method)(
                url, headers=headers, json=_api_body(url, name, world)
            )
        if response.status_code < 300:
            allowed.add(name)
        else:
            assert response.status_code in (401, 403, 404), (name, response.get_data(as_text=True))
    assert allowed == expected


def test_an_upload_in_progress_is_reachable_by_its_uploader_and_staff_only(world, client):
    created = client.post(
        f"/api/v1/films/{world['film'].id}/uploads",
        headers={**world["tokens"][PART_A], "Tus-Resumable": "1.0.0", "Upload-Length": "10"},
    )
    url = created.headers["Location"]
    allowed = set()
    for name, headers in world["tokens"].items():
        response = client.head(url, headers={**headers, "Tus-Resumable": "1.0.0"})
        if response.status_code < 300:
            allowed.add(name)
    assert allowed == STAFF_ONLY | {PART_A}
    for name in EVERYONE - STAFF_ONLY - {PART_A}:
        tus = {**world["tokens"][name], "Tus-Resumable": "1.0.0"}
        patched = client.patch(
            url,
            data=b"x",
            headers={
                **tus,
                "Upload-Offset": "0",
                "Content-Type": "application/offset+octet-stream",
            },
        )
        deleted = client.delete(url, headers=tus)
        assert patched.status_code in (401, 404) and deleted.status_code in (401, 404), name
    assert (
        client.head(url, headers={**world["tokens"][PART_A], "Tus-Resumable": "1.0.0"}).headers[
            "Upload-Offset"
        ]
        == "0"
    )


# Routes whose access is tested elsewhere, with the reason.
TESTED_ELSEWHERE = {
    "people.my_reminders": "the teen's own choice: tests/mail/test_reminders.py",
    "people.my_registration_again": "the teen's own space: tests/people/test_returning.py",
    "auth.account_invite": "admins only: tests/mail/test_accounts.py",
    "auth.account_role": "admins only, never their own: tests/mail/test_accounts.py",
    "auth.account_enabled": "admins only, never their own: tests/mail/test_accounts.py",
    "auth.reset_password": "whoever holds the emailed link: tests/mail/test_password_reset.py",
    "people.guardian_consents": "whoever holds the link: tests/mail/test_guardian_consent.py",
    "people.confirm_email": "whoever holds the link: tests/mail/test_email_confirmation.py",
    "mail.stop": "anyone with a message's signed link: tests/mail/test_email.py",
    "mail.email_detail": "staff only, like the outbox: tests/mail/test_email.py",
    "awards.jury_save": "jurors only, retained films only: tests/awards/test_jury_scoring.py",
    "awards.ballot": "anyone with a card's code: tests/awards/test_ballot_pages.py",
    "awards.palmares_page": "everyone once published: tests/awards/test_ballot_pages.py",
    "api_audience_vote.create_codes": "staff only: tests/awards/test_audience_vote.py",
    "api_audience_vote.open_vote": "staff only: tests/awards/test_audience_vote.py",
    "api_audience_vote.close_vote": "staff only: tests/awards/test_audience_vote.py",
    "api_audience_vote.cast_ballot": "anyone with a card code: test_audience_vote.py",
    "api_audience_vote.get_results": "staff, everyone once published: test_audience_vote.py",
    "api_awards.edition_awards": "everyone once published: tests/awards/test_audience_vote.py",
    "static": "public files (CSS, JS, icons)",
    "api_auth.create_token": "sign-in itself: tests/api/test_api.py, rate limits in tests/auth",
    "auth.login": "sign-in itself: tests/auth/test_sign_in.py",
    "auth.logout": "tests/auth/test_sign_in.py and tests/test_csrf.py",
    "auth.login_with_qr": "one-time codes: tests/auth/test_sign_in.py",
    "auth.set_language": "every visitor, redirects back: tests/auth",
    "people.register": "the public form: tests/people/test_registration.py",
    "api-docs.openapi_json": "public by design: test_no_private_field_on_public_pages…",
    "api_programme.current_programme": "public once published: tests/programme/test_public.py",
    "public.home": "PAGES",
    "public.film_page": "test_a_published_programme_is_everyones…",
    "api_uploads.film_uploads_options": "tus discovery, no data: tests/films/test_tus.py",
    "api_uploads.upload_options": "tus discovery, no data: tests/films/test_tus.py",
}


def test_every_route_is_in_the_access_matrix(app):
    """A new route must be added here, with who may use it: nothing is private by accident."""
    adapter = app.url_map.bind("festival.test")
    covered = set(TESTED_ELSEWHERE)
    ids = {"a": 1, "edition": 1, "workshop": 1, "film": 1, "block": 1, "item": 1, "year": 2027}
    lists = (
        [("GET", url) for url, _ in PAGES]
        + [("POST", url) for url in ACTIONS + PROGRAMME_ACTIONS]
        + [(method.upper(), url) for method, url, _ in API + API_WRITES]
        + [("GET", url) for url in PUBLIC]
        + [
            ("GET", "/films/1/v1/web.mp4"),
            ("GET", "/films/1/v1/vignettes/x.jpg"),
            ("GET", "/medias/films/1/v1/web.mp4"),
            ("GET", "/medias/films/1/v1/vignettes/x.jpg"),
            ("POST", "/films/1/vignette"),
            ("POST", "/films/1/modifier"),
            ("POST", "/films/1/image"),
            # Subtitles: tests/films/test_subtitles.py (the team and staff; visitors like the video)
            ("GET", "/films/1/sous-titres/1.vtt"),
            ("GET", "/medias/films/1/v1/sous-titres/1.vtt"),
            ("POST", "/films/1/sous-titres"),
            ("POST", "/films/1/sous-titres/1/retirer"),
            ("GET", "/programme.ics"),
            ("GET", "/equipe/programme/pack/1/projection.zip"),
            ("GET", "/equipe/prix/attestations.pdf"),
            ("GET", "/programme/2027"),
            ("GET", "/programme/2027/programme.pdf"),
            ("GET", "/api/v1/editions/2027/programme"),
            ("HEAD", "/api/v1/uploads/abc"),
            ("PATCH", "/api/v1/uploads/abc"),
            ("DELETE", "/api/v1/uploads/abc"),
        ]
    )
    for method, url in lists:
        endpoint, _args = adapter.match(url.format(**ids), method=method)
        covered.add(endpoint)
    every = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert every - covered == set(), "routes missing from the access matrix"
