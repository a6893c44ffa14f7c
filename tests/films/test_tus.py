"""The tus 1.0.0 server: creation, resumption, checksums, termination, limits."""

import hashlib

import pytest

from festival.auth.models import Role
from festival.extensions import db
from festival.films.models import FilmVersion, Upload, VersionStatus
from festival.storage import media_path
from tests.helpers.api import bearer
from tests.helpers.tus import TUS


@pytest.fixture
def director_tus(client, team, tus_as):
    return tus_as(bearer(client, team[0].user))


def test_options_advertise_the_protocol(client, film):
    response = client.options(f"/api/v1/films/{film.id}/uploads")
    assert response.status_code == 204
    assert response.headers["Tus-Version"] == "1.0.0"
    assert set(response.headers["Tus-Extension"].split(",")) == {
        "creation",
        "termination",
        "checksum",
        "expiration",
    }
    assert int(response.headers["Tus-Max-Size"]) == 4 * 1024**3
    assert response.headers["Tus-Checksum-Algorithm"] == "sha1,sha256"


def test_a_whole_upload_becomes_a_checked_version(director_tus, film, make_video):
    data = make_video("upload.mp4", seconds=2).read_bytes()
    url, last = director_tus.send(film.id, data)
    assert last.headers["Tus-Resumable"] == "1.0.0"
    assert last.headers["Film-Version"] == "1"
    head = director_tus.head(url)
    assert head.status_code == 200 and head.headers["Upload-Offset"] == str(len(data))
    version = db.session.get(FilmVersion, 1) or film.versions[0]
    db.session.refresh(film)
    version = film.versions[0]
    assert version.status == VersionStatus.VALID
    assert version.original_filename == "mon film.mp4"
    assert version.sha256 == hashlib.sha256(data).hexdigest()
    assert media_path(version.original_path).read_bytes() == data
    assert media_path(version.rendition_path).exists()
    assert len(version.thumbnails) == 4


def test_an_upload_resumes_after_the_connection_drops(director_tus, film, make_video):
    data = make_video("resume.mp4", seconds=3).read_bytes()
    created = director_tus.create(film.id, len(data))
    url = created.headers["Location"]
    # The phone loses the network a third of the way into the body.
    cut = len(data) // 3
    response = director_tus.patch(url, 0, data[:cut], claimed_length=len(data))
    assert response.status_code == 204
    assert int(response.headers["Upload-Offset"]) == cut
    # Back online, the client asks where to resume, then sends the rest.
    offset = int(director_tus.head(url).headers["Upload-Offset"])
    assert offset == cut
    assert director_tus.patch(url, offset, data[offset:]).status_code == 204
    db.session.refresh(film)
    version = film.versions[0]
    assert (
        hashlib.sha256(media_path(version.original_path).read_bytes()).hexdigest()
        == hashlib.sha256(data).hexdigest()
    )


def test_an_upload_survives_a_server_restart(app, director_tus, film, make_video, client):
    data = make_video("restart.mp4", seconds=2).read_bytes()
    url = director_tus.create(film.id, len(data)).headers["Location"]
    director_tus.patch(url, 0, data[:5000])
    # A crash mid-write leaves bytes past the saved offset: they must not count.
    upload = db.session.scalar(db.select(Upload))
    with media_path(upload.partial_path).open("ab") as handle:
        handle.write(b"garbage written as the server died")

    from festival import create_app
    from tests.helpers.tus import TusClient

    restarted = create_app({**app.config, "TESTING": True})
    with restarted.app_context():
        tus = TusClient(
            restarted.test_client(),
            {k: v for k, v in director_tus.headers.items() if k == "Authorization"},
        )
        offset = int(tus.head(url).headers["Upload-Offset"])
        assert offset == 5000
        assert tus.patch(url, offset, data[offset:]).status_code == 204
        db.session.remove()
        db.engine.dispose()  # the restarted server's connections close with it
    db.session.refresh(film)
    assert media_path(film.versions[0].original_path).read_bytes() == data


def test_a_wrong_offset_is_a_409(director_tus, film):
    url = director_tus.create(film.id, 100).headers["Location"]
    response = director_tus.patch(url, 10, b"x" * 10)
    assert response.status_code == 409
    assert "0" in response.json["error"]["message"]


