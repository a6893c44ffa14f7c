"""The JSON API: tokens, editions, participants, attendance, and errors that stay JSON."""

import pytest

from festival.api.security import ApiBlueprint, public_operation
from festival.auth.models import Role
from festival.extensions import db
from festival.films.models import Film
from festival.workshops.models import AttendanceStatus
from festival.workshops.services import attendance_sheet
from tests.helpers import PASSWORD, birth_date_for
from tests.helpers.api import bearer


def assert_json_error(response, status: int, code: str):
    assert response.status_code == status
    assert response.mimetype == "application/json"
    assert response.json["error"]["code"] == code
    assert response.json["error"]["message"]
    return response.json["error"]


def test_token_is_created_and_works_as_bearer(client, make_user, edition):
    staff = make_user(Role.STAFF)
    response = client.post("/api/v1/auth/token", json={"login": staff.login, "password": PASSWORD})
    assert response.status_code == 201
    assert set(response.json) == {"token", "expires_at"}
    assert response.json["expires_at"].endswith("+00:00")
    headers = {"Authorization": f"Bearer {response.json['token']}"}
    assert client.get("/api/v1/participants", headers=headers).status_code == 200


def test_wrong_password_gives_401_then_429_after_repeated_failures(client, make_user):
    staff = make_user(Role.STAFF)
    for _ in range(5):
        response = client.post(
            "/api/v1/auth/token", json={"login": staff.login, "password": "wrong"}
        )
        error = assert_json_error(response, 401, "unauthorized")
        assert error["message"] == "Identifiant ou mot de passe incorrect."
    response = client.post("/api/v1/auth/token", json={"login": staff.login, "password": "wrong"})
    error = assert_json_error(response, 429, "too_many_requests")
    assert "Patientez" in error["message"]


def test_successful_sign_ins_are_not_counted_as_failures(client, make_user):
    staff = make_user(Role.STAFF)
    for _ in range(8):
        bearer(client, staff)


def test_an_invalid_or_expired_token_is_refused(client, edition):
    response = client.get("/api/v1/participants", headers={"Authorization": "Bearer nope"})
    assert_json_error(response, 401, "unauthorized")


def test_current_edition_lists_its_workshops(client, edition):
    response = client.get("/api/v1/editions/current")
    assert response.status_code == 200
    body = response.json
    assert body["year"] == edition.year
    assert body["age_min"] == 14 and body["age_max"] == 19
    assert body["reference_date"] == edition.age_reference_date.isoformat()
    assert {"ceremony_at", "upload_deadline"} <= set(body)
    assert len(body["workshops"]) == 10
    assert set(body["workshops"][0]) == {
        "id",
        "number",
        "title",
        "theme",
        "starts_at",
        "ends_at",
        "room",
        "titles",  # the library's titles recommended for it: tests/collection
    }
    assert body["workshops"][0]["starts_at"][-6:] in ("+01:00", "+02:00")


def test_current_edition_is_404_json_when_there_is_none(client):
    assert_json_error(client.get("/api/v1/editions/current"), 404, "not_found")


def _new_participant(edition, **overrides):
    body = {
        "first_name": "Inès",
        "last_name": "Dubois",
        "birth_date": birth_date_for(edition, 15).isoformat(),
        "email": "ines@example.org",
        "phone": "0600000000",
        "guardian_name": "Karim Dubois",
        "guardian_email": "karim@example.org",
        "guardian_phone": "0611111111",
        "consents": {"participation": True, "screening": True, "online": False},
    }
    body.update(overrides)
    return body


def test_staff_register_a_participant_through_the_api(client, make_user, edition):
    headers = bearer(client, make_user(Role.STAFF))
    response = client.post(
        "/api/v1/participants",
        json=_new_participant(edition, password="un-mot-de-passe"),
        headers=headers,
    )
    assert response.status_code == 201, response.json
    assert response.json["age"] == 15 and response.json["id"]
    assert response.json["consents"] == {"participation": True, "screening": True, "online": False}
    assert response.json["has_account"] is True
    assert "password" not in response.json
    listed = client.get("/api/v1/participants", headers=headers).json
    assert [p["id"] for p in listed] == [response.json["id"]]
    assert set(listed[0]) >= {
        "first_name",
        "last_name",
        "birth_date",
        "email",
        "phone",
        "guardian_name",
        "guardian_email",
        "guardian_phone",
        "consents",
    }
    # The account it opened signs in with the email.
    assert (
        client.post(
            "/api/v1/auth/token", json={"login": "ines@example.org", "password": "un-mot-de-passe"}
        ).status_code
        == 201
    )


def test_an_age_outside_the_bounds_is_a_422_on_birth_date(client, make_user, edition):
    headers = bearer(client, make_user(Role.STAFF))
    response = client.post(
        "/api/v1/participants",
        json=_new_participant(edition, birth_date=birth_date_for(edition, 20).isoformat()),
        headers=headers,
    )
    error = assert_json_error(response, 422, "validation_error")
    assert set(error["fields"]) == {"birth_date"}
    assert "20 ans" in error["fields"]["birth_date"]


