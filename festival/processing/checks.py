"""Is this upload a film the festival can screen? Rules in, problems out.

Messages are French source strings; the web layer translates them by their code.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from festival.formatting import human_duration
from festival.processing.containers import is_truncated, sniff
from festival.processing.probe import Probe, ProbeError, list_packets, probe, with_packet_span
from festival.processing.renditions import is_browser_ready


def N_(message: str) -> str:  # noqa: N802 - the usual marker for strings translated later
    return message


PROBLEM_MESSAGES = {
    "empty_file": N_("Le fichier est vide : envoyez à nouveau votre film."),
    "not_a_video": N_(
        "Ce fichier n'est pas une vidéo lisible. Exportez votre film depuis votre application "
        "de montage (MP4, MOV, 3GP, WebM ou MKV) et envoyez ce fichier-là."
    ),
    "truncated": N_(
        "Le fichier est incomplet : l'envoi ou la copie s'est interrompu en route. Envoyez-le "
        "à nouveau depuis le fichier d'origine."
    ),
    "audio_only": N_(
        "Ce fichier ne contient que du son, pas d'image. Envoyez la vidéo de votre film."
    ),
    "still_image": N_(
        "Ce fichier est une image fixe, pas un film. Envoyez la vidéo exportée de votre montage."
    ),
    "too_long": N_(
        "Le film dure %(duration)s, plus que la limite de %(limit)s. Raccourcissez-le au "
        "montage, puis envoyez-le à nouveau."
    ),
    "too_large": N_(
        "L'image fait %(width)s × %(height)s pixels, au-delà de %(max)s pixels de côté. "
        "Exportez le film en 4K ou moins."
    ),
    "unsupported_codec": N_(
        "La vidéo est encodée en « %(codec)s », un format que nous ne savons pas lire. "
        "Exportez-la en H.264 ou HEVC (le réglage habituel des téléphones)."
    ),
    "unknown_duration": N_(
        "Impossible de mesurer la durée du film : le fichier est sans doute abîmé. "
        "Exportez-le à nouveau."
    ),
    "timeout": N_(
        "L'analyse du fichier a pris trop de temps : il est sans doute abîmé. Exportez-le à "
        "nouveau, ou demandez de l'aide à l'équipe."
    ),
}

ACCEPTED_VIDEO_CODECS = frozenset({"h264", "hevc", "vp8", "vp9", "av1", "mpeg4", "h263"})


@dataclass(frozen=True)
class Problem:
    code: str
    params: dict = field(default_factory=dict)

    @property
    def template(self) -> str:
        return PROBLEM_MESSAGES[self.code]

    @property
    def message(self) -> str:
        return self.template % self.params if self.params else self.template

    def to_json(self) -> dict:
        return {"code": self.code, "message": self.message, "params": self.params}


@dataclass(frozen=True)
class Rules:
    """Configurable limits: the edition sets the duration and its tolerance."""

    max_duration: float = 300.0
    duration_tolerance: float = 0.25
    max_side: int = 4096
    probe_timeout: float = 30.0

    @property
    def longest_accepted(self) -> float:
        return self.max_duration + self.duration_tolerance

    def is_over_length(self, duration: float) -> bool:
        return duration > self.longest_accepted


def check(report: Probe, rules: Rules) -> list[Problem]:
    """The problems that keep this probed file from being screened; empty when accepted."""
    video = report.video
    if video is None:
        return [Problem("audio_only" if report.audio_streams else "not_a_video")]
    problems = []
    if video.codec not in ACCEPTED_VIDEO_CODECS:
        problems.append(Problem("unsupported_codec", {"codec": video.codec}))
    width, height = report.displayed_size
    if width and height and max(width, height) > rules.max_side:
        problems.append(
            Problem("too_large", {"width": width, "height": height, "max": rules.max_side})
        )
    if video.frame_count == 1 or video.codec in ("png", "mjpeg", "bmp", "gif", "webp"):
        problems.append(Problem("still_image"))
    duration = report.duration
    if duration is None:
        problems.append(Problem("unknown_duration"))
    elif rules.is_over_length(duration):
        problems.append(
            Problem(
                "too_long",
                {
                    "duration": human_duration(duration),
                    "limit": human_duration(rules.max_duration),
                },
            )
        )
    return problems


@dataclass
class VideoReport:
    """The verdict on one file, as check-video prints it and as a version keeps it."""

    ok: bool
    problems: list[Problem]
    probe: Probe | None = None

    def to_json(self) -> dict:
        summary = self.probe.summary() if self.probe else {}
        return {
            "ok": self.ok,
            "duration": round(summary["duration"], 3) if summary.get("duration") else None,
            "width": summary.get("width"),
            "height": summary.get("height"),
            "rotation": summary.get("rotation"),
            "format": summary.get("format"),
            "video_codec": summary.get("video_codec"),
            "audio_codec": summary.get("audio_codec"),
            "hdr": summary.get("hdr"),
            # Browsers play it as uploaded: the team's player needs not wait for the rendition.
            "browser_ready": bool(self.probe and is_browser_ready(self.probe)),
            # Names only (location, make, model…): the original is washed of them.
            "personal_tags": list(self.probe.personal_tags) if self.probe else [],
            "problems": [p.to_json() for p in self.problems],
        }


def refused(code: str, **params) -> VideoReport:
    return VideoReport(ok=False, problems=[Problem(code, params)])


def check_file(path: Path, rules: Rules | None = None) -> VideoReport:
    """Check an uploaded file end to end: its bytes, its container, then the festival's rules."""
    return check_file_and(path, rules, None)[0]


