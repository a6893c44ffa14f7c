"""Video filter chains: the size of a rendition, and HDR tone mapping."""

from __future__ import annotations

from festival.processing.probe import Probe

# HDR (PQ or HLG, BT.2020) to SDR BT.709, the chain the zimg library makes exact.
TONE_MAP = (
    "zscale=t=linear:npl=100,format=gbrpf32le,zscale=p=bt709,"
    "tonemap=tonemap=hable:desat=0,zscale=t=bt709:m=bt709:r=tv"
)


def fit_within(width: int, height: int, long_side: int, short_side: int) -> tuple[int, int]:
    """The largest even size inside the box (oriented like the picture), never upscaled."""
    box_w, box_h = (long_side, short_side) if width >= height else (short_side, long_side)
    factor = min(1.0, box_w / width, box_h / height)
    return max(2, int(width * factor) // 2 * 2), max(2, int(height * factor) // 2 * 2)


def video_filter(probe: Probe, *, long_side: int, short_side: int) -> str:
    """Tone-map HDR, scale into the box, 8-bit 4:2:0: what every browser plays."""
    steps = []
    if probe.is_hdr:
        steps.append(TONE_MAP)
    width, height = probe.displayed_size
    if width and height:
        target_w, target_h = fit_within(width, height, long_side, short_side)
        steps.append(f"scale={target_w}:{target_h}")
    steps.append("format=yuv420p")
    return ",".join(steps)
