"""Pictures people upload (a team's still, the library's logo and signature), opened as hostile:
JPEG, PNG or WebP only, refused past 40 megapixels before they are decoded, turned upright.
Plain functions: no Flask here."""

from __future__ import annotations

import io
import warnings
from pathlib import Path
from typing import BinaryIO

from PIL import Image, ImageOps

PICTURE_FORMATS = frozenset({"JPEG", "PNG", "WEBP"})
MAX_PICTURE_PIXELS = 40_000_000  # a 40-megapixel photo; beyond is a decompression bomb


def open_picture(source: Path | BinaryIO) -> Image.Image:
    """The decoded picture, upright. Raises OSError for anything else or anything too large."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            opened = Image.open(source, formats=sorted(PICTURE_FORMATS))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise OSError("image too large") from None
    with opened as image:
        if image.width * image.height > MAX_PICTURE_PIXELS:
            raise OSError("image too large")
        image.load()
        return ImageOps.exif_transpose(image)


def clean_png(data: bytes, *, max_side: int) -> bytes:
    """The picture re-drawn as a PNG of at most `max_side` pixels a side, transparency kept,
    nothing else of the file kept (no metadata, no GPS)."""
    picture = open_picture(io.BytesIO(data)).convert("RGBA")
    picture.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    picture.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()
