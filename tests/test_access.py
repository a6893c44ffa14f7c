"""Who may open what: every page and API operation for every kind of visitor."""

import pytest

from festival.auth.models import Role
from festival.extensions import db
from tests.api.test_api import token_for

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
    tokens = {name: token_for(client, user) for name, user in users.items()}
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
    ("/inscription", EVERYONE),
    ("/confidentialite", EVERYONE),
    ("/ateliers/calendrier.ics", EVERYONE),
    ("/equipe", STAFF_ONLY),
    ("/equipe/participants", STAFF_ONLY),
    ("/equipe/participants.csv", STAFF_ONLY),
    ("/equipe/participants/nouveau", STAFF_ONLY),
    ("/equipe/participants/{a}", STAFF_ONLY),
    ("/equipe/participants/{a}/modifier", STAFF_ONLY),
    ("/equipe/participants/{a}/export.json", STAFF_ONLY),
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
    ("/films/{film}", STAFF_ONLY | {JURY, PART_A}),
    ("/films/{film}/etat.json", STAFF_ONLY | {JURY, PART_A}),
    ("/films/{film}/modifier", STAFF_ONLY | {PART_A}),
    ("/equipe/films", STAFF_ONLY),
    ("/equipe/programme", STAFF_ONLY),
    ("/equipe/programme/projection", STAFF_ONLY),
    ("/equipe/programme/pack/etat.json", STAFF_ONLY),
    ("/archives", EVERYONE),
    ("/programme", EVERYONE),
    ("/equipe/films/{film}", STAFF_ONLY),
]


def _fill(url: str, world) -> str:
    return url.format(
        a=world["a"].id,
        edition=world["edition"].id,
        workshop=world["workshop"].id,
        film=world["film"].id,
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
    ("get", "/api/v1/participants", STAFF_ONLY),
    ("get", "/api/v1/participants/{a}", STAFF_ONLY | {PART_A}),
    ("get", "/api/v1/workshops/{workshop}/attendance", ROLL),
    ("put", "/api/v1/workshops/{workshop}/attendance", ROLL),
    ("get", "/api/v1/films", SIGNED_IN),
    ("get", "/api/v1/films/{film}", STAFF_ONLY | {JURY, PART_A}),
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