def test_checksums_are_verified_and_a_bad_chunk_is_discarded(director_tus, film):
    url = director_tus.create(film.id, 20).headers["Location"]
    good = director_tus.patch(url, 0, b"a" * 10, checksum="sha1")
    assert good.status_code == 204 and good.headers["Upload-Offset"] == "10"
    headers = {"Upload-Checksum": "sha256 " + "A" * 43 + "="}
    bad = director_tus.patch(url, 10, b"b" * 10, **headers)
    assert bad.status_code == 460
    assert director_tus.head(url).headers["Upload-Offset"] == "10"
    unknown = director_tus.patch(url, 10, b"b" * 10, **{"Upload-Checksum": "md5 AAAA"})
    assert unknown.status_code == 400


def test_termination_removes_the_partial_file(director_tus, film):
    url = director_tus.create(film.id, 100).headers["Location"]
    director_tus.patch(url, 0, b"x" * 50)
    upload = db.session.scalar(db.select(Upload))
    path = media_path(upload.partial_path)
    assert path.exists()
    assert director_tus.client.delete(url, headers=director_tus.headers).status_code == 204
    assert not path.exists()
    assert director_tus.head(url).status_code == 404


def test_the_protocol_version_is_required(director_tus, film):
    headers = {k: v for k, v in director_tus.headers.items() if k != "Tus-Resumable"}
    response = director_tus.client.post(
        f"/api/v1/films/{film.id}/uploads", headers={**headers, "Upload-Length": "10"}
    )
    assert response.status_code == 412 and response.headers["Tus-Version"] == "1.0.0"


def test_too_large_uploads_and_quotas_are_refused_with_a_reason(app, director_tus, film):
    response = director_tus.create(film.id, 5 * 1024**3)
    assert response.status_code == 413
    assert "au-delà de la limite" in response.json["error"]["message"]
    app.config["UPLOAD_QUOTA_BYTES"] = 1000
    director_tus.create(film.id, 800)
    response = director_tus.create(film.id, 300)
    assert response.status_code == 413 and response.json["error"]["code"] == "quota_exceeded"


def test_a_patch_needs_the_tus_content_type(director_tus, film):
    url = director_tus.create(film.id, 10).headers["Location"]
    response = director_tus.patch(url, 0, b"x", **{"Content-Type": "text/plain"})
    assert response.status_code == 415


def test_only_the_team_uploads_and_only_the_uploader_resumes(client, team, film, tus_as):
    director, editor, outsider = team
    outsider_tus = tus_as(bearer(client, outsider.user))
    assert outsider_tus.create(film.id, 10).status_code == 404
    url = tus_as(bearer(client, director.user)).create(film.id, 10).headers["Location"]
    editor_tus = tus_as(bearer(client, editor.user))
    assert editor_tus.head(url).status_code == 404
    assert editor_tus.patch(url, 0, b"x").status_code == 404
    anonymous = client.post(
        f"/api/v1/films/{film.id}/uploads", headers={**TUS, "Upload-Length": "10"}
    )
    assert anonymous.status_code == 401


def test_after_the_deadline_only_staff_upload(edition, client, team, film, tus_as, staff_headers):
    from datetime import timedelta

    from festival.clock import local_now

    edition.upload_deadline = local_now() - timedelta(minutes=1)
    db.session.commit()
    response = tus_as(bearer(client, team[0].user)).create(film.id, 10)
    assert response.status_code == 403 and "date limite" in response.json["error"]["message"]
    assert tus_as(staff_headers).create(film.id, 10).status_code == 201


def test_abandoned_uploads_are_cleaned(app, director_tus, film):
    from datetime import timedelta

    from festival.clock import utcnow

    url = director_tus.create(film.id, 100).headers["Location"]
    upload = db.session.scalar(db.select(Upload))
    path = media_path(upload.partial_path)
    upload.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["clean-uploads"])
    assert "1 abandoned upload(s) removed." in result.output
    assert not path.exists() and director_tus.head(url).status_code == 404


def test_a_refused_file_gives_its_reasons(director_tus, film):
    director_tus.send(film.id, b"#EXTM3U\n#EXTINF:1,\nhttp://127.0.0.1:9/x.ts\n")
    db.session.refresh(film)
    version = film.versions[0]
    assert version.status == VersionStatus.REFUSED
    assert [p["code"] for p in version.problems] == ["not_a_video"]


