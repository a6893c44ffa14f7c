"""The check accepts what phones produce and refuses everything else, with a reason."""

import http.server
import shutil
import struct
import subprocess
import threading
from pathlib import Path

import pytest

from festival.formatting import human_duration
from festival.processing import Rules, check, check_file, probe
from festival.processing.checks import check_file_and
from festival.processing.probe import Probe, ProbeError, StreamInfo

FIVE_MINUTES = Rules()
SHORT = Rules(max_duration=2.0, duration_tolerance=0.25)


def codes(report) -> list[str]:
    return [p.code for p in report.problems]


@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("h264.mp4", {}),
        ("iphone-hevc-portrait.mov", {"codec": "hevc", "size": "320x176", "rotation": 90}),
        ("hdr-hlg.mov", {"codec": "hevc", "hdr": True}),
        ("android.3gp", {"size": "176x144"}),
        ("vp8.webm", {"codec": "vp8"}),
        ("vp9.webm", {"codec": "vp9"}),
        ("av1.mkv", {"codec": "av1"}),
        ("moov-at-end.mp4", {"faststart": False}),
        ("silent.mp4", {"audio": False}),
        ("vfr.mp4", {"vf": "setpts='if(lt(N,20),N/25,N/12)/TB'"}),
    ],
)
def test_what_phones_produce_is_accepted(make_video, name, options):
    report = check_file(make_video(name, **options), FIVE_MINUTES)
    assert report.ok, report.to_json()
    assert report.problems == []
    assert report.to_json()["duration"] > 1.5


def test_portrait_is_measured_as_displayed(make_video):
    report = check_file(make_video("portrait.mov", codec="hevc", size="320x176", rotation=90))
    summary = report.to_json()
    assert (summary["width"], summary["height"]) == (176, 320)
    assert summary["rotation"] in (90, 270)
    assert summary["video_codec"] == "hevc"


def test_hdr_is_recognised(make_video):
    assert check_file(make_video("hdr.mov", codec="hevc", hdr=True)).to_json()["hdr"] is True


def test_the_longest_stream_sets_the_length(make_video):
    # Two seconds of picture, three of sound: the audience sits through three.
    path = make_video("long-sound.mp4", seconds=2, audio_seconds=3)
    report = check_file(path, Rules(max_duration=2.5, duration_tolerance=0.25))
    assert codes(report) == ["too_long"]
    assert "3 s" in report.problems[0].message
    assert "2,5 s" in report.problems[0].message


def _claim_shorter(path: Path, seconds: int) -> Path:
    """The same MP4 whose headers (mvhd, mdhd, tkhd) claim `seconds`: what plays is unchanged."""
    data = bytearray(path.read_bytes())
    for box in (b"mvhd", b"mdhd", b"tkhd"):
        at = data.find(box)
        while at >= 0:
            body = at + 4
            assert data[body] == 0  # version 0: 32-bit fields
            if box == b"tkhd":  # in the movie's timescale (1000 here)
                struct.pack_into(">I", data, body + 20, seconds * 1000)
            else:
                timescale = struct.unpack_from(">I", data, body + 12)[0]
                struct.pack_into(">I", data, body + 16, seconds * timescale)
            at = data.find(box, at + 4)
    forged = path.with_name("forged-" + path.name)
    forged.write_bytes(bytes(data))
    return forged


def test_the_limit_is_on_what_plays_not_on_what_the_header_claims(make_video):
    """Eight seconds of packets behind headers that claim two: refused as too long."""
    forged = _claim_shorter(make_video("eight-seconds.mp4", seconds=8), 2)
    assert probe(forged).container_duration == pytest.approx(2.0)
    report = check_file(forged, Rules(max_duration=5.0, duration_tolerance=0.25))
    assert codes(report) == ["too_long"]
    assert report.to_json()["duration"] == pytest.approx(8.0, abs=0.3)


def test_the_tolerance_absorbs_encoder_padding(make_video):
    path = make_video("two-seconds.mp4", seconds=2.2, audio=False)
    assert check_file(path, SHORT).ok
    assert codes(check_file(path, Rules(max_duration=2.0, duration_tolerance=0.0))) == ["too_long"]


