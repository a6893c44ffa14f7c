"""Candidate thumbnails spread over a film, skipping black or uniform frames."""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageStat

from festival.processing.ffmpeg import CommandFailed, frame_command, keyframes_command, run
from festival.processing.files import atomic_path
from festival.processing.filters import video_filter
from festival.processing.pictures import open_picture
from festival.processing.probe import Probe

THUMBNAIL_WIDTHS = (320, 640, 1280)
# What the team's page and the lists show: made first, so the film is valid sooner; the large
# size (players' posters, link previews) follows while the web version is made.
FIRST_WIDTHS = (320, 640)
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
    image: Image.Image | None = field(default=None, repr=False)  # kept for sizes made later


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


@dataclass(frozen=True)
class Frame:
    """A candidate picture and the verdict on it, judged once."""

    at_seconds: float
    image: Image.Image
    blank: bool
    contrast: float


def is_blank(image: Image.Image) -> tuple[bool, float]:
    stats = ImageStat.Stat(image.convert("L"))
    contrast, brightness = stats.stddev[0], stats.mean[0]
    blank = contrast < MIN_CONTRAST or not MIN_BRIGHTNESS <= brightness <= MAX_BRIGHTNESS
    return blank, contrast


def widths_for(image_width: int, widths: tuple[int, ...], *, first: bool = True) -> list[int]:
    """The asked widths no wider than the picture; a picture narrower than all of them is kept
    at its own width, once (with the first sizes)."""
    fitting = [w for w in widths if w <= image_width]
    if not fitting and first and image_width < min(THUMBNAIL_WIDTHS):
        return [image_width]
    return fitting


def save_sizes(
    image: Image.Image,
    out_dir: Path,
    stem: str,
    widths: tuple[int, ...] = THUMBNAIL_WIDTHS,
    *,
    first: bool = True,
) -> dict[str, Path]:
    """WebP and JPEG at each width no wider than the image itself, with no metadata at all:
    a still's comment or EXIF (names, addresses, GPS) never reaches the public files."""
    image = image.convert("RGB")
    image.info = {}
    files = {}
    for width in widths_for(image.width, widths, first=first):
        height = max(1, round(image.height * width / image.width))
        # reducing_gap: a box reduction first, then Lanczos; the same picture at a third of
        # the cost when a 1280 px frame becomes 320 px.
        resized = image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
        for fmt in THUMBNAIL_FORMATS:
            final = out_dir / f"{stem}-{width}.{'jpg' if fmt == 'jpeg' else fmt}"
            with atomic_path(final) as temporary:
                options = {"quality": 82}
                # WebP method 2: half the time of 3 for files a few per cent larger.
                options.update({"optimize": True} if fmt == "jpeg" else {"method": 2})
                resized.save(temporary, format=fmt.upper(), **options)
            files[f"{width}.{fmt}"] = final
    return files


def _exact_frame(path: Path, at: float, video_filter: str, *, timeout: float) -> Image.Image | None:
    """The frame at `at`, decoded exactly, or None where the file gives none."""
    try:
        output = run(frame_command(path, at, video_filter=video_filter), timeout=timeout).stdout
        if not output:
            return None
        image = Image.open(io.BytesIO(output))
        image.load()
    except (CommandFailed, OSError):
        return None  # an unreadable spot: the other candidates remain
    return image


def _keyframes(
    path: Path,
    times: list[float],
    video_filter: str,
    scratch: Path,
    *,
    timeout: float,
    before: bool = False,
) -> dict[int, Image.Image]:
    """The next keyframe from each time (or the one before), by index; one ffmpeg process
    for them all."""
    scratch.mkdir()
    command = keyframes_command(path, times, scratch, video_filter=video_filter, before=before)
    # On a failure, what was written is used; the rest is decoded exactly.
    with contextlib.suppress(CommandFailed):
        run(command, timeout=timeout)
    found = {}
    for index in range(len(times)):
        picture = scratch / f"{index}.ppm"
        try:
            image = Image.open(picture)
            image.load()
        except OSError:
            continue  # no keyframe after that time, or an unreadable spot
        found[index] = image
    return found


def _distinct(found: dict[int, Image.Image], count: int) -> tuple[dict, list[int]]:
    """The pictures no earlier candidate already has, and the candidates left without one."""
    kept, missing, seen = {}, [], set()
    for index in range(count):
        image = found.get(index)
        fingerprint = image.tobytes() if image is not None else None
        if fingerprint is None or fingerprint in seen:
            missing.append(index)
        else:
            seen.add(fingerprint)
            kept[index] = image
    return kept, missing