Made = TypeVar("Made")


def check_file_and(
    path: Path,
    rules: Rules | None,
    meanwhile: Callable[[Probe], Made] | None,
    once_passed: Callable[[Probe], None] | None = None,
) -> tuple[VideoReport, Made | None]:
    """check_file, and `meanwhile` (the thumbnails) run on the header's probe while every
    packet is listed, once the header passes the rules: the listing takes one core for a
    fifth of a second, the thumbnails both for half a second. What `meanwhile` made comes
    back with the verdict (None when it did not run): the caller throws it away for a file
    the packets refuse.

    `once_passed` (a remux) is called with the whole probe as soon as the packets pass too,
    on the listing's thread, while `meanwhile` may still run; it has returned before this
    does, even when `meanwhile` fails, so the caller can stop what it started."""
    rules = rules or Rules()
    path = Path(path)
    if (refusal := _refused_by_its_bytes(path)) is not None:
        return refusal, None
    made = None
    try:
        beside = ThreadPoolExecutor(max_workers=1)
        listing = beside.submit(list_packets, path, timeout=rules.probe_timeout)
        measured = None
        try:
            report = probe(path, timeout=rules.probe_timeout)
            if report.video is not None:
                header_passes = not check(report, rules)
                # One worker: this runs once the listing has ended.
                measured = beside.submit(
                    _measured, report, listing, rules, once_passed if header_passes else None
                )
                if meanwhile is not None and header_passes:
                    made = meanwhile(report)
                report = measured.result()
        finally:
            if measured is not None:
                wait([measured])
            beside.shutdown(wait=False)  # a file the header refused: its listing is not awaited
    except ProbeError as error:
        return refused("timeout" if error.timed_out else "not_a_video"), made
    problems = check(report, rules)
    return VideoReport(ok=not problems, problems=problems, probe=report), made


def _measured(
    header: Probe, listing: Future[str], rules: Rules, once_passed: Callable[[Probe], None] | None
) -> Probe:
    report = with_packet_span(header, listing.result())
    if once_passed is not None and not check(report, rules):
        once_passed(report)
    return report


def _refused_by_its_bytes(path: Path) -> VideoReport | None:
    if path.stat().st_size == 0:
        return refused("empty_file")
    kind = sniff(path)
    if kind == "image":
        return refused("still_image")
    if kind == "audio":
        return refused("audio_only")
    if kind == "text":
        return refused("not_a_video")
    if is_truncated(path):
        return refused("truncated")
    return None