def test_the_five_minute_message_gives_both_lengths_in_minutes_and_seconds():
    video = StreamInfo(index=0, kind="video", codec="h264", width=1920, height=1080, duration=312.0)
    report = Probe(format_names=("mov",), container_duration=312.4, size=1, streams=(video,))
    [problem] = check(report, FIVE_MINUTES)
    assert problem.code == "too_long"
    assert problem.message.startswith("Le film dure 5 min 12,4 s, plus que la limite de 5 min 00 s")
    assert (
        check(
            Probe(("mov",), 300.2, 1, (video.__class__(0, "video", "h264", duration=300.2),)),
            FIVE_MINUTES,
        )
        == []
    )


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(300, "5 min 00 s"), (63.04, "1 min 03 s"), (299.96, "5 min 00 s"), (300.4, "5 min 00,4 s")],
)
def test_durations_read_in_minutes_and_seconds(seconds, text):
    assert human_duration(seconds) == text


def test_an_audio_file_is_refused(make_video, tmp_path):
    sound = tmp_path / "song.m4a"
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            "sine=frequency=440:duration=1",
            "-c:a",
            "aac",
            str(sound),
        ],
        check=True,
    )
    assert codes(check_file(sound)) == ["audio_only"]
    disguised = tmp_path / "song.mp4"
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-y",
            "-i",
            str(sound),
            "-c",
            "copy",
            "-f",
            "mp4",
            "-brand",
            "isom",
            str(disguised),
        ],
        check=True,
    )
    report = check_file(disguised)
    assert codes(report) == ["audio_only"] and "que du son" in report.problems[0].message


def test_a_still_image_is_refused_whatever_its_name(make_video, tmp_path):
    picture = tmp_path / "holiday.mp4"
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            "testsrc2=size=64x64",
            "-frames:v",
            "1",
            "-f",
            "image2",
            "-c:v",
            "png",
            str(picture),
        ],
        check=True,
    )
    assert codes(check_file(picture)) == ["still_image"]
    one_frame = make_video("one-frame.mp4", audio=False, frames=1)
    assert codes(check_file(one_frame)) == ["still_image"]


