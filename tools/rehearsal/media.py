"""The teams' films, made with ffmpeg's test sources: small, a few seconds, as phones send them."""

from __future__ import annotations

import subprocess
from pathlib import Path


def make_film(folder: Path, index: int, kind: str) -> Path:
    """`h264`: a landscape phone clip; `hevc-portrait`: an iPhone's HEVC, portrait, with GPS
    and device tags; `too-long`: five minutes and ten seconds, tiny and fast to make; `long`:
    forty seconds of HEVC, long enough to encode for a worker to be killed in the middle."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"film-{index}-{kind}.{'mp4' if kind in ('h264', 'too-long') else 'mov'}"
    seconds = {"too-long": 310, "long": 40}.get(kind, 3 + index % 3)
    size = {"h264": "320x180", "hevc-portrait": "180x320", "too-long": "64x36", "long": "640x360"}[
        kind
    ]
    rate = 1 if kind == "too-long" else 25
    video = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]
    tags: list[str] = []
    if kind in ("hevc-portrait", "long"):
        video = [
            "-c:v",
            "libx265",
            "-preset",
            "ultrafast",
            "-tag:v",
            "hvc1",
            "-x265-params",
            "log-level=error",
        ]
        tags = ["-metadata", "location=+48.1120-001.6743/",
                "-metadata", "com.apple.quicktime.make=Apple",
                "-metadata", "com.apple.quicktime.model=iPhone 15"]  # fmt: skip
    command = [
        "ffmpeg", "-nostdin", "-loglevel", "error", "-y",
        "-f", "lavfi", "-i", f"testsrc2=size={size}:rate={rate}:duration={seconds}",
        "-f", "lavfi", "-i", f"sine=frequency={300 + 40 * index}:duration={seconds}",
        *video, "-c:a", "aac", "-b:a", "64k", "-shortest", *tags, str(path),
    ]  # fmt: skip
    subprocess.run(command, check=True)  # noqa: S603 - fixed arguments
    return path
