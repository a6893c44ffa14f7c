"""Teams add subtitles; players, pages, the projection and the pack use them."""

from __future__ import annotations

import io
import json
import subprocess

from festival.auth.models import Role
from festival.extensions import db
from festival.films.models import FilmVersion, Subtitle, VersionStatus
from festival.programme import services as programme
from festival.storage import media_path
from tests.helpers.api import bearer

SRT = (
    b"1\n00:00:00,500 --> 00:00:01,500\n<b>Hello</b> everyone\n\n"
    b"2\n00:00:01,600 --> 00:00:02,000\n[Music]\n"
)


def _add(client, film, data: bytes, name="film.en.srt", language="en", for_deaf=False):
    form = {"language": language, "file": (io.BytesIO(data), name)}
    if for_deaf:
        form["for_deaf"] = "y"
    return client.post_form(
        f"/films/{film.id}/sous-titres",
        form,
        token_page=f"/films/{film.id}",
        content_type="multipart/form-data",
    )


def test_a_team_adds_subtitles_and_the_player_offers_them(
    client, team, film, tus_as, make_video, login_as
):
    tus_as(bearer(client, team[0].user)).send(film.id, make_video("subbed.mp4").read_bytes())
    teen = login_as(team[0].user)
    response = _add(teen, film, SRT)
    assert response.status_code == 302
    page = teen.get(f"/films/{film.id}").get_data(as_text=True)
    assert "Sous-titres en anglais ajoutés : 2 répliques." in page
    (subtitle,) = film.subtitles
    src = f"/films/{film.id}/sous-titres/{subtitle.id}.vtt"
    track = f'<track kind="subtitles" srclang="en" label="anglais" src="{src}">'
    assert track in page  # not on by default: the film speaks French, like the page
    served = teen.get(f"/films/{film.id}/sous-titres/{subtitle.id}.vtt")
    assert served.status_code == 200 and served.mimetype == "text/vtt"
    assert served.get_data(as_text=True).startswith("WEBVTT\n\n00:00:00.500 --> 00:00:01.500\n")
    assert "<b>" not in served.get_data(as_text=True)

    outsider = login_as(team[2].user)
    assert outsider.get(f"/films/{film.id}/sous-titres/{subtitle.id}.vtt").status_code == 404
    assert _add(outsider, film, SRT, language="de").status_code == 404
    removal = f"/films/{film.id}/sous-titres/{subtitle.id}/retirer"
    assert outsider.post_form(removal, {}, token_page="/").status_code == 404
    db.session.expire_all()
    assert [s.language for s in film.subtitles] == ["en"]
    assert client.get(f"/films/{film.id}/sous-titres/{subtitle.id}.vtt").status_code == 404

    # For the deaf and hard of hearing, in the page's language: a caption track, on by default.
    _add(teen, film, SRT, name="film.fr.srt", language="fr", for_deaf=True)
    page = teen.get(f"/films/{film.id}").get_data(as_text=True)
    assert 'kind="captions" srclang="fr" label="français (sourds et malentendants)"' in page
    assert page.count(" default>") == 1


def test_a_wrong_file_is_refused_in_french_and_the_tracks_stay(
    client, team, film, tus_as, make_video, login_as
):
    tus_as(bearer(client, team[0].user)).send(film.id, make_video("kept.mp4").read_bytes())
    teen = login_as(team[0].user)
    _add(teen, film, SRT)
    before = media_path(film.subtitles[0].path).read_bytes()
    page = teen.get(_add(teen, film, b"\x89PNG\r\n\x1a\n\x00\x00garbage").location)
    assert "Aucun sous-titre trouvé dans ce fichier." in page.get_data(as_text=True)
    page = teen.get(_add(teen, film, SRT, name="film.docx").location)
    assert "Seuls les fichiers .srt et .vtt sont acceptés." in page.get_data(as_text=True)
    db.session.expire_all()
    assert len(film.subtitles) == 1 and media_path(film.subtitles[0].path).read_bytes() == before


