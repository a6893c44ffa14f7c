"""The audience vote through the API: codes, opening, ballots (once per code, even at the same
moment), results by majority judgment, and who may see them when."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from festival.auth.models import Role
from festival.awards import jury, palmares, prizes, vote
from festival.extensions import db
from tests.helpers import ceremony_started
from tests.helpers.api import bearer


@pytest.fixture
def ceremony(published_ceremony):
    """Three films in the published programme of the ceremony."""
    return published_ceremony("Aube", "Brume", "Crépuscule")


@pytest.fixture
def staff_api(client, make_user):
    return bearer(client, make_user(Role.STAFF))


def _codes(client, headers, count=3) -> list[str]:
    response = client.post("/api/v1/audience-vote/codes", json={"count": count}, headers=headers)
    assert response.status_code == 201, response.json
    return response.json["codes"]


def _ballot(films, *grades: str) -> dict[str, str]:
    return {str(film.id): grade for film, grade in zip(films, grades, strict=True)}


def test_a_code_votes_once_when_the_vote_is_open(client, ceremony, staff_api):
    codes = _codes(client, staff_api)
    assert len(set(codes)) == 3 and all(len(code) == 8 for code in codes)
    grades = _ballot(ceremony, "excellent", "bien", "a_rejeter")
    refused = client.post(
        "/api/v1/audience-vote/ballots", json={"code": codes[0], "grades": grades}
    )
    assert refused.status_code == 409 and refused.json["error"]["code"] == "vote_not_open"
    opened = client.post("/api/v1/audience-vote/open", headers=staff_api)
    assert opened.status_code == 200 and opened.json["status"] == "open"
    # A card's code is read off paper: any case, with or without the dash.
    typed = f"{codes[0][:4].lower()}-{codes[0][4:]}"
    cast = client.post("/api/v1/audience-vote/ballots", json={"code": typed, "grades": grades})
    assert cast.status_code == 201, cast.json
    again = client.post("/api/v1/audience-vote/ballots", json={"code": codes[0], "grades": grades})
    assert again.status_code == 409 and again.json["error"]["code"] == "code_used"
    unknown = client.post(
        "/api/v1/audience-vote/ballots", json={"code": "ZZZZ2222", "grades": grades}
    )
    assert unknown.status_code == 404 and "code" in unknown.json["error"]["fields"]


def test_a_ballot_grades_every_film_of_the_ceremony_and_only_those(
    client, ceremony, staff_api, make_valid_film
):
    codes = _codes(client, staff_api)
    client.post("/api/v1/audience-vote/open", headers=staff_api)
    missing = _ballot(ceremony[:2], "bien", "bien")
    response = client.post(
        "/api/v1/audience-vote/ballots", json={"code": codes[0], "grades": missing}
    )
    assert response.status_code == 422
    assert response.json["error"]["fields"] == {
        f"grades.{ceremony[2].id}": response.json["error"]["message"]
    }
    assert "Crépuscule" in response.json["error"]["message"]
    outsider = make_valid_film("Hors programme")
    extra = {**_ballot(ceremony, "bien", "bien", "bien"), str(outsider.id): "excellent"}
    response = client.post(
        "/api/v1/audience-vote/ballots", json={"code": codes[0], "grades": extra}
    )
    assert (
        response.status_code == 422 and f"grades.{outsider.id}" in response.json["error"]["fields"]
    )
    wrong = _ballot(ceremony, "bien", "genial", "bien")
    response = client.post(
        "/api/v1/audience-vote/ballots", json={"code": codes[0], "grades": wrong}
    )
    assert response.status_code == 422 and "grades" in str(response.json["error"]["fields"])
    # Nothing was kept of the refused ballots: the code still votes.
    fine = _ballot(ceremony, "bien", "bien", "bien")
    response = client.post("/api/v1/audience-vote/ballots", json={"code": codes[0], "grades": fine})
    assert response.status_code == 201


def test_results_rank_by_majority_judgment_and_stay_private_until_the_palmares(
    client, edition, ceremony, staff_api
):
    codes = _codes(client, staff_api, count=5)
    client.post("/api/v1/audience-vote/open", headers=staff_api)
    aube, brume, crepuscule = ceremony
    ballots = [
        ("excellent", "tres_bien", "passable"),
        ("excellent", "bien", "passable"),
        ("passable", "bien", "bien"),
        ("a_rejeter", "bien", "assez_bien"),
        ("a_rejeter", "tres_bien", "passable"),
    ]
    for code, grades in zip(codes, ballots, strict=True):
        cast = client.post(
            "/api/v1/audience-vote/ballots",
            json={"code": code, "grades": _ballot(ceremony, *grades)},
        )
        assert cast.status_code == 201
    assert client.get("/api/v1/audience-vote/results").status_code == 403
    results = client.get("/api/v1/audience-vote/results", headers=staff_api).json
    assert results["ballots"] == 5
    assert [(f["title"], f["rank"], f["median"]) for f in results["films"]] == [
        ("Brume", 1, "bien"),  # Très bien ×2, Bien ×3: Bien, the most consensual
        # Both Passable; without one Passable each: Crépuscule keeps Passable, Aube (loved by
        # two, rejected by two) falls to À rejeter.
        ("Crépuscule", 2, "passable"),
        ("Aube", 3, "passable"),
    ]
    assert results["films"][0]["profile"] == {
        "excellent": 0,
        "tres_bien": 2,
        "bien": 3,
        "assez_bien": 0,
        "passable": 0,
        "a_rejeter": 0,
    }
    closed = client.post("/api/v1/audience-vote/close", headers=staff_api)
    assert closed.json == {"status": "closed", "ballots": 5}
    # The audience prize goes to the vote's winner.
    audience_prize = next(a for a in prizes.awards_of(edition) if a.kind.value == "audience")
    db.session.refresh(audience_prize)
    assert audience_prize.film_id == brume.id
    jury.close_deliberation(edition)
    ceremony_started(edition)
    palmares.publish_palmares(edition)
    db.session.commit()
    public = client.get("/api/v1/audience-vote/results")
    assert public.status_code == 200 and public.json["films"][0]["title"] == "Brume"
    published = client.get(f"/api/v1/editions/{edition.year}/awards").json
    assert published["awards"][0]["award"] == "Prix du public"
    assert published["awards"][0]["film"]["title"] == "Brume"
    assert published["awards"][0]["film"]["team"] == ["Réalisatrice2 S."]


def test_only_staff_print_codes_and_open_or_close_the_vote(client, ceremony, make_user):
    juror = bearer(client, make_user(Role.JURY))
    for path in ("/api/v1/audience-vote/open", "/api/v1/audience-vote/close"):
        assert client.post(path).status_code == 401
        assert client.post(path, headers=juror).status_code == 403
    assert client.post("/api/v1/audience-vote/codes", json={"count": 3}).status_code == 401
    assert (
        client.post("/api/v1/audience-vote/codes", json={"count": 3}, headers=juror).status_code
        == 403
    )


def test_one_code_sent_by_ten_phones_at_the_same_moment_counts_once(
    app, live_server, client, edition, ceremony, staff_api
):
    codes = _codes(client, staff_api, count=11)
    client.post("/api/v1/audience-vote/open", headers=staff_api)
    grades = _ballot(ceremony, "bien", "passable", "excellent")
    start = threading.Barrier(20)

    def send(code: str) -> int:
        start.wait()
        return requests.post(
            f"{live_server}/api/v1/audience-vote/ballots",
            json={"code": code, "grades": grades},
            timeout=60,
        ).status_code

    shared, own = codes[0], codes[1:]
    with ThreadPoolExecutor(20) as pool:
        statuses = list(pool.map(send, [shared] * 10 + own[:10]))
    assert sorted(statuses[:10]) == [201] + [409] * 9
    assert statuses[10:] == [201] * 10
    db.session.expire_all()
    assert vote.vote_results(edition).ballots == 11
