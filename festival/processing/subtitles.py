"""Subtitle files: SRT or WebVTT in, clean WebVTT out, and the text tracks inside a video.

A team's file is hostile like any upload: it is decoded (UTF-8, else Windows-1252), parsed
(pysubs2), stripped of every markup (styles, positions, HTML tags, entities) and written
again as plain WebVTT, so that what a browser reads is only timed text.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

import pysubs2

from festival.processing.ffmpeg import CommandFailed, run, subtitle_track_command
from festival.processing.files import atomic_path
from festival.processing.probe import Probe

MAX_SUBTITLE_BYTES = 512 * 1024
MAX_CUES = 5000
MAX_CUE_CHARACTERS = 500
TEXT_SUBTITLE_CODECS = frozenset({"subrip", "srt", "mov_text", "webvtt", "ass", "ssa", "text"})
# ISO 639-2 codes in video files, to the two letters pages and <track srclang> use.
LANGUAGE_CODES = {
    "fre": "fr", "fra": "fr", "eng": "en", "spa": "es", "ger": "de", "deu": "de",
    "ita": "it", "por": "pt", "ara": "ar", "tur": "tr", "pol": "pl", "rus": "ru",
    "ukr": "uk", "chi": "zh", "zho": "zh", "bre": "br",
}  # fmt: skip


class SubtitleError(ValueError):
    """The file is no usable subtitle file; `code` names why (the web layer words it)."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Cue:
    start: float  # seconds
    end: float
    text: str  # plain text, lines separated by \n


@dataclass
class CleanSubtitles:
    cues: list[Cue]
    skipped: int = 0  # cues without text or with no duration, left out

    @property
    def last_end(self) -> float:
        return max((cue.end for cue in self.cues), default=0.0)


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SubtitleError("unreadable")


_VTT_BLOCK = re.compile(r"^(NOTE|STYLE|REGION)\b")
_TAG = re.compile(r"<[^>]*>|\{\\[^}]*\}")


def _without_vtt_extras(text: str) -> str:
    """A WebVTT file's header, NOTE, STYLE and REGION blocks go: only cues are left."""
    blocks = re.split(r"\n\s*\n", text)
    kept = [b for b in blocks[1:] if b.strip() and not _VTT_BLOCK.match(b.strip())]
    return "\n\n".join(kept) + "\n"


def _plain(text: str) -> str:
    lines = []
    for line in _TAG.sub("", html.unescape(text)).split("\n"):
        line = " ".join(line.split())
        if line:
            lines.append(line[:MAX_CUE_CHARACTERS])
    return "\n".join(lines)


def read_subtitles(data: bytes) -> CleanSubtitles:
    """The cues of an SRT or WebVTT file, as plain text. Raises SubtitleError."""
    if not data.strip():
        raise SubtitleError("empty")
    if len(data) > MAX_SUBTITLE_BYTES:
        raise SubtitleError("too_large", max_kib=MAX_SUBTITLE_BYTES // 1024)
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SubtitleError("not_subtitles")  # a picture, a video, a document: not text
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        data = data.decode("utf-16").encode("utf-8")  # what Windows' Notepad calls Unicode
    text = _decode(data).replace("\r\n", "\n").replace("\r", "\n")
    is_vtt = text.lstrip().startswith("WEBVTT")
    if is_vtt:
        text = _without_vtt_extras(text.lstrip())
    try:
        parsed = pysubs2.SSAFile.from_string(text, format_="vtt" if is_vtt else "srt")
    except Exception:  # pysubs2 raises several kinds on garbage  # noqa: BLE001
        raise SubtitleError("not_subtitles") from None
    cues, skipped = [], 0
    for event in parsed:
        plain = _plain(event.plaintext)
        if not plain or event.end <= event.start or event.start < 0:
            skipped += 1
            continue
        cues.append(Cue(event.start / 1000, event.end / 1000, plain))
    if not cues:
        raise SubtitleError("not_subtitles")
    if len(cues) > MAX_CUES:
        raise SubtitleError("too_many", max=MAX_CUES)
    cues.sort(key=lambda cue: (cue.start, cue.end))
    return CleanSubtitles(cues, skipped)


def _timestamp(seconds: float) -> str:
    millis = round(seconds * 1000)
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_webvtt(cues: list[Cue]) -> str:
    blocks = ["WEBVTT", ""]
    for cue in cues:
        blocks += [f"{_timestamp(cue.start)} --> {_timestamp(cue.end)}", _escape(cue.text), ""]
    return "\n".join(blocks)


def write_webvtt(cues: list[Cue], out_path: Path) -> Path:
    with atomic_path(Path(out_path)) as temporary:
        temporary.write_text(to_webvtt(cues), encoding="utf-8")
    return Path(out_path)


@dataclass(frozen=True)
class EmbeddedTrack:
    """A text subtitle stream found inside an upload."""

    stream_index: int
    language: str  # two letters, or "" when the file does not say
    hearing_impaired: bool
    subtitles: CleanSubtitles


def embedded_tracks(path: Path, probe: Probe, *, timeout: float = 60) -> list[EmbeddedTrack]:
    """The text subtitle streams of a video, each read and cleaned like an uploaded file.
    Picture subtitles (DVD, Blu-ray) and unreadable streams are left out."""
    tracks = []
    for stream in probe.streams:
        if stream.kind != "subtitle" or stream.codec not in TEXT_SUBTITLE_CODECS:
            continue
        try:
            output = run(subtitle_track_command(path, stream.index), timeout=timeout).stdout
            subtitles = read_subtitles(output)
        except (CommandFailed, SubtitleError):
            continue
        code = stream.language.lower()
        language = LANGUAGE_CODES.get(code) or (code if len(code) == 2 else "")
        tracks.append(EmbeddedTrack(stream.index, language, stream.hearing_impaired, subtitles))
    return tracks
