"""Subtitle files in, clean WebVTT out: markup, entities and blocks that are not cues go."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from festival.processing import probe
from festival.processing.ffmpeg import loudness_apply_command, run
from festival.processing.subtitles import (
    MAX_SUBTITLE_BYTES,
    SubtitleError,
    embedded_tracks,
    read_subtitles,
    to_webvtt,
    write_webvtt,
)

SRT = (
    "1\r\n00:00:00,500 --> 00:00:01,500\r\n<i>Bonjour</i> {\\an8}<font color=red>tout</font>"
    " le monde\r\n\r\n2\r\n00:00:01,600 --> 00:00:02,000\r\n[Musique]\r\n\r\n"
    "3\r\n00:00:03,000 --> 00:00:02,000\r\nÀ l'envers\r\n"
)
VTT = """WEBVTT - un en-tête

STYLE
::cue { color: red }

NOTE écrit par l'équipe
sur deux lignes

intro
00:00.500 --> 00:01.500 align:start position:10%
<v Léa>Tom &amp; Léa</v> <c.jaune>partent</c>

00:01.600 --> 00:02.000
<script>alert(1)</script>Fin
"""


def test_an_srt_file_becomes_plain_text_cues():
    cleaned = read_subtitles(SRT.encode())
    assert [(c.start, c.end, c.text) for c in cleaned.cues] == [
        (0.5, 1.5, "Bonjour tout le monde"),
        (1.6, 2.0, "[Musique]"),
    ]
    assert cleaned.skipped == 1  # the cue that ends before it starts


def test_a_webvtt_file_keeps_only_its_cues_without_markup():
    cleaned = read_subtitles(VTT.encode())
    assert [c.text for c in cleaned.cues] == ["Tom & Léa partent", "alert(1)Fin"]
    text = to_webvtt(cleaned.cues)
    assert text.startswith("WEBVTT\n\n00:00:00.500 --> 00:00:01.500\nTom &amp; Léa partent\n")
    assert "<" not in text and "STYLE" not in text and "NOTE" not in text


def test_a_windows_file_is_read_and_written_back_in_utf8(tmp_path):
    data = "1\n00:00:01,000 --> 00:00:02,000\nÉté à la médiathèque\n".encode("cp1252")
    cleaned = read_subtitles(data)
    out = write_webvtt(cleaned.cues, tmp_path / "out.vtt")
    assert "Été à la médiathèque" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty"),
        (b"  \n ", "empty"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "not_subtitles"),
        (b"Ceci est une lettre, pas des sous-titres.\n", "not_subtitles"),
        (b"1\n" * (MAX_SUBTITLE_BYTES // 2 + 1), "too_large"),
    ],
)
def test_what_is_not_a_subtitle_file_is_refused_with_a_reason(data, code):
    with pytest.raises(SubtitleError) as error:
        read_subtitles(data)
    assert error.value.code == code


def _video_with_subtitles(tmp_path: Path) -> Path:
    srt = tmp_path / "inside.srt"
    srt.write_text(SRT, encoding="utf-8")
    path = tmp_path / "with-subs.mp4"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-nostdin", "-y", "-f", "lavfi", "-i",
         "testsrc2=size=320x240:rate=25:duration=3", "-i", str(srt), "-c:v", "libx264",
         "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:s", "mov_text",
         "-metadata:s:s:0", "language=fre", "-disposition:s:0", "hearing_impaired", str(path)],
        check=True,
        timeout=60,
    )  # fmt: skip
    return path


def test_subtitle_streams_inside_a_video_are_found_with_language_and_kind(tmp_path):
    path = _video_with_subtitles(tmp_path)
    (track,) = embedded_tracks(path, probe(path))
    assert track.language == "fr" and track.hearing_impaired
    assert [c.text for c in track.subtitles.cues] == ["Bonjour tout le monde", "[Musique]"]


def test_subtitles_can_be_burnt_into_the_picture(tmp_path, make_video):
    source = make_video("to-burn.mp4", seconds=3, size="320x240", audio=False)
    vtt = write_webvtt(read_subtitles(SRT.encode()).cues, tmp_path / "odd: name'.vtt")
    plain, burnt = tmp_path / "plain.mp4", tmp_path / "burnt.mp4"
    run(loudness_apply_command(source, plain, -23, {}, has_audio=False), timeout=60)
    run(loudness_apply_command(source, burnt, -23, {}, has_audio=False, burn_in=vtt), timeout=60)

    def frame(video: Path) -> bytes:
        return subprocess.run(
            ["ffmpeg", "-v", "error", "-ss", "1", "-i", str(video), "-frames:v", "1",
             "-f", "rawvideo", "-pix_fmt", "gray", "-"],
            capture_output=True, check=True, timeout=30,
        ).stdout  # fmt: skip

    before, after = frame(plain), frame(burnt)
    changed = sum(1 for a, b in zip(before, after, strict=True) if abs(a - b) > 40)
    assert changed > 200  # the words are drawn, not a few pixels of encoding noise
