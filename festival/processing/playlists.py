"""Playlists that VLC opens: M3U (extended) and XSPF, with paths relative to the playlist."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote
from xml.etree import ElementTree as ET

XSPF_NS = "http://xspf.org/ns/0/"


@dataclass(frozen=True)
class Entry:
    filename: str
    title: str
    seconds: float
    creator: str = ""


def one_line(text: str) -> str:
    """A field of a playlist line: control characters (line breaks first) become spaces, so a
    title can never add a line, hence an entry, of its own."""
    return " ".join("".join(" " if unicodedata.category(c)[0] == "C" else c for c in text).split())


def safe_filename(number: int, title: str, extension: str = "mp4") -> str:
    """`03 - Le dernier bus.mp4`: ordered, readable, and safe on any file system."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    cleaned = re.sub(r"[^A-Za-z0-9 ._-]+", "", ascii_title).strip(" .-")[:60] or "film"
    return f"{number:02d} - {cleaned}.{extension}"


def m3u(entries: list[Entry], *, title: str) -> str:
    lines = ["#EXTM3U", f"#PLAYLIST:{one_line(title)}"]
    for entry in entries:
        name = f"{entry.creator} - {entry.title}" if entry.creator else entry.title
        lines.append(f"#EXTINF:{round(entry.seconds)},{one_line(name)}")
        lines.append(one_line(entry.filename))
    return "\n".join(lines) + "\n"


def xspf(entries: list[Entry], *, title: str) -> bytes:
    ET.register_namespace("", XSPF_NS)
    playlist = ET.Element(f"{{{XSPF_NS}}}playlist", version="1")
    ET.SubElement(playlist, f"{{{XSPF_NS}}}title").text = one_line(title)
    track_list = ET.SubElement(playlist, f"{{{XSPF_NS}}}trackList")
    for entry in entries:
        track = ET.SubElement(track_list, f"{{{XSPF_NS}}}track")
        ET.SubElement(track, f"{{{XSPF_NS}}}location").text = quote(entry.filename)
        ET.SubElement(track, f"{{{XSPF_NS}}}title").text = one_line(entry.title)
        if entry.creator:
            ET.SubElement(track, f"{{{XSPF_NS}}}creator").text = one_line(entry.creator)
        ET.SubElement(track, f"{{{XSPF_NS}}}duration").text = str(round(entry.seconds * 1000))
    return ET.tostring(playlist, encoding="utf-8", xml_declaration=True)