def test_schema_errors_are_422_with_french_field_messages(client, make_user, edition):
    headers = bearer(client, make_user(Role.STAFF))
    response = client.post(
        "/api/v1/participants",
        json={"first_name": "A", "birth_date": "17/05/2010", "colour": "blue"},
        headers=headers,
    )
    error = assert_json_error(response, 422, "validation_error")
    assert error["fields"]["last_name"] == "Ce champ est obligatoire."
    assert error["fields"]["birth_date"].startswith("Date invalide")
    assert error["fields"]["colour"] == "Champ inconnu."


def test_a_body_that_is_not_json_is_refused_in_json(client, make_user, edition):
    headers = bearer(client, make_user(Role.STAFF))
    response = client.post(
        "/api/v1/participants",
        data="{oops",
        headers={**headers, "Content-Type": "application/json"},
    )
    assert response.status_code in (400, 422)
    assert response.mimetype == "application/json" and response.json["error"]["message"]


def test_participants_are_staff_only(client, login_as, make_participant, make_user, edition):
    participant = make_participant(account=True)
    headers = bearer(client, participant.user)
    assert_json_error(client.get("/api/v1/participants", headers=headers), 403, "forbidden")
    assert_json_error(
        client.post("/api/v1/participants", json=_new_participant(edition), headers=headers),
        403,
        "forbidden",
    )
    facilitator = bearer(client, make_user(Role.FACILITATOR))
    assert_json_error(client.get("/api/v1/participants", headers=facilitator), 403, "forbidden")
    assert_json_error(client.get("/api/v1/participants"), 401, "unauthorized")


def test_a_participant_reads_their_own_record_and_no_one_elses(
    client, make_participant, edition, make_user
):
    a = make_participant(account=True)
    b = make_participant(account=True)
    headers = bearer(client, a.user)
    own = client.get(f"/api/v1/participants/{a.id}", headers=headers)
    assert own.status_code == 200
    assert own.json["attendance"]["workshops"] == 10
    assert len(own.json["attendance"]["by_workshop"]) == 10
    other = client.get(f"/api/v1/participants/{b.id}", headers=headers)
    missing = client.get("/api/v1/participants/999999", headers=headers)
    assert_json_error(other, 404, "not_found")
    assert other.json == missing.json  # an id reveals nothing
    staff = bearer(client, make_user(Role.STAFF))
    assert client.get(f"/api/v1/participants/{b.id}", headers=staff).status_code == 200


def test_attendance_put_replaces_the_sheet_and_get_returns_it(
    client, make_user, make_participant, edition
):
    facilitator = make_user(Role.FACILITATOR)
    workshop = edition.workshops[0]
    workshop.facilitator = facilitator
    db.session.commit()
    a, b = make_participant(), make_participant()
    headers = bearer(client, facilitator)
    url = f"/api/v1/workshops/{workshop.id}/attendance"
    response = client.put(url, json={str(a.id): "present", str(b.id): "late"}, headers=headers)
    assert response.status_code == 200
    assert response.json == {str(a.id): "present", str(b.id): "late"}
    assert client.get(url, headers=headers).json == response.json
    client.put(url, json={str(b.id): "excused"}, headers=headers)
    assert attendance_sheet(workshop) == {b.id: AttendanceStatus.EXCUSED}


def test_attendance_put_refuses_unknown_values_and_people(
    client, make_user, make_participant, edition
):
    headers = bearer(client, make_user(Role.STAFF))
    a = make_participant()
    url = f"/api/v1/workshops/{edition.workshops[0].id}/attendance"
    error = assert_json_error(
        client.put(url, json={str(a.id): "here"}, headers=headers), 422, "validation_error"
    )
    assert str(a.id) in error["fields"] and "present" in error["fields"][str(a.id)]
    error = assert_json_error(
        client.put(url, json={"99999": "present"}, headers=headers), 422, "validation_error"
    )
    assert "99999" in error["fields"]


def test_attendance_is_closed_to_other_facilitators_and_participants(
    client, make_user, make_participant, edition
):
    workshop = edition.workshops[0]
    url = f"/api/v1/workshops/{workshop.id}/attendance"
    other = bearer(client, make_user(Role.FACILITATOR))
    assert_json_error(client.get(url, headers=other), 403, "forbidden")
    participant = make_participant(account=True)
    assert_json_error(
        client.put(url, json={}, headers=bearer(client, participant.user)), 403, "forbidden"
    )
    assert_json_error(
        client.get("/api/v1/workshops/99999/attendance", headers=other), 404, "not_found"
    )