def extract_frames(
    path: Path,
    times: list[float],
    video_filter: str,
    *,
    timeout: float = 30,
    enough: int | None = None,
) -> list[Frame]:
    """One picture per candidate time, found quickly.

    Each candidate first takes the next keyframe (one decoded picture), all of them in one
    ffmpeg process per core: starting ffmpeg costs more than seeking and decoding one
    picture. Phones write a keyframe every second or two, so it is close to the asked time.
    Where a file has few keyframes (one every eight seconds, or one at the start), candidates
    land on nothing or on the same picture: those take the keyframe before their time, and
    only if that still leaves fewer than `enough` distinct pictures that are not blank are
    the few still needed decoded exactly (a whole group of pictures each, seconds of 1080p
    HEVC).
    """
    if not times:
        return []
    cores = os.cpu_count() or 1
    verdicts: dict[int, tuple[Image.Image, bool, float]] = {}  # by id(); holds the picture

    def judged(image: Image.Image) -> tuple[bool, float]:
        if id(image) not in verdicts:
            verdicts[id(image)] = (image, *is_blank(image))
        return verdicts[id(image)][1:]

    with tempfile.TemporaryDirectory(prefix="frames-") as scratch:

        def keyframes(indexes: list[int], *, before: bool) -> dict[int, Image.Image]:
            groups = [g for g in (indexes[n::cores] for n in range(cores)) if g]
            label = "before" if before else "next"
            with ThreadPoolExecutor(max_workers=len(groups)) as pool:
                results = pool.map(
                    lambda item: _keyframes(
                        path,
                        [times[i] for i in item[1]],
                        video_filter,
                        Path(scratch) / f"{label}-{item[0]}",
                        timeout=timeout,
                        before=before,
                    ),
                    enumerate(groups),
                )
                return {
                    group[n]: image
                    for group, pictures in zip(groups, results, strict=True)
                    for n, image in pictures.items()
                }

        def still_needed(found: dict[int, Image.Image]) -> int | None:
            """How many more usable pictures `enough` asks for (None: as many as possible)."""
            if enough is None:
                return None
            return max(0, enough - sum(1 for image in found.values() if not judged(image)[0]))

        found, missing = _distinct(keyframes(list(range(len(times))), before=False), len(times))
        if missing and still_needed(found) != 0:
            found.update(keyframes(missing, before=True))
            found, missing = _distinct(found, len(times))
        # Exact decoding costs seconds each: only as many as are still needed (one per core at
        # least, in case some come out blank), spread over the film, until enough or none left.
        tried: set[int] = set()
        while missing and (needed := still_needed(found)) != 0:
            batch = spread(missing, len(missing) if needed is None else max(needed, cores))
            tried.update(batch)
            with ThreadPoolExecutor(max_workers=len(batch)) as pool:
                exact = pool.map(
                    lambda i: _exact_frame(path, times[i], video_filter, timeout=timeout), batch
                )
                found.update({i: image for i, image in zip(batch, exact, strict=True) if image})
            found, missing = _distinct(found, len(times))
            missing = [i for i in missing if i not in tried]
    return [Frame(times[i], found[i], *judged(found[i])) for i in sorted(found)]


def make_thumbnails(
    path: Path,
    out_dir: Path,
    probe: Probe,
    *,
    candidates: int = 8,
    keep: int = 4,
    timeout: float = 30,
    widths: tuple[int, ...] = THUMBNAIL_WIDTHS,
) -> list[Thumbnail]:
    """Extract candidate frames, drop blank ones, save the best `keep` in the given sizes
    (`add_sizes` makes the others later, from the picture each Thumbnail keeps)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    vf = video_filter(probe, long_side=1280, short_side=1280)
    times = candidate_times(probe.duration or 0.0, candidates)
    frames = extract_frames(path, times, vf, timeout=timeout, enough=keep)
    chosen = spread([frame for frame in frames if not frame.blank], keep)
    if not chosen and frames:  # a film of blank frames still needs a picture
        chosen = sorted(frames, key=lambda frame: -frame.contrast)[:1]
    # The encoders let go of the interpreter: the kept pictures are saved side by side.
    with ThreadPoolExecutor(max_workers=max(1, min(4, os.cpu_count() or 1))) as pool:
        saved = pool.map(
            lambda item: save_sizes(item[1].image, out_dir, f"thumb-{item[0]}", widths),
            enumerate(chosen),
        )
        return [
            Thumbnail(
                index, frame.at_seconds, frame.image.width, frame.image.height, files,
                frame.contrast, frame.image,
            )
            for index, (frame, files) in enumerate(zip(chosen, saved, strict=True))
        ]  # fmt: skip


def add_sizes(thumbnails: list[Thumbnail], out_dir: Path, widths: tuple[int, ...]) -> None:
    """The sizes left for later, saved side by side into each thumbnail's files."""
    with ThreadPoolExecutor(max_workers=max(1, min(4, os.cpu_count() or 1))) as pool:
        saved = pool.map(
            lambda t: save_sizes(t.image, Path(out_dir), f"thumb-{t.index}", widths, first=False),
            thumbnails,
        )
        for thumbnail, files in zip(thumbnails, saved, strict=True):
            thumbnail.files.update(files)


def thumbnails_from_still(image_path: Path, out_dir: Path, index: int) -> Thumbnail:
    """A picture chosen by the team instead of a frame.

    Raises OSError for anything but a JPEG, PNG or WebP of sane size.
    """
    upright = open_picture(image_path)
    files = save_sizes(upright, Path(out_dir), f"still-{index}")
    return Thumbnail(index, 0.0, upright.width, upright.height, files)