def test_the_team_of_a_film_in_english_gets_french_subtitles_by_default(
    client, team, film, tus_as, make_video, login_as
):
    film.spoken_language = "en"
    db.session.commit()
    tus_as(bearer(client, team[0].user)).send(film.id, make_video("english.mp4").read_bytes())
    teen = login_as(team[0].user)
    _add(teen, film, SRT, name="film.fr.srt", language="fr")
    page = teen.get(f"/films/{film.id}").get_data(as_text=True)
    assert 'kind="subtitles" srclang="fr" label="français"' in page and " default>" in page


def test_subtitles_inside_an_upload_become_tracks_of_that_version(
    client, team, film, tus_as, tmp_path, login_as
):
    srt = tmp_path / "in.srt"
    srt.write_bytes(SRT)
    video = tmp_path / "phone.mp4"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-nostdin", "-y", "-f", "lavfi", "-i",
         "testsrc2=size=320x240:rate=25:duration=3", "-i", str(srt), "-c:v", "libx264",
         "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:s", "mov_text",
         "-metadata:s:s:0", "language=eng", str(video)],
        check=True,
        timeout=60,
    )  # fmt: skip
    tus_as(bearer(client, team[0].user)).send(film.id, video.read_bytes())
    db.session.refresh(film)
    version = film.versions[0]
    assert version.status == VersionStatus.VALID
    (track,) = db.session.scalars(db.select(Subtitle).where(Subtitle.version_id == version.id))
    assert (track.language, track.for_deaf, track.cue_count) == ("en", False, 2)
    page = login_as(team[0].user).get(f"/films/{film.id}").get_data(as_text=True)
    assert "trouvés dans la version 1" in page and 'srclang="en"' in page


def test_visitors_see_a_captioned_film_with_its_tracks_and_nothing_more(
    edition, block, make_valid_film, client, login_as
):
    online = make_valid_film("Sous-titré")
    offline = make_valid_film("Salle seulement", online=False)
    staff = login_as(Role.STAFF)
    for film in (online, offline):
        _add(staff, film, SRT, name="x.fr.srt", language="fr", for_deaf=True)
    for film in (online, offline):
        programme.add_film(block, film)
    programme.publish(edition)
    db.session.commit()

    page = client.get(f"/programme/{edition.year}/films/{online.id}").get_data(as_text=True)
    assert "français (sourds et malentendants)" in page
    track_id = online.subtitles[0].id
    src = f"/medias/films/{online.id}/v1/sous-titres/{track_id}.vtt"
    label = "français (sourds et malentendants)"
    assert f'<track kind="captions" srclang="fr" label="{label}" src="{src}" default>' in page
    assert client.get(src).status_code == 200
    data = json.loads(page.split('<script type="application/ld+json">')[1].split("</script>")[0])
    assert data["@graph"][0]["workPresented"][0]["subtitleLanguage"] == ["fr"]
    assert "sous-titré" in client.get("/programme").get_data(as_text=True)
    items = client.get("/api/v1/programme").get_json()["blocks"][0]["items"]
    assert {i["title"]: i["subtitle_languages"] for i in items} == {
        "Sous-titré": ["fr"],
        "Salle seulement": ["fr"],
    }

    # The film shown only in the hall: its page says it is captioned, its track stays private.
    hidden = offline.subtitles[0].id
    assert client.get(f"/medias/films/{offline.id}/v1/sous-titres/{hidden}.vtt").status_code == 404
    page = client.get(f"/programme/{edition.year}/films/{offline.id}").get_data(as_text=True)
    assert "<track" not in page and "français (sourds et malentendants)" in page