def test_a_hostile_file_name_is_kept_as_metadata_only(
    director_tus, film, make_video, login_as, team
):
    data = make_video("named.mp4").read_bytes()
    director_tus.send(film.id, data, filename="../../-i x; rm -rf ~.mp4")
    db.session.refresh(film)
    version = film.versions[0]
    assert version.original_filename == "-i x; rm -rf ~.mp4"
    assert version.original_path == f"films/{film.id}/v1/original"
    assert version.status == VersionStatus.VALID
    page = login_as(team[0].user).get(f"/films/{film.id}").get_data(as_text=True)
    assert "-i x; rm -rf ~.mp4" in page


def test_head_never_changes_the_partial_file(director_tus, film):
    """A request still writing may hold the file: HEAD only reads what was saved."""
    url = director_tus.create(film.id, 100).headers["Location"]
    director_tus.patch(url, 0, b"a" * 40)
    upload = db.session.scalar(db.select(Upload))
    partial = media_path(upload.partial_path)
    with partial.open("ab") as handle:  # bytes a running PATCH wrote but has not saved yet
        handle.write(b"b" * 30)
    assert director_tus.head(url).headers["Upload-Offset"] == "40"
    assert partial.read_bytes() == b"a" * 40 + b"b" * 30
    # The next PATCH, holding the lock, cuts the unsaved bytes before writing its own.
    assert director_tus.patch(url, 40, b"c" * 60).status_code == 204
    db.session.refresh(film)
    assert media_path(film.versions[0].original_path).read_bytes() == b"a" * 40 + b"c" * 60


def test_head_reports_what_the_disk_holds_when_it_lost_bytes(director_tus, film):
    url = director_tus.create(film.id, 100).headers["Location"]
    director_tus.patch(url, 0, b"a" * 40)
    upload = db.session.scalar(db.select(Upload))
    with media_path(upload.partial_path).open("r+b") as handle:
        handle.truncate(25)
    assert director_tus.head(url).headers["Upload-Offset"] == "25"
    assert director_tus.patch(url, 25, b"a" * 75).status_code == 204


def test_a_file_that_already_arrived_sent_again_after_a_reload_ends_well(director_tus, film):
    """The page reloaded just as the last byte arrived: a PATCH from an old offset is told to
    ask again (409), and HEAD then says the upload is whole."""
    url = director_tus.create(film.id, 20).headers["Location"]
    assert director_tus.patch(url, 0, b"z" * 20).status_code == 204
    late = director_tus.patch(url, 10, b"z" * 10)
    assert late.status_code == 409
    assert director_tus.head(url).headers["Upload-Offset"] == "20"
    assert len(film.versions) == 1


def test_no_request_removes_an_upload_while_another_writes_it(director_tus, film):
    from festival.films.uploads import _locked

    url = director_tus.create(film.id, 100).headers["Location"]
    upload = db.session.scalar(db.select(Upload))
    partial = media_path(upload.partial_path)
    with _locked(partial):  # a PATCH is streaming
        assert director_tus.client.delete(url, headers=director_tus.headers).status_code == 409
        assert director_tus.patch(url, 0, b"x" * 10).status_code == 409
    assert partial.exists()
    assert director_tus.client.delete(url, headers=director_tus.headers).status_code == 204


def test_the_expiry_is_fixed_when_the_upload_is_created(director_tus, film):
    created = director_tus.create(film.id, 100)
    url = created.headers["Location"]
    patched = director_tus.patch(url, 0, b"x" * 10)
    assert patched.headers["Upload-Expires"] == created.headers["Upload-Expires"]


def test_a_refused_new_version_is_said_at_the_top_of_the_film_page(
    director_tus, film, make_video, login_as, team, make_user
):
    data = make_video("good.mp4", seconds=2).read_bytes()
    director_tus.send(film.id, data)
    director_tus.send(film.id, b"not a film at all, just text")
    page = login_as(team[0].user).get(f"/films/{film.id}").get_data(as_text=True)
    top = page[: page.index("Versions envoyées")]
    assert "La version 2 que vous avez envoyée est refusée." in top
    assert "Le film garde la version 1, toujours valide." in top
    assert top.index("version-refusee") < top.index("L'équipe")


def test_staff_see_the_sha256_of_each_file_received(director_tus, film, make_video, login_as):
    data = make_video("hashed.mp4", seconds=2).read_bytes()
    director_tus.send(film.id, data)
    staff = login_as(Role.STAFF)
    review = staff.get(f"/equipe/films/{film.id}").get_data(as_text=True)
    assert hashlib.sha256(data).hexdigest() in review
