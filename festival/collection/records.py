"""Reading a catalogue's export into plain records: UNIMARC and MARC21, as ISO 2709 or MARCXML
(through pymarc), or a spreadsheet with the catalogue's own column titles.

French public libraries' catalogues export UNIMARC (title in 200, director in 700–702 with
relator code 300, shelf mark in the local 995 $k); MARC21 puts them in 245, 700 $e « director »
(or $4 drt) and 852/099. Each record says which it is by its fields, so a file mixing both
reads too.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from xml.sax.handler import feature_namespaces

import defusedxml.sax
import pymarc
from flask_babel import gettext as _
from pymarc.marcxml import XmlHandler

from festival.errors import ValidationError
from festival.spreadsheets import Cell, read_table
from festival.text import folded

MAX_CATALOGUE_BYTES = 32 * 1024 * 1024
MAX_RECORDS = 20_000

UNIMARC_DIRECTOR = "300"  # UNIMARC relator code « metteur en scène, réalisateur »
MARC21_DIRECTOR_CODES = {"drt", "fmd"}
# Non-sorting markers around a leading article (« \x88Le \x89 ») in both standards.
_NON_SORTING = re.compile("[\x88\x89\x98\x9c]")
_YEAR = re.compile(r"(1[89]\d\d|20\d\d)")


@dataclass(frozen=True)
class HoldingRecord:
    record_id: str
    title: str
    director: str = ""
    year: int | None = None
    shelf_mark: str = ""


@dataclass
class CatalogueFile:
    """What a file held: its records, the format read, and what could not be used (a
    sentence a line, so staff can fix the catalogue's export)."""

    format: str
    records: list[HoldingRecord] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def read_catalogue_file(filename: str, content: bytes) -> CatalogueFile:
    if not content.strip():
        raise ValidationError(_("Le fichier est vide : choisissez l'export du catalogue."))
    if len(content) > MAX_CATALOGUE_BYTES:
        raise ValidationError(
            _(
                "Ce fichier dépasse 32 Mo : exportez le fonds en plusieurs fichiers "
                "(par exemple par support)."
            )
        )
    opening = content.lstrip(b"\xef\xbb\xbf \t\r\n")[:200]
    if opening.startswith(b"<"):
        return _from_marc_records(_marcxml_records(content), "marcxml")
    if _looks_like_iso2709(opening):
        return _from_marc_records(_iso2709_records(content), "iso2709")
    return _from_table(read_table(filename, content, max_rows=MAX_RECORDS))


# ---------------------------------------------------------------- MARC


def _looks_like_iso2709(opening: bytes) -> bool:
    """A record starts with its five-digit length and a leader whose positions 20–23 say
    « 4500 » (both standards)."""
    return len(opening) >= 24 and opening[:5].isdigit() and opening[20:22] == b"45"


def _iso2709_records(content: bytes) -> list[pymarc.Record]:
    # UNIMARC exports are UTF-8 without saying so in the leader (position 9 is blank), which
    # pymarc would read as MARC-8; a file that is valid UTF-8 throughout is read as UTF-8.
    try:
        content.decode("utf-8")
        utf8 = True
    except UnicodeDecodeError:
        utf8 = False
    reader = pymarc.MARCReader(
        content, to_unicode=True, force_utf8=utf8, utf8_handling="replace", permissive=True
    )
    records = []
    for record in reader:
        if record is None:  # permissive: a broken record is skipped, the reader goes on
            records.append(None)
            continue
        records.append(record)
        if len(records) > MAX_RECORDS:
            raise _too_many()
    return records


def _marcxml_records(content: bytes) -> list[pymarc.Record]:
    handler = XmlHandler(strict=False, normalize_form="NFC")
    try:
        # defusedxml's parser: no external entity, no entity expansion bomb.
        parser = defusedxml.sax.make_parser()
        parser.forbid_dtd = True
        parser.setFeature(feature_namespaces, True)  # pymarc's handler reads namespaced names
        parser.setContentHandler(handler)
        parser.parse(io.BytesIO(content))
    except Exception:  # noqa: BLE001 - any parse failure is the same answer to staff
        raise ValidationError(
            _(
                "Ce fichier XML ne se lit pas comme du MARCXML : exportez à nouveau les "
                "notices au format MARCXML (ou ISO 2709) depuis le catalogue."
            )
        ) from None
    if len(handler.records) > MAX_RECORDS:
        raise _too_many()
    return handler.records


def _too_many() -> ValidationError:
    return ValidationError(
        _("Ce fichier a plus de %(n)s notices : exportez-le en plusieurs fois.", n=MAX_RECORDS)
    )


def _from_marc_records(records: list[pymarc.Record | None], container: str) -> CatalogueFile:
    read = CatalogueFile(format=container)
    standards = set()
    for number, record in enumerate(records, start=1):
        if record is None:
            read.skipped.append(_("Notice %(n)s : illisible, laissée de côté.", n=number))
            continue
        standard = "unimarc" if record.get("200") is not None else "marc21"
        standards.add(standard)
        holding = unimarc_holding(record) if standard == "unimarc" else marc21_holding(record)
        if not holding.record_id:
            read.skipped.append(
                _(
                    "Notice %(n)s (%(title)s) : sans numéro de notice (001).",
                    n=number,
                    title=holding.title or "?",
                )
            )
        elif not holding.title:
            read.skipped.append(
                _("Notice %(n)s (%(id)s) : sans titre.", n=number, id=holding.record_id)
            )
        else:
            read.records.append(holding)
    read.format = "+".join(sorted(standards)) or container
    return read


def _clean(text: str | None) -> str:
    text = _NON_SORTING.sub("", text or "")
    text = unicodedata.normalize("NFC", " ".join(text.split()))
    return text.strip(" /:;,=.[]").strip()


def _first(record: pymarc.Record, tag: str, *codes: str) -> str:
    for found in record.get_fields(tag):
        for code in codes:
            values = found.get_subfields(code)
            if values and _clean(values[0]):
                return _clean(values[0])
    return ""


def _control(record: pymarc.Record, tag: str) -> str:
    found = record.get(tag)
    return (found.data or "").strip() if found is not None and found.is_control_field() else ""


def _year_in(text: str) -> int | None:
    match = _YEAR.search(text or "")
    return int(match.group(1)) if match else None


def _person(surname: str, forename: str) -> str:
    return " ".join(part for part in (_clean(forename), _clean(surname)) if part)


def unimarc_holding(record: pymarc.Record) -> HoldingRecord:
    director = ""
    candidates = [f for tag in ("700", "701", "702") for f in record.get_fields(tag)]
    for person in candidates:
        if UNIMARC_DIRECTOR in [code.strip() for code in person.get_subfields("4")]:
            director = _person(person.get("a", ""), person.get("b", ""))
            break
    if not director and record.get_fields("700"):
        person = record.get_fields("700")[0]
        director = _person(person.get("a", ""), person.get("b", ""))
    year = _year_in(_first(record, "210", "d")) or _year_in(_first(record, "214", "d"))
    if year is None:
        general = _first(record, "100", "a")  # positions 9–12: the first date
        year = _year_in(general[9:13]) if len(general) >= 13 else None
    return HoldingRecord(
        record_id=_control(record, "001"),
        title=_first(record, "200", "a"),
        director=director,
        year=year,
        shelf_mark=_first(record, "995", "k") or _first(record, "930", "a"),
    )


def _inverted(name: str) -> str:
    """MARC21 writes « Varda, Agnès »; a reader looks for « Agnès Varda »."""
    surname, comma, forename = _clean(name).partition(",")
    return _person(surname, forename) if comma else _clean(name)


def marc21_holding(record: pymarc.Record) -> HoldingRecord:
    director = ""
    for person in [*record.get_fields("100"), *record.get_fields("700")]:
        roles = " ".join(person.get_subfields("e")).casefold()
        codes = {code.strip().casefold() for code in person.get_subfields("4")}
        if codes & MARC21_DIRECTOR_CODES or "direct" in roles or "réalis" in roles:
            director = _inverted(person.get("a", ""))
            break
    year = _year_in(_first(record, "264", "c")) or _year_in(_first(record, "260", "c"))
    if year is None:
        year = _year_in(_control(record, "008")[7:11])
    shelf = " ".join(p for p in (_first(record, "852", "h"), _first(record, "852", "i")) if p)
    return HoldingRecord(
        record_id=_control(record, "001"),
        title=_first(record, "245", "a"),
        director=director,
        year=year,
        shelf_mark=shelf or _first(record, "099", "a") or _first(record, "090", "a"),
    )


# ---------------------------------------------------------------- spreadsheets

# The catalogues' own column titles (Koha, PMB, Orphée, Decalog, BnF…), compared without
# accents, case or punctuation.
COLUMNS = {
    "record_id": (
        "id", "identifiant", "notice", "n° de notice", "no notice", "numéro de notice",
        "num notice", "record id", "biblionumber", "ppn", "001", "id notice", "n° notice",
    ),
    "title": ("titre", "title", "titre propre", "245a", "200a"),
    "director": (
        "réalisateur", "réalisatrice", "réalisateur·rice", "réalisation", "director",
        "auteur", "author", "auteurs", "responsabilité",
    ),
    "year": ("année", "year", "date", "date de publication", "date d'édition",
             "année de sortie"),
    "shelf_mark": ("cote", "shelf mark", "call number", "cote de rangement",
                   "itemcallnumber", "cotes"),
}  # fmt: skip


_SMALL_WORDS = {"de", "du", "des", "d", "la", "le", "l", "of", "the"}


def column_key(heading: str) -> str:
    """« N° de notice », « Numéro de la notice » and « n notice » read alike."""
    return " ".join(w for w in folded(str(heading or "")).split() if w not in _SMALL_WORDS)


def find_columns(headings: list, meanings: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """Which column holds what: the first heading that is one of a meaning's names."""
    names = {meaning: {column_key(n) for n in known} for meaning, known in meanings.items()}
    where: dict[str, int] = {}
    for index, heading in enumerate(headings):
        key = column_key(heading)
        for meaning, known in names.items():
            if key in known and meaning not in where:
                where[meaning] = index
    return where


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell.year) if isinstance(cell, date) else _clean(str(cell))


def _from_table(rows: list[list[Cell]]) -> CatalogueFile:
    read = CatalogueFile(format="csv")
    if not rows:
        return read
    where = find_columns(rows[0], COLUMNS)
    if "title" not in where or "record_id" not in where:
        raise ValidationError(
            _(
                "Le tableau doit avoir une colonne « Titre » et une colonne « N° de notice » "
                "(l'identifiant du catalogue) : elles n'ont pas été trouvées dans la première "
                "ligne (%(headings)s).",
                headings=", ".join(str(h) for h in rows[0] if h not in (None, "")) or "—",
            )
        )

    def cell(row: list[Cell], meaning: str) -> str:
        index = where.get(meaning)
        return _text(row[index]) if index is not None and index < len(row) else ""

    for line, row in enumerate(rows[1:], start=2):
        record_id, title = cell(row, "record_id"), cell(row, "title")
        if not record_id or not title:
            read.skipped.append(_("Ligne %(n)s : il manque le titre ou le n° de notice.", n=line))
            continue
        director = cell(row, "director")
        read.records.append(
            HoldingRecord(
                record_id=record_id[:64],
                title=title[:300],
                director=_inverted(director) if director.count(",") == 1 else director,
                year=_year_in(cell(row, "year")),
                shelf_mark=cell(row, "shelf_mark")[:100],
            )
        )
    return read
