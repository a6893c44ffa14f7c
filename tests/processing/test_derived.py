"""Thumbnails and browser renditions, made the right way up and never half-written."""

import subprocess
from pathlib import Path

import pytest
from PIL import Image

from festival.processing import probe, renditions, thumbnails
from festival.processing.ffmpeg import CommandFailed
from festival.processing.renditions import is_browser_ready, make_rendition
from festival.processing.thumbnails import candidate_times, make_thumbnails, thumbnails_from_still


def top_level_boxes(path: Path) -> list[bytes]:
    data = path.read_bytes()
    boxes, offset = [], 0
    while offset + 8 <= len(data):
        size = int.from_bytes(data[offset : offset + 4], "big")
        boxes.append(data[offset + 4 : offset + 8])
        offset += size if size else len(data)
    return boxes


def test_candidates_spread_over_the_film_away_from_its_ends():
    times = candidate_times(100.0, 8)
    assert len(times) == 8 and times[0] == 5.0 and times[-1] == 95.0


def test_thumbnails_come_in_several_sizes_as_webp_and_jpeg(make_video, tmp_path):
    path = make_video("thumbs.mp4", seconds=3, size="1280x720")
    thumbnails = make_thumbnails(path, tmp_path, probe(path))
    assert len(thumbnails) == 4
    first = thumbnails[0]
    assert set(first.files) == {
        "320.webp",
        "320.jpeg",
        "640.webp",
        "640.jpeg",
        "1280.webp",
        "1280.jpeg",
    }
    with Image.open(first.files["640.webp"]) as image:
        assert image.format == "WEBP" and image.size == (640, 360)
    with Image.open(first.files["320.jpeg"]) as image:
        assert image.format == "JPEG"
    assert not list(tmp_path.glob("*.partial"))


def _film_with_keyframes_every(path: Path, seconds: int, keyint: str) -> Path:
    subprocess.run(
        ["ffmpeg", "-v", "error", "-nostdin", "-y", "-f", "lavfi", "-i",
         f"testsrc2=size=320x240:rate=25:duration={seconds}", "-c:v", "libx264",
         "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-x264-params", f"keyint={keyint}",
         str(path)],
        check=True,
        timeout=60,
    )  # fmt: skip
    return path


@pytest.mark.parametrize("keyint", ["infinite", "100"])
def test_thumbnails_are_distinct_frames_whatever_the_keyframes(tmp_path, keyint):
    """Candidates first take the next keyframe (fast); a film with one keyframe, or with one
    every four seconds for eight candidates over ten, is decoded exactly where needed."""
    path = _film_with_keyframes_every(tmp_path / f"gop-{keyint}.mp4", 10, keyint)
    thumbnails = make_thumbnails(path, tmp_path / "out", probe(path))
    assert len(thumbnails) == 4
    pictures = {t.files["320.webp"].read_bytes() for t in thumbnails}
    assert len(pictures) == 4


def test_keyframes_enough_for_the_thumbnails_are_not_decoded_again(tmp_path, monkeypatch):
    """Keyframes every 2 s over 20 s: the candidates come from one pass over keyframes, and no
    group of pictures is decoded exactly, although some candidates share a keyframe."""
    path = _film_with_keyframes_every(tmp_path / "gop-50.mp4", 20, "50")
    assert _exact_decodes_for_four_distinct_thumbnails(path, tmp_path, monkeypatch) == []


def test_only_the_pictures_still_missing_are_decoded_exactly(tmp_path, monkeypatch):
    """Keyframes at 0 and 10 s of a 20 s film (x265's default spacing is 8 s), on 2 cores: the
    candidates before 10 s take the keyframe at 0 and the others the one at 10 s, and only the
    two pictures still needed for four are decoded exactly, not the six candidates left.
    (ffmpeg's default frame rate mode dropped the keyframe before a time: three were.)"""
    path = _film_with_keyframes_every(tmp_path / "gop-250.mp4", 20, "250")
    monkeypatch.setattr(thumbnails.os, "cpu_count", lambda: 2)
    assert len(_exact_decodes_for_four_distinct_thumbnails(path, tmp_path, monkeypatch)) == 2


def _exact_decodes_for_four_distinct_thumbnails(path: Path, tmp_path: Path, monkeypatch):
    """The times decoded exactly while making the thumbnails, which must be four distinct."""
    exact = []
    real = thumbnails._exact_frame
    monkeypatch.setattr(
        thumbnails, "_exact_frame", lambda *a, **k: exact.append(a[1]) or real(*a, **k)
    )
    made = make_thumbnails(path, tmp_path / "out", probe(path))
    assert len(made) == 4 and len({t.files["320.webp"].read_bytes() for t in made}) == 4
    return exact


def test_black_frames_are_skipped(make_video, tmp_path):
    # The first half of this film is black, as after a fade-in.
    path = make_video("fade.mp4", seconds=4, vf="drawbox=color=black:t=fill:enable='lt(t,2)'")
    thumbnails = make_thumbnails(path, tmp_path, probe(path))
    assert thumbnails and all(t.at_seconds >= 2 for t in thumbnails)


def test_portrait_thumbnails_are_upright(make_video, tmp_path):
    path = make_video("portrait-thumbs.mov", codec="hevc", size="320x176", rotation=90)
    thumbnails = make_thumbnails(path, tmp_path, probe(path))
    assert (thumbnails[0].width, thumbnails[0].height) == (176, 320)