def test_the_projection_offers_the_halls_track_and_the_pack_can_burn_it_in(
    edition, block, make_valid_film, client, login_as, monkeypatch
):
    film = make_valid_film("Cérémonie")
    staff = login_as(Role.STAFF)
    _add(staff, film, SRT, name="x.en.srt", language="en")
    _add(staff, film, SRT, name="x.fr.srt", language="fr", for_deaf=True)
    programme.add_film(block, film)
    programme.publish(edition)
    db.session.commit()
    french = next(s for s in film.subtitles if s.language == "fr")
    projection = staff.get("/equipe/programme/projection").get_data(as_text=True)
    assert f'data-subtitles="/films/{film.id}/sous-titres/{french.id}.vtt"' in projection
    # The title card names the team as the hall may see it: first names and initials.
    team = ", ".join(m.participant.public_name for m in film.members)
    assert f'data-team="Un film de {team}"' in projection
    assert film.members[0].participant.last_name not in projection

    from festival.programme import pack

    burnt = []
    real = pack.normalise_loudness
    monkeypatch.setattr(
        pack,
        "normalise_loudness",
        lambda *a, **k: (burnt.append(k.get("burn_in")), real(*a, **k))[1],
    )
    response = staff.post_form(
        "/equipe/programme/pack", {"burn_subtitles": "1"}, token_page="/equipe/programme"
    )
    assert response.status_code == 302
    assert burnt == [media_path(french.path)]
    assert db.session.scalar(db.select(FilmVersion.id)) is not None


def test_a_teams_new_subtitles_for_a_retained_film_wait_for_staff(
    edition, block, make_valid_film, client, login_as, staff_user
):
    """Added or replaced by the team after the review: neither visitors, the jury nor the pack
    see them until staff approve the film again; the reviewed file stays public meanwhile."""
    from festival.films.models import ReviewDecision
    from festival.films.review import changes_awaiting_approval, decide
    from festival.films.subtitles import hall_track

    film = make_valid_film("Relu")
    staff = login_as(Role.STAFF)
    _add(staff, film, SRT, name="ok.fr.srt", language="fr")  # staff add: reviewed
    programme.add_film(block, film)
    programme.publish(edition)
    db.session.commit()
    (reviewed,) = film.subtitles
    teen = login_as(film.members[0].participant.user or _account(film))
    replaced = SRT.replace(b"Hello", b"Texte jamais relu")
    assert _add(teen, film, replaced, name="new.fr.srt", language="fr").status_code == 302
    _add(teen, film, SRT, name="new.en.srt", language="en")
    db.session.expire_all()
    pending = [s for s in film.subtitles if not s.is_reviewed]
    assert {s.language for s in pending} == {"fr", "en"}
    assert "les sous-titres" in changes_awaiting_approval(film)

    page = client.get(f"/programme/{edition.year}/films/{film.id}").get_data(as_text=True)
    assert page.count("<track") == 1 and f"/sous-titres/{reviewed.id}.vtt" in page
    for subtitle in pending:
        assert (
            client.get(f"/medias/films/{film.id}/v1/sous-titres/{subtitle.id}.vtt").status_code
            == 404
        )
    assert hall_track(film, film.screened_version).id == reviewed.id  # what the pack burns in
    juror = login_as(Role.JURY)
    jury_page = juror.get(f"/jury/films/{film.id}").get_data(as_text=True)
    assert f"/sous-titres/{pending[0].id}.vtt" not in jury_page
    assert juror.get(f"/films/{film.id}/sous-titres/{pending[0].id}.vtt").status_code == 404
    team_page = teen.get(f"/films/{film.id}").get_data(as_text=True)
    assert "en attente de validation" in team_page

    decide(film, ReviewDecision.SELECTED, note="", by=staff_user)  # staff approve it again
    db.session.commit()
    db.session.expire_all()
    assert all(s.is_reviewed for s in film.subtitles)
    assert {s.language for s in film.subtitles} == {"fr", "en"} and reviewed not in film.subtitles
    vtt = client.get(
        f"/medias/films/{film.id}/v1/sous-titres/"
        f"{next(s.id for s in film.subtitles if s.language == 'fr')}.vtt"
    ).get_data(as_text=True)
    assert "Texte jamais relu" in vtt


def _account(film):
    from festival.people.accounts import open_account
    from tests.helpers import PASSWORD

    participant = film.members[0].participant
    open_account(participant, password=PASSWORD)
    db.session.commit()
    return participant.user
