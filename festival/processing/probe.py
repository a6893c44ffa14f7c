"""What a media file holds, read by ffprobe under the allow-lists of ffmpeg.py."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from festival.processing.ffmpeg import CommandFailed, ffprobe_json, packet_times

HDR_TRANSFERS = frozenset({"smpte2084", "arib-std-b67"})  # PQ (HDR10, Dolby Vision) and HLG

# Tags a container needs, or that name the software that wrote it: nothing about a person.
# Every other tag (GPS position, make, model, owner, comment, title, date filmed) is washed.
TECHNICAL_TAGS = frozenset(
    {
        "major_brand",
        "minor_version",
        "compatible_brands",
        "encoder",
        "handler_name",
        "vendor_id",
        "language",
        "duration",
        "rotate",
        "timecode",
        "bps",
        "number_of_frames",
        "number_of_bytes",
    }
)


def personal_tags(tags: dict | None) -> set[str]:
    """The names of the tags that say something of who filmed, where, when or with what."""
    return {
        name
        for name in (tags or {})
        if name.lower() not in TECHNICAL_TAGS and not name.lower().startswith("_statistics")
    }


class ProbeError(Exception):
    """ffprobe could not read the file as a video container of an allowed kind."""

    def __init__(self, message: str, *, timed_out: bool = False):
        super().__init__(message)
        self.message = message
        self.timed_out = timed_out


def _float(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number == number and number >= 0 else None  # drops NaN


def _rate(value: str | None) -> float | None:
    if not value or "/" not in value:
        return _float(value)
    numerator, denominator = value.split("/", 1)
    num, den = _float(numerator), _float(denominator)
    return num / den if num is not None and den else None


_CLOCK = re.compile(r"^(\d+):(\d{2}):(\d{2}(?:\.\d+)?)$")


def _clock_duration(value: str | None) -> float | None:
    """Matroska keeps stream durations as a tag such as 00:04:59.960000000."""
    match = _CLOCK.match((value or "").strip())
    if not match:
        return None
    hours, minutes, seconds = match.groups()
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)


@dataclass(frozen=True)
class StreamInfo:
    index: int
    kind: str  # video, audio, subtitle, data, attachment
    codec: str
    codec_tag: str = ""
    profile: str | None = None
    width: int | None = None
    height: int | None = None
    pix_fmt: str | None = None
    duration: float | None = None
    frame_count: int | None = None
    frame_rate: float | None = None
    rotation: int = 0  # degrees clockwise to display it upright
    color_transfer: str | None = None
    color_primaries: str | None = None
    is_attached_picture: bool = False
    language: str = ""  # as the file tags it (ISO 639-2, "fre"), or ""
    hearing_impaired: bool = False

    @property
    def is_hdr(self) -> bool:
        return self.color_transfer in HDR_TRANSFERS

    @classmethod
    def from_ffprobe(cls, data: dict) -> StreamInfo:
        tags = {k.lower(): v for k, v in (data.get("tags") or {}).items()}
        rotation = 0.0
        for side_data in data.get("side_data_list") or []:
            if "rotation" in side_data:
                rotation = -float(side_data["rotation"])  # ffprobe gives it counter-clockwise
        if not rotation and tags.get("rotate"):
            rotation = float(tags["rotate"])
        frames = data.get("nb_frames")
        return cls(
            index=int(data.get("index", 0)),
            kind=data.get("codec_type") or "unknown",
            codec=data.get("codec_name") or "unknown",
            codec_tag=data.get("codec_tag_string") or "",
            profile=data.get("profile"),
            width=data.get("width"),
            height=data.get("height"),
            pix_fmt=data.get("pix_fmt"),
            duration=_float(data.get("duration")) or _clock_duration(tags.get("duration")),
            frame_count=int(frames) if str(frames or "").isdigit() else None,
            frame_rate=_rate(data.get("avg_frame_rate")) or _rate(data.get("r_frame_rate")),
            rotation=int(round(rotation)) % 360,
            color_transfer=data.get("color_transfer"),
            color_primaries=data.get("color_primaries"),
            is_attached_picture=bool((data.get("disposition") or {}).get("attached_pic")),
            language=str(tags.get("language") or "")[:8],
            hearing_impaired=bool((data.get("disposition") or {}).get("hearing_impaired")),
        )


@dataclass(frozen=True)
class Probe:
    format_names: tuple[str, ...]
    container_duration: float | None
    size: int | None
    streams: tuple[StreamInfo, ...] = field(default_factory=tuple)
    # From the packets themselves (with_packet_span): a header can claim 60 s for 400 s.
    packet_duration: float | None = None
    personal_tags: tuple[str, ...] = ()  # in the container or any stream, sorted

    @property
    def video_streams(self) -> list[StreamInfo]:
        """Real video: cover art stored as a picture stream does not count."""
        return [s for s in self.streams if s.kind == "video" and not s.is_attached_picture]

    @property
    def audio_streams(self) -> list[StreamInfo]:
        return [s for s in self.streams if s.kind == "audio"]

    @property
    def video(self) -> StreamInfo | None:
        videos = self.video_streams
        return videos[0] if videos else None

    @property
    def audio(self) -> StreamInfo | None:
        audios = self.audio_streams
        return audios[0] if audios else None

    @property
    def duration(self) -> float | None:
        """What the audience sits through: the longest of the container and every stream."""
        candidates = [self.container_duration, self.packet_duration] + [
            s.duration for s in self.video_streams + self.audio_streams
        ]
        known = [d for d in candidates if d is not None]
        return max(known) if known else None

    @property
    def rotation(self) -> int:
        return self.video.rotation if self.video else 0

    @property
    def displayed_size(self) -> tuple[int | None, int | None]:
        video = self.video
        if video is None:
            return None, None
        if self.rotation in (90, 270):
            return video.height, video.width
        return video.width, video.height

    @property
    def is_hdr(self) -> bool:
        return bool(self.video and self.video.is_hdr)

    @classmethod
    def from_ffprobe(cls, data: dict) -> Probe:
        fmt = data.get("format") or {}
        streams = data.get("streams") or []
        tags = personal_tags(fmt.get("tags"))
        for stream in streams:
            tags |= personal_tags(stream.get("tags"))
        return cls(
            format_names=tuple((fmt.get("format_name") or "").split(",")),
            container_duration=_float(fmt.get("duration")),
            size=int(fmt["size"]) if str(fmt.get("size") or "").isdigit() else None,
            streams=tuple(StreamInfo.from_ffprobe(s) for s in streams),
            personal_tags=tuple(sorted(tags)),
        )

    def summary(self) -> dict:
        """A JSON-able digest kept with each uploaded version."""
        width, height = self.displayed_size
        return {
            "format": ",".join(self.format_names),
            "duration": self.duration,
            "width": width,
            "height": height,
            "rotation": self.rotation,
            "video_codec": self.video.codec if self.video else None,
            "audio_codec": self.audio.codec if self.audio else None,
            "hdr": self.is_hdr,
        }


def probe(path: Path, *, timeout: float = 30) -> Probe:
    """Read a file's container and streams; ProbeError if it is no allowed video container."""
    try:
        return Probe.from_ffprobe(ffprobe_json(Path(path), timeout=timeout))
    except CommandFailed as failure:
        raise ProbeError(failure.message, timed_out=failure.timed_out) from None
    except ValueError as error:  # unreadable JSON
        raise ProbeError(str(error)) from None