def test_a_chosen_still_becomes_a_thumbnail_and_a_fake_one_is_refused(tmp_path):
    still = tmp_path / "affiche.png"
    Image.new("RGB", (800, 1200), "orange").save(still)
    thumbnail = thumbnails_from_still(still, tmp_path / "out", 9)
    assert "640.webp" in thumbnail.files and (thumbnail.width, thumbnail.height) == (800, 1200)
    fake = tmp_path / "fake.png"
    fake.write_text("<svg onload=alert(1)>")
    with pytest.raises(OSError):
        thumbnails_from_still(fake, tmp_path / "out", 10)


def test_a_browser_ready_upload_is_remuxed_with_faststart(make_video, tmp_path):
    path = make_video("ready.mp4", seconds=2, faststart=False)
    report = probe(path)
    assert is_browser_ready(report)
    rendition = make_rendition(path, tmp_path / "web.mp4", report)
    assert rendition.remuxed
    boxes = top_level_boxes(rendition.path)
    assert boxes.index(b"moov") < boxes.index(b"mdat")
    assert probe(rendition.path).summary()["duration"] == pytest.approx(2.0, abs=0.1)


def test_a_remux_writes_its_index_first_in_one_pass_and_falls_back_to_faststart(
    make_video, tmp_path, monkeypatch
):
    path = make_video("ready.mp4", seconds=2, faststart=False)
    report = probe(path)
    commands = []
    real_run = renditions.run_with_progress

    def recording(command, **kwargs):
        commands.append(command)
        return real_run(command, **kwargs)

    monkeypatch.setattr(renditions, "run_with_progress", recording)
    one_pass = make_rendition(path, tmp_path / "one-pass.mp4", report)
    assert "-moov_size" in commands[0] and "+faststart" not in commands[0]
    boxes = top_level_boxes(one_pass.path)
    assert boxes.index(b"moov") < boxes.index(b"mdat")
    # Room too small for the index: ffmpeg refuses, and faststart does it in two passes.
    commands.clear()
    monkeypatch.setattr(renditions, "index_reserve", lambda _path: 64)
    again = make_rendition(path, tmp_path / "faststart.mp4", report)
    assert len(commands) == 2 and "+faststart" in commands[1]
    boxes = top_level_boxes(again.path)
    assert boxes.index(b"moov") < boxes.index(b"mdat")
    assert probe(again.path).summary()["duration"] == pytest.approx(2.0, abs=0.1)
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")] == []


def test_an_iphone_portrait_film_is_encoded_upright_in_h264(make_video, tmp_path):
    path = make_video("iphone.mov", codec="hevc", size="320x176", rotation=90)
    report = probe(path)
    assert not is_browser_ready(report)
    progress = []
    rendition = make_rendition(path, tmp_path / "web.mp4", report, on_progress=progress.append)
    assert not rendition.remuxed
    result = probe(rendition.path)
    video = result.video
    assert (video.codec, video.profile, video.pix_fmt) == ("h264", "High", "yuv420p")
    assert result.rotation == 0 and result.displayed_size == (176, 320)
    assert result.audio.codec == "aac"
    assert progress and progress[-1] == 1.0
    boxes = top_level_boxes(rendition.path)
    assert boxes.index(b"moov") < boxes.index(b"mdat")


def test_hdr_is_tone_mapped_to_sdr(make_video, tmp_path):
    path = make_video("hdr-render.mov", codec="hevc", hdr=True, seconds=1)
    rendition = make_rendition(path, tmp_path / "web.mp4", probe(path))
    result = probe(rendition.path)
    assert not result.is_hdr and result.video.pix_fmt == "yuv420p"


def test_renditions_are_at_most_1080p(make_video, tmp_path):
    path = make_video("qhd.webm", codec="vp9", size="2560x1440", seconds=0.5, audio=False)
    rendition = make_rendition(path, tmp_path / "web.mp4", probe(path))
    result = probe(rendition.path)
    assert result.displayed_size == (1920, 1080) and result.audio is None


def test_a_failed_encode_leaves_no_file_behind(make_video, tmp_path):
    path = make_video("to-fail.mkv", codec="vp8", seconds=1)
    target = tmp_path / "web.mp4"
    with pytest.raises(CommandFailed):
        make_rendition(path, target, probe(path), timeout=0.001)
    assert list(tmp_path.iterdir()) == []


def test_a_demo_film_with_a_cameras_grain_has_stills_as_heavy_as_footage(tmp_path):
    # The poster phones download is the 640 WebP.
    """`flask demo --phone-films`: test patterns alone make stills a fraction of a real
    film's; with grain they weigh what footage does (for the phone benchmark)."""
    from festival.demo import PHONE_GRAIN
    from festival.processing.ffmpeg import run, synthetic_film_commands

    weights = {}
    for grain in (0, PHONE_GRAIN):
        film = tmp_path / f"grain-{grain}.mp4"
        for command in synthetic_film_commands(
            film, source="testsrc2", seconds=1, size="1920x1080", volume_db=None,
            portrait=False, grain=grain,
        ):  # fmt: skip
            run(command, timeout=120)
        stills = make_thumbnails(film, tmp_path / f"stills-{grain}", probe(film), keep=1)
        weights[grain] = stills[0].files["640.webp"].stat().st_size
    assert weights[PHONE_GRAIN] > 2 * weights[0], weights  # 25 KiB against 10 KiB when written