def test_a_truncated_upload_is_refused(make_video, tmp_path):
    whole = make_video("whole.mp4", seconds=3).read_bytes()
    half = tmp_path / "half.mp4"
    half.write_bytes(whole[: len(whole) // 2])
    assert codes(check_file(half)) == ["truncated"]
    moov_at_end = make_video("whole-moov-end.mp4", seconds=3, faststart=False).read_bytes()
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(moov_at_end[: len(moov_at_end) // 2])
    assert not check_file(cut).ok
    webm = make_video("whole.webm", codec="vp8", seconds=3).read_bytes()
    cut_webm = tmp_path / "cut.webm"
    cut_webm.write_bytes(webm[: len(webm) // 2])
    assert codes(check_file(cut_webm)) == ["truncated"]


def test_empty_text_and_random_files_are_refused(tmp_path):
    empty = tmp_path / "empty.mp4"
    empty.write_bytes(b"")
    assert codes(check_file(empty)) == ["empty_file"]
    text = tmp_path / "notes.mov"
    text.write_text("Ceci n'est pas un film.\n")
    assert codes(check_file(text)) == ["not_a_video"]
    noise = tmp_path / "noise.mkv"
    noise.write_bytes(bytes(range(256)) * 64)
    assert codes(check_file(noise)) == ["not_a_video"]


def test_too_large_dimensions_are_refused_before_decoding(make_video):
    wide = make_video("wide.mp4", size="4112x32", seconds=0.5, audio=False)
    report = check_file(wide)
    assert codes(report) == ["too_large"]
    assert "4112 × 32" in report.problems[0].message


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):  # noqa: N802
        _Recorder.requests.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def listener():
    _Recorder.requests = []
    server = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    "content",
    [
        "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\n{url}/segment.ts\n#EXTINF:10,\n"
        "file:/etc/passwd\n#EXT-X-ENDLIST\n",
        "ffconcat version 1.0\nfile '{url}/a.mp4'\nfile '/etc/passwd'\n",
        "[playlist]\nFile1={url}/radio\nNumberOfEntries=1\n",
    ],
    ids=["hls", "concat", "pls"],
)
def test_playlists_fetch_and_read_nothing(listener, tmp_path, content):
    hostile = tmp_path / "film.mp4"
    hostile.write_text(content.format(url=listener))
    assert codes(check_file(hostile)) == ["not_a_video"]
    # Even handed straight to ffprobe, past the byte sniffing, the allow-lists refuse it.
    with pytest.raises(ProbeError):
        probe(hostile)
    assert _Recorder.requests == []


def test_a_hostile_file_name_is_only_a_name(make_video, tmp_path):
    odd = tmp_path / "-i x; rm -rf ~.mp4"
    shutil.copy(make_video("plain.mp4"), odd)
    assert check_file(odd).ok


def test_a_probe_that_runs_too_long_is_stopped(make_video):
    report = check_file(make_video("plain.mp4"), Rules(probe_timeout=0.0001))
    assert codes(report) == ["timeout"]


def test_processing_knows_nothing_of_flask():
    package = Path(__file__).resolve().parents[2] / "festival" / "processing"
    for source in package.glob("*.py"):
        text = source.read_text()
        assert "import flask" not in text.lower() and "from flask" not in text.lower(), source
        assert "festival.extensions" not in text and "festival.models" not in text, source


def test_the_thumbnails_are_made_while_the_packets_are_listed_and_kept_only_if_they_agree(
    make_video,
):
    """check_file_and runs the thumbnails on the header's probe beside the packet listing: a
    header that lies still gets its thumbnails made, and the verdict says to throw them away."""
    honest = make_video("honest.mp4", seconds=2)
    forged = _claim_shorter(make_video("eight-seconds-again.mp4", seconds=8), 2)
    rules = Rules(max_duration=5.0, duration_tolerance=0.25)
    seen = []
    report, made = check_file_and(honest, rules, lambda probed: seen.append(probed) or "made")
    assert report.ok and made == "made" and seen[0].container_duration == pytest.approx(2, abs=0.1)
    report, made = check_file_and(forged, rules, lambda probed: "made")
    assert codes(report) == ["too_long"] and made == "made"  # the caller throws them away
    too_long = make_video("nine-seconds.mp4", seconds=9)
    report, made = check_file_and(too_long, rules, lambda probed: pytest.fail("made for nothing"))
    assert codes(report) == ["too_long"] and made is None  # the header alone refuses it


def test_what_waits_for_the_packets_starts_once_they_pass_and_before_the_verdict_returns(
    make_video,
):
    """A remux starts once every packet is listed and passes (on the whole probe, not the
    header's word), not for a file the packets or the header refuse; it has been started
    before check_file_and returns, even when the thumbnails failed, so the caller stops it."""
    honest = make_video("honest.mp4", seconds=2)
    forged = _claim_shorter(make_video("eight-seconds-again.mp4", seconds=8), 2)
    too_long = make_video("nine-seconds.mp4", seconds=9)
    rules = Rules(max_duration=5.0, duration_tolerance=0.25)
    passed = []
    report, _made = check_file_and(honest, rules, lambda probed: "made", passed.append)
    assert report.ok and len(passed) == 1
    assert passed[0].packet_duration == pytest.approx(2, abs=0.1)  # measured, not claimed
    for refused_file in (forged, too_long):
        passed.clear()
        report, _made = check_file_and(refused_file, rules, lambda probed: "made", passed.append)
        assert codes(report) == ["too_long"] and passed == []

    def thumbnails_that_fail(probed):
        raise OSError("no room left for the thumbnails")

    passed.clear()
    with pytest.raises(OSError, match="no room"):
        check_file_and(honest, rules, thumbnails_that_fail, passed.append)
    assert len(passed) == 1  # started, and known to the caller that must stop it