def list_packets(path: Path, *, timeout: float = 30) -> str:
    """Every packet's stream, time and length (see with_packet_span)."""
    try:
        return packet_times(Path(path), timeout=timeout)
    except CommandFailed as failure:
        raise ProbeError(failure.message, timed_out=failure.timed_out) from None


def with_packet_span(report: Probe, listing: str) -> Probe:
    """The report with the duration its video and audio packets really span (read, not
    decoded): the five-minute rule applies to what plays, not to what the header says."""
    played = {s.index for s in report.video_streams + report.audio_streams}
    return replace(report, packet_duration=packet_span(listing, played))


def packet_span(listing: str, streams: set[int]) -> float | None:
    """From ffprobe's `stream_index,pts_time,duration_time` lines: the longest stream's span,
    first packet to the end of its last."""
    starts: dict[int, float] = {}
    ends: dict[int, float] = {}
    for line in listing.splitlines():
        index, _sep, rest = line.partition(",")
        pts, _sep, length = rest.partition(",")
        if not index.isdigit() or int(index) not in streams:
            continue
        start = _float(pts)
        if start is None:
            continue
        stream = int(index)
        end = start + (_float(length) or 0.0)
        starts[stream] = min(starts.get(stream, start), start)
        ends[stream] = max(ends.get(stream, end), end)
    spans = [ends[s] - starts[s] for s in ends]
    return max(spans) if spans else None