@pytest.mark.parametrize(
    ("method", "url"), [("get", "/api/v1/nothing-here"), ("delete", "/api/v1/editions/current")]
)
def test_unknown_routes_and_methods_answer_json(client, method, url):
    response = getattr(client, method)(url)
    assert response.status_code in (404, 405)
    assert response.mimetype == "application/json"
    assert response.json["error"]["code"] in ("not_found", "method_not_allowed")


def test_session_cookie_writes_need_a_json_body(login_as, edition):
    staff = login_as(Role.STAFF)
    response = staff.post("/api/v1/participants", data={"first_name": "x"})
    assert_json_error(response, 415, "unsupported_media_type")
    response = staff.post("/api/v1/participants", json=_new_participant(edition))
    assert response.status_code == 201


def test_openapi_document_is_generated_from_the_code(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.json
    assert spec["openapi"].startswith("3.")
    paths = spec["paths"]
    assert {
        "/api/v1/auth/token",
        "/api/v1/editions/current",
        "/api/v1/participants",
        "/api/v1/participants/{participant_id}",
        "/api/v1/workshops/{workshop_id}/attendance",
    } <= set(paths)
    assert {"get", "put"} <= set(paths["/api/v1/workshops/{workshop_id}/attendance"])
    assert {"get", "post"} <= set(paths["/api/v1/films"])
    assert "get" in paths["/api/v1/films/{film_id}"]
    assert {"post", "options"} <= set(paths["/api/v1/films/{film_id}/uploads"])
    assert {"head", "patch", "delete", "options"} <= set(paths["/api/v1/uploads/{upload_id}"])
    assert "bearerAuth" in spec["components"]["securitySchemes"]
    create = paths["/api/v1/participants"]["post"]
    assert "422" in create["responses"]
    schema_name = create["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert schema_name.endswith("ParticipantCreate")


def test_a_number_too_large_for_any_database_is_simply_not_found(client):
    response = client.get("/api/v1/editions/135197680238239186944/programme")
    assert_json_error(response, 404, "not_found")
    assert client.get("/films/99999999999999999999").status_code == 404


def test_an_unlisted_method_is_refused_with_the_allowed_ones(client):
    response = client.open("/api/v1/programme", method="TRACE")
    assert_json_error(response, 405, "method_not_allowed")
    assert "GET" in response.headers["Allow"]


def test_an_anonymous_caller_is_refused_before_the_body_is_read(client):
    response = client.post("/api/v1/programme/blocks", json={"nonsense": True})
    assert_json_error(response, 401, "unauthorized")
    assert "fields" not in response.json["error"]


def test_an_id_too_large_for_the_database_is_refused_not_a_crash(
    client, edition, make_participant, login_as
):
    """Found by Schemathesis on PostgreSQL: 10419545930 as a participant id gave a 500."""
    teen = make_participant(account=True)
    huge = 10_419_545_930
    response = client.post(
        "/api/v1/films",
        headers=bearer(client, teen.user),
        json={"title": "Grand", "team": [{"participant_id": huge, "role": "direction"}]},
    )
    assert_json_error(response, 422, "validation_error")
    # The same number slipped into the web form: a sentence, never a 500, nothing stored.
    page = login_as(teen.user).post_form(
        "/films/nouveau",
        {
            "title": "Grand",
            "music_kind": "none",
            "team-0-participant_id": huge,
            "team-0-role": "direction",
        },
    )
    html = page.get_data(as_text=True)
    # SQLite lets the service say the person is unknown; PostgreSQL refuses the number itself.
    assert (page.status_code == 200 and "inscrite à cette édition" in html) or (
        page.status_code == 400 and "hors des limites" in html
    ), page.status_code

    assert db.session.query(Film).count() == 0


@pytest.mark.own_app
def test_api_operations_are_private_unless_marked_public(app):
    """A new operation that forgets to say who may call it refuses strangers (401)."""

    blp = ApiBlueprint("api_probe", __name__, url_prefix="/api/v1/probe")

    @blp.route("/forgotten")
    def forgotten():
        return {"secret": True}

    @blp.route("/open")
    @public_operation
    def opened():
        return {"open": True}

    app.register_blueprint(blp)
    client = app.test_client()
    assert client.get("/api/v1/probe/forgotten").status_code == 401
    assert client.get("/api/v1/probe/open").json == {"open": True}


def test_only_the_lineup_the_vote_the_report_and_the_token_are_open_to_strangers(app):
    public = {
        endpoint
        for endpoint, view in app.view_functions.items()
        if endpoint.startswith("api_") and getattr(view, "_api_public", False)
    }
    assert public == {
        "api_auth.create_token",
        "api_editions.get_current_edition",
        "api_programme.current_programme",
        "api_programme.edition_programme",
        # The audience votes with a card's code; results and palmarès once published.
        "api_audience_vote.cast_ballot",
        "api_audience_vote.get_results",
        "api_awards.edition_awards",
        # The report as open data: aggregated figures, groups under five people hidden.
        "api_editions.get_edition_report",
        # The library's film collection: its public catalogue, no reader in it.
        "api_collection.search_collection",
    }
