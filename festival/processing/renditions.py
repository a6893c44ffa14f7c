"""The browser rendition of a film: remuxed when already playable, else encoded."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from festival.processing.containers import iso_box_size
from festival.processing.ffmpeg import (
    CommandFailed,
    RenditionPlan,
    rendition_command,
    run_with_progress,
)
from festival.processing.files import atomic_path
from festival.processing.filters import video_filter
from festival.processing.probe import Probe

LONG_SIDE, SHORT_SIDE = 1920, 1080  # at most 1080p, in either orientation
PLAYABLE_CONTAINERS = frozenset({"mov", "mp4"})
PLAYABLE_PROFILES = frozenset({"High", "Main", "Constrained Baseline", "Baseline"})


@dataclass(frozen=True)
class Rendition:
    path: Path
    remuxed: bool


def is_browser_ready(probe: Probe) -> bool:
    """H.264 8-bit 4:2:0 SDR within 1080p, with AAC sound or none, in MP4/MOV."""
    video, audio = probe.video, probe.audio
    if video is None or not PLAYABLE_CONTAINERS & set(probe.format_names):
        return False
    width, height = probe.displayed_size
    fits = (
        bool(width and height)
        and max(width, height) <= LONG_SIDE
        and min(width, height) <= SHORT_SIDE
    )
    return (
        video.codec == "h264"
        and video.pix_fmt == "yuv420p"
        and (video.profile or "") in PLAYABLE_PROFILES
        and not probe.is_hdr
        and fits
        and (audio is None or audio.codec == "aac")
    )


def plan_rendition(probe: Probe) -> RenditionPlan:
    has_audio = probe.audio is not None
    if is_browser_ready(probe):
        return RenditionPlan(remux=True, has_audio=has_audio)
    return RenditionPlan(
        remux=False,
        has_audio=has_audio,
        video_filter=video_filter(probe, long_side=LONG_SIDE, short_side=SHORT_SIDE),
    )


def rendition_timeout(duration: float | None) -> float:
    """Generous for a slow machine (an encode of a 5-minute 4K film), never unbounded."""
    return max(120.0, 12.0 * (duration or 300.0))


def index_reserve(path: Path) -> int | None:
    """Room for a remux's index: the upload's own, which lists the same samples, with a
    margin; None when the file has none to go by."""
    size = iso_box_size(path, b"moov")
    return int(size * 1.1) + 16 * 1024 if size else None


def make_rendition(
    path: Path,
    out_path: Path,
    probe: Probe,
    *,
    on_progress: Callable[[float], None] | None = None,
    timeout: float | None = None,
) -> Rendition:
    plan = plan_rendition(probe)
    reserve = index_reserve(path) if plan.remux else None
    attempts = [replace(plan, index_reserve=reserve), plan] if reserve else [plan]
    for attempt in attempts:
        try:
            with atomic_path(Path(out_path)) as temporary:
                run_with_progress(
                    rendition_command(path, temporary, attempt),
                    duration=probe.duration or 0.0,
                    timeout=timeout or rendition_timeout(probe.duration),
                    on_progress=on_progress,
                )
            break
        except CommandFailed as error:
            # The index outgrew its room (ffmpeg says so and stops): faststart instead.
            if attempt is attempts[-1] or error.timed_out:
                raise
    if on_progress:
        on_progress(1.0)
    return Rendition(Path(out_path), remuxed=plan.remux)
