"""Towns as the State names them: what a family typed (« st genis laval », « 12 rue des Lilas
Brignais », « 69530 ») matched against INSEE's official list of communes, or nothing.

The list (festival/data/communes.csv.gz, rebuilt by tools/make_communes.py) comes from the
Code officiel géographique through Etalab's `@etalab/decoupage-administratif` (Licence Ouverte).
"""

from __future__ import annotations

import csv
import functools
import gzip
import re
import unicodedata
from pathlib import Path

LIST = Path(__file__).resolve().parent / "data" / "communes.csv.gz"
POSTCODE = re.compile(r"\b(\d{5})\b")
DISTRICT = re.compile(r"^(\d{1,2}(e|er|eme|ieme)?|arrondissement|arr|cedex)$")
# How people shorten names: « St-Genis », « Ste Foy ».
ABBREVIATIONS = {"st": "saint", "ste": "sainte", "s/": "sur"}


def _key(text: str) -> str:
    """Lower case, no accents, words separated by single spaces (hyphens and apostrophes
    too): « Saint-Genis-Laval » and « st genis laval » have the same key."""
    plain = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower()
    words = re.split(r"[^a-z0-9/]+", plain)
    return " ".join(ABBREVIATIONS.get(w, w) for w in words if w)


@functools.cache
def _communes() -> tuple[dict[str, str], dict[str, list[str]]]:
    """(name key → official name, postcode → official names)."""
    by_key: dict[str, str] = {}
    by_postcode: dict[str, list[str]] = {}
    with gzip.open(LIST, "rt", encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            by_key.setdefault(_key(row["nom"]), row["nom"])
            for postcode in row["codes_postaux"].split():
                by_postcode.setdefault(postcode, []).append(row["nom"])
    return by_key, by_postcode


def official_commune(typed: str | None) -> str | None:
    """The official name of the commune in `typed`, or None when no commune can be told:
    the whole text, else a postcode's commune named in it (or its only one), else the
    longest run of final words that is a commune's name, else a name and its district."""
    if not typed or not typed.strip():
        return None
    by_key, by_postcode = _communes()
    key = _key(typed)
    if key in by_key:
        return by_key[key]
    for postcode in POSTCODE.findall(typed):
        names = by_postcode.get(postcode, [])
        named = [n for n in names if f" {_key(n)} " in f" {key} "]
        if named:
            return max(named, key=len)
        if len(names) == 1:
            return names[0]
    words = key.split()
    for start in range(max(0, len(words) - 6), len(words)):
        candidate = " ".join(words[start:])
        if candidate in by_key and not candidate.isdigit():
            return by_key[candidate]
    # « Lyon 3e », « Marseille 8eme arrondissement », « Paris cedex 15 »: a name, then only
    # the district (never « rue de la Paix », whose first word is also a commune).
    for end in range(len(words) - 1, 0, -1):
        candidate = " ".join(words[:end])
        if candidate in by_key and all(DISTRICT.match(word) for word in words[end:]):
            return by_key[candidate]
    return None
