"""Cheap looks at a file's bytes: what it claims to be, and whether it is complete.

Reading a few box headers costs the same for 10 MB as for 4 GB, unlike decoding.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

ISO_BOX_TYPES = {
    b"ftyp",
    b"moov",
    b"mdat",
    b"free",
    b"wide",
    b"skip",
    b"pdin",
    b"uuid",
    b"meta",
    b"moof",
    b"mfra",
    b"styp",
    b"sidx",
}
EBML_MAGIC = b"\x1a\x45\xdf\xa3"
MATROSKA_SEGMENT = b"\x18\x53\x80\x67"
MAX_BOXES = 100_000

IMAGE_BRANDS = {b"heic", b"heix", b"mif1", b"msf1", b"avif"}
AUDIO_BRANDS = {b"M4A ", b"M4B ", b"M4P "}


def sniff(path: Path) -> str | None:
    """'image', 'audio' or 'text' when the first bytes say so clearly, else None."""
    with Path(path).open("rb") as handle:
        head = handle.read(64)
    if head.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a", b"BM")):
        return "image"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image"
    if head[4:8] == b"ftyp" and head[8:12] in IMAGE_BRANDS:
        return "image"
    if head.startswith((b"ID3", b"fLaC", b"OggS")) or (
        head[:4] == b"RIFF" and head[8:12] == b"WAVE"
    ):
        return "audio"
    if head[4:8] == b"ftyp" and head[8:12] in AUDIO_BRANDS:
        return "audio"
    if head and all(32 <= b < 127 or b in (9, 10, 13) for b in head):
        return "text"
    return None


def _read_vint(handle) -> tuple[int | None, int]:
    """An EBML variable-length integer: (value, or None when 'unknown size'; its length)."""
    first = handle.read(1)
    if not first:
        raise EOFError
    byte = first[0]
    length = 1
    mask = 0x80
    while length <= 8 and not byte & mask:
        mask >>= 1
        length += 1
    if length > 8:
        raise ValueError("invalid EBML length")
    value = byte & (mask - 1)
    rest = handle.read(length - 1)
    if len(rest) < length - 1:
        raise EOFError
    all_ones = value == mask - 1
    for extra in rest:
        value = (value << 8) | extra
        all_ones = all_ones and extra == 0xFF
    return (None if all_ones else value), length


def is_truncated(path: Path) -> bool:
    """True when the container declares more bytes than the file has (an interrupted copy)."""
    path = Path(path)
    size = path.stat().st_size
    with path.open("rb") as handle:
        head = handle.read(12)
        if head[4:8] in ISO_BOX_TYPES:
            return _iso_truncated(handle, size)
        if head[:4] == EBML_MAGIC:
            return _matroska_truncated(handle, size)
    return False


def _iso_boxes(handle, size: int) -> Iterator[tuple[bytes, int, int | None]]:
    """The top-level boxes of an MP4/MOV file: (type, offset, size), the size None for a
    header that is cut short or impossible (the walk ends there)."""
    offset = 0
    for _ in range(MAX_BOXES):
        if offset >= size:
            return
        handle.seek(offset)
        header = handle.read(16)
        box_type = header[4:8]
        box_size = int.from_bytes(header[:4], "big") if len(header) >= 8 else 0
        if len(header) < 8 or (box_size == 1 and len(header) < 16):
            yield box_type, offset, None
            return
        if box_size == 1:
            box_size = int.from_bytes(header[8:16], "big")
        elif box_size == 0:  # the last box runs to the end of the file
            box_size = size - offset
        if box_size < 8:
            yield box_type, offset, None
            return
        yield box_type, offset, box_size
        offset += box_size


def _iso_truncated(handle, size: int) -> bool:
    end = 0
    for _box_type, offset, box_size in _iso_boxes(handle, size):
        if box_size is None:
            return True
        end = offset + box_size
    return end > size


def iso_box_size(path: Path, box_type: bytes) -> int | None:
    """The size of the first top-level box of that type in an MP4/MOV file, or None."""
    path = Path(path)
    with path.open("rb") as handle:
        for found, _offset, box_size in _iso_boxes(handle, path.stat().st_size):
            if found == box_type:
                return box_size
    return None


def _matroska_truncated(handle, size: int) -> bool:
    try:
        handle.seek(4)
        header_size, _length = _read_vint(handle)
        handle.seek(handle.tell() + (header_size or 0))
        element_id = handle.read(4)
        if element_id != MATROSKA_SEGMENT:
            return False
        segment_size, _length = _read_vint(handle)
    except (EOFError, ValueError):
        return True
    if segment_size is None:  # written live (MediaRecorder): no declared size to compare
        return False
    return handle.tell() + segment_size > size
