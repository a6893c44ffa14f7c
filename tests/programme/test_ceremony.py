"""The ceremony night: the screening pack, the printed programme and the projection page."""

import io
import json
import shutil
import subprocess
import zipfile
from xml.etree import ElementTree as ET

import pytest
from pypdf import PdfReader

from festival.auth.models import Role
from festival.extensions import db
from festival.models_base import JobStatus
from festival.processing.loudness import measure_loudness
from festival.programme import services
from festival.programme.models import ItemKind
from festival.programme.pack import latest_pack
from festival.storage import media_path
from tests.media import PHONE_TAGS


@pytest.fixture
def programme(block, make_valid_film):
    loud = make_valid_film("Le cri", seconds=3, volume_db=14)
    quiet = make_valid_film("Le murmure", seconds=3, volume_db=-22)
    silent = make_valid_film("Muet", seconds=2, audio=False)
    services.add_moment(block, kind=ItemKind.WELCOME, title="", duration_seconds=120)
    for film in (loud, quiet, silent):
        services.add_film(block, film)
    db.session.commit()
    return {"loud": loud, "quiet": quiet, "silent": silent}


def test_the_screening_pack_levels_every_film_and_plays_in_vlc(
    app, login_as, edition, programme, tmp_path
):
    staff = login_as(Role.STAFF)
    staff.post_form("/equipe/programme/pack", token_page="/equipe/programme")
    pack = latest_pack(edition)
    assert pack.status == JobStatus.DONE and pack.progress == 100
    state = staff.get("/equipe/programme/pack/etat.json").json
    assert state["status"] == "done" and state["download"]

    response = staff.get(state["download"])
    assert response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = sorted(archive.namelist())
    folder = f"projection-{edition.year}/"
    assert names == [
        folder + n
        for n in (
            "01 - Le cri.mp4",
            "02 - Le murmure.mp4",
            "03 - Muet.mp4",
            "programme.m3u",
            "programme.xspf",
        )
    ]
    archive.extractall(tmp_path)
    target = app.config["SCREENING_LOUDNESS_LUFS"]
    for name in ("01 - Le cri.mp4", "02 - Le murmure.mp4"):
        loudness = measure_loudness(tmp_path / folder / name, target=target)
        assert abs(loudness.integrated - target) <= 1.0, (name, loudness.integrated)
    assert measure_loudness(tmp_path / folder / "03 - Muet.mp4") is None

    playlist = (tmp_path / folder / "programme.m3u").read_text()
    lines = playlist.splitlines()
    assert lines[0] == "#EXTM3U"
    assert lines[2].startswith("#EXTINF:3,") and "Le cri" in lines[2]
    assert lines[3] == "01 - Le cri.mp4"
    tree = ET.parse(tmp_path / folder / "programme.xspf")  # noqa: S314 - our own output
    ns = {"x": "http://xspf.org/ns/0/"}
    assert tree.getroot().tag == "{http://xspf.org/ns/0/}playlist"
    locations = [e.text for e in tree.getroot().findall("x:trackList/x:track/x:location", ns)]
    assert locations == ["01%20-%20Le%20cri.mp4", "02%20-%20Le%20murmure.mp4", "03%20-%20Muet.mp4"]
    assert not (media_path(pack.directory) / "files").exists()


def test_the_pack_carries_nothing_of_the_phone_even_from_the_original(
    app, login_as, edition, block, make_valid_film, make_video, tmp_path
):
    """A film whose web version is not ready goes into the pack from the phone's own file:
    its GPS position, make, model and comment stay behind."""
    film = make_valid_film("Vue du toit", codec="h264", phone_tags=True)
    version = film.current_version
    original = media_path(version.original_path)
    # As stored before the pipeline's wash: the rendition is not ready, the original not washed.
    shutil.copyfile(make_video("pack-gps.mp4", phone_tags=True), original)
    version.report = {k: v for k, v in version.report.items() if k != "washed_at"}
    assert any(tag in json.dumps(probe_tags(original)).lower() for tag in PHONE_TAGS)
    version.rendition_ready_at = None  # the pack falls back to the original
    services.add_film(block, film)
    db.session.commit()
    staff = login_as(Role.STAFF)
    staff.post_form("/equipe/programme/pack", token_page="/equipe/programme")
    response = staff.get(staff.get("/equipe/programme/pack/etat.json").json["download"])
    zipfile.ZipFile(io.BytesIO(response.data)).extractall(tmp_path)
    (packed,) = tmp_path.glob("projection-*/*.mp4")
    tags = json.dumps(probe_tags(packed)).lower()
    assert not any(tag.lower() in tags for tag in PHONE_TAGS), tags


def probe_tags(path) -> dict:
    """Every tag of the container and its streams, as ffprobe reads them."""
    completed = subprocess.run(  # noqa: S603
        ["ffprobe", "-v", "error", "-show_entries", "format_tags:stream_tags", "-of", "json",
         str(path)],
        capture_output=True, check=True, timeout=30,
    )  # fmt: skip
    return json.loads(completed.stdout)


def test_the_pack_refuses_an_empty_programme_with_a_reason(login_as, edition, block):
    staff = login_as(Role.STAFF)
    staff.post_form("/equipe/programme/pack", token_page="/equipe/programme")
    pack = latest_pack(edition)
    assert pack.status == JobStatus.FAILED
    assert "aucun film" in pack.error


def test_the_printed_programme_lists_times_titles_and_teams(
    client, login_as, edition, block, programme
):
    draft = login_as(Role.STAFF).get("/equipe/programme/programme.pdf")
    assert draft.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(draft.data))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert edition.title in text and "Première séance" in text
    assert "Le cri" in text and "Le murmure" in text and "Accueil" in text
    assert block.starts_at.strftime("%H:%M") in text
    member = programme["loud"].members[0].participant
    assert f"{member.first_name} {member.last_name[0]}." in text
    assert member.last_name not in text
    assert reader.pages[0].mediabox.width == pytest.approx(595, abs=1)  # A4
    assert client.get(f"/programme/{edition.year}/programme.pdf").status_code == 404
    services.publish(edition)
    db.session.commit()
    assert client.get(f"/programme/{edition.year}/programme.pdf").mimetype == "application/pdf"


def test_projection_mode_lists_the_programme_in_order(login_as, programme):
    html = login_as(Role.STAFF).get("/equipe/programme/projection").get_data(as_text=True)
    order = [html.index(f'data-title="{t}"') for t in ("Le cri", "Le murmure", "Muet")]
    assert order == sorted(order)
    assert 'data-kind="moment"' in html and "/static/js/projection." in html
