"""Candidate thumbnails spread over a film, skipping black or uniform frames."""

from __future__ import annotations

import os
import tempfile
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageOps, ImageStat

from festival.processing.ffmpeg import CommandFailed, frame_command, run
from festival.processing.files import atomic_path
from festival.processing.filters import video_filter
from festival.processing.probe import Probe

THUMBNAIL_WIDTHS = (320, 640, 1280)
THUMBNAIL_FORMATS = ("webp", "jpeg")
# A frame whose brightness barely varies is a black, white or blank screen.
MIN_CONTRAST = 12.0
MIN_BRIGHTNESS = 16.0
MAX_BRIGHTNESS = 245.0


@dataclass
class Thumbnail:
    index: int
    at_seconds: float
    width: int
    height: int
    files: dict[str, Path] = field(default_factory=dict)  # "640.webp" -> path
    contrast: float = 0.0


def candidate_times(duration: float, count: int) -> list[float]:
    """Evenly spread inside the film, away from the first and last 5 % (titles, fades)."""
    start, end = duration * 0.05, duration * 0.95
    if count <= 1 or end <= start:
        return [duration / 2]
    step = (end - start) / (count - 1)
    return [round(start + i * step, 3) for i in range(count)]


def spread(items: list, count: int) -> list:
    """`count` items taken evenly from the list, first and last included."""
    if len(items) <= count:
        return items
    if count == 1:
        return [items[len(items) // 2]]
    step = (len(items) - 1) / (count - 1)
    return [items[round(i * step)] for i in range(count)]


def is_blank(image: Image.Image) -> tuple[bool, float]:
    stats = ImageStat.Stat(image.convert("L"))
    contrast, brightness = stats.stddev[0], stats.mean[0]
    blank = contrast < MIN_CONTRAST or not MIN_BRIGHTNESS <= brightness <= MAX_BRIGHTNESS
    return blank, contrast


def save_sizes(image: Image.Image, out_dir: Path, stem: str) -> dict[str, Path]:
    """WebP and JPEG at each width no wider than the image itself, with no metadata at all:
    a still's comment or EXIF (names, addresses, GPS) never reaches the public files."""
    image = image.convert("RGB")
    image.info = {}
    files = {}
    widths = [w for w in THUMBNAIL_WIDTHS if w <= image.width] or [image.width]
    for width in widths:
        height = max(1, round(image.height * width / image.width))
        resized = image.resize((width, height), Image.Resampling.LANCZOS)
        for fmt in THUMBNAIL_FORMATS:
            final = out_dir / f"{stem}-{width}.{'jpg' if fmt == 'jpeg' else fmt}"
            with atomic_path(final) as temporary:
                options = {"quality": 82}
                options.update({"optimize": True} if fmt == "jpeg" else {"method": 3})
                resized.save(temporary, format=fmt.upper(), **options)
            files[f"{width}.{fmt}"] = final
    return files


def make_thumbnails(
    path: Path,
    out_dir: Path,
    probe: Probe,
    *,
    candidates: int = 8,
    keep: int = 4,
    timeout: float = 30,
) -> list[Thumbnail]:
    """Extract candidate frames, drop blank ones, save the best `keep` in every size."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    duration = probe.duration or 0.0
    vf = video_filter(probe, long_side=1280, short_side=1280)
    frames: list[tuple[float, Image.Image, bool, float]] = []
    with tempfile.TemporaryDirectory(prefix="thumbs-") as scratch:

        def extract(job: tuple[int, float]) -> tuple[float, Image.Image] | None:
            index, at = job
            png = Path(scratch) / f"{index}.png"
            try:
                run(frame_command(path, at, png, video_filter=vf), timeout=timeout)
                image = Image.open(png)
                image.load()
            except (CommandFailed, OSError):
                return None  # an unreadable spot: the other candidates remain
            return at, image

        # Each extraction is one short ffmpeg seek-and-decode: run them side by side.
        with ThreadPoolExecutor(max_workers=max(1, min(4, os.cpu_count() or 1))) as pool:
            for extracted in pool.map(extract, enumerate(candidate_times(duration, candidates))):
                if extracted is not None:
                    at, image = extracted
                    blank, contrast = is_blank(image)
                    frames.append((at, image, blank, contrast))
    chosen = spread([f for f in frames if not f[2]], keep)
    if not chosen and frames:  # a film of blank frames still needs a picture
        chosen = sorted(frames, key=lambda f: -f[3])[:1]
    thumbnails = []
    for index, (at, image, _blank, contrast) in enumerate(chosen):
        files = save_sizes(image, out_dir, f"thumb-{index}")
        thumbnails.append(Thumbnail(index, at, image.width, image.height, files, contrast))
    return thumbnails


STILL_FORMATS = frozenset({"JPEG", "PNG", "WEBP"})
MAX_STILL_PIXELS = 40_000_000  # a 40-megapixel photo; beyond is a decompression bomb


def thumbnails_from_still(image_path: Path, out_dir: Path, index: int) -> Thumbnail:
    """A picture chosen by the team instead of a frame.

    Raises OSError for anything but a JPEG, PNG or WebP of sane size.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            opened = Image.open(image_path, formats=sorted(STILL_FORMATS))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise OSError("image too large") from None
    with opened as image:
        if image.width * image.height > MAX_STILL_PIXELS:
            raise OSError("image too large")
        image.load()
        upright = ImageOps.exif_transpose(image)
        files = save_sizes(upright, Path(out_dir), f"still-{index}")
        return Thumbnail(index, 0.0, upright.width, upright.height, files)
