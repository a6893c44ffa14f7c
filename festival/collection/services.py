"""The collection's rules: importing the catalogue (again), finding a title, linking it to the
library's catalogue, attaching it to a workshop or the ceremony, counting its loans."""

from __future__ import annotations

import io
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import quote, urlsplit

import pymarc
from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from festival.collection.models import CollectionLoan, CollectionTitle, TitleAttachment
from festival.collection.records import HoldingRecord, find_columns
from festival.editions.identity import IDENTITY_ID, identity_row
from festival.editions.models import Edition, LibraryIdentity
from festival.errors import ValidationError
from festival.extensions import db
from festival.people.signals import participant_page_requested
from festival.spreadsheets import excel_csv, read_table
from festival.text import folded
from festival.workshops.models import Workshop

SEARCH_LIMIT = 50
PERMALINK_PLACEHOLDER = "{id}"


def search_text(title: str, director: str) -> str:
    """What the search compares, folded in Python (« Cléo » and « cleo » find each other on
    every database; SQLite's lower() is ASCII-only)."""
    return folded(f"{title} {director}")[:520]


# ---------------------------------------------------------------- import


@dataclass(frozen=True)
class ImportOutcome:
    added: int
    updated: int
    unchanged: int


def import_holdings(records: list[HoldingRecord], source: str) -> ImportOutcome:
    """Adds new titles and updates known ones (same catalogue record id): importing the same
    export twice changes nothing; a corrected export corrects the titles. The caller commits."""
    latest: dict[str, HoldingRecord] = {}
    for record in records:  # the same record twice in a file: the last one counts
        latest[record.record_id.strip()[:64]] = record
    known = {}
    ids = list(latest)
    for start in range(0, len(ids), 500):  # IN lists kept short for every database
        chunk = ids[start : start + 500]
        known.update(
            (t.record_id, t)
            for t in db.session.scalars(
                select(CollectionTitle).where(CollectionTitle.record_id.in_(chunk))
            )
        )
    added = updated = unchanged = 0
    for record_id, record in latest.items():
        values = {
            "title": record.title[:300],
            "director": record.director[:200],
            "year": record.year,
            "shelf_mark": record.shelf_mark[:100],
            "search_text": search_text(record.title, record.director),
        }
        title = known.get(record_id)
        if title is None:
            db.session.add(CollectionTitle(record_id=record_id, source=source, **values))
            added += 1
        elif any(getattr(title, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(title, key, value)
            title.source = source
            updated += 1
        else:
            unchanged += 1
    db.session.flush()
    return ImportOutcome(added=added, updated=updated, unchanged=unchanged)


# ---------------------------------------------------------------- finding and linking


def search_titles(query: str, limit: int = SEARCH_LIMIT) -> list[CollectionTitle]:
    """Titles whose title or director holds every word typed, whatever the case and accents
    (« varda cleo » finds « Cléo de 5 à 7 »), or whose record number is the one typed."""
    words = folded(query).split()[:8]
    if not words:  # « % » or « - »: no word to look for, no title
        return []
    statement = select(CollectionTitle)
    for word in words:
        statement = statement.where(
            or_(
                CollectionTitle.search_text.contains(word, autoescape=True),
                CollectionTitle.record_id == word,
            )
        )
    return list(
        db.session.scalars(
            statement.order_by(CollectionTitle.title, CollectionTitle.id).limit(limit)
        )
    )


def collection_size() -> int:
    return db.session.scalar(select(func.count(CollectionTitle.id))) or 0


def checked_permalink(pattern: str) -> str:
    """« https://catalogue.example/notice/{id} »: an http(s) address with {id} where the
    catalogue's record number goes. Empty: no links."""
    pattern = (pattern or "").strip()
    if not pattern:
        return ""
    parts = urlsplit(pattern.replace(PERMALINK_PLACEHOLDER, "0"))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValidationError(_("L'adresse du catalogue doit commencer par https:// (ou http://)."))
    if pattern.count(PERMALINK_PLACEHOLDER) != 1:
        raise ValidationError(
            _(
                "Écrivez {id} là où va le numéro de notice, une fois, par exemple "
                "https://catalogue.example/notice/{id}."
            )
        )
    return pattern[:300]


def save_permalink(pattern: str) -> None:
    identity_row().catalogue_permalink = checked_permalink(pattern)


def opac_url(record_id: str, pattern: str) -> str | None:
    """The title's page in the library's own catalogue; the id is quoted, so a record number
    with « / » or spaces stays one path segment."""
    if not pattern:
        return None
    return pattern.replace(PERMALINK_PLACEHOLDER, quote(record_id, safe=""))


@dataclass(frozen=True)
class ShownTitle:
    """A title as pages, the API and exports show it."""

    id: int
    record_id: str
    title: str
    director: str
    year: int | None
    shelf_mark: str
    opac_url: str | None
    note: str = ""
    attachment_id: int | None = None


def shown(title: CollectionTitle, pattern: str, attachment: TitleAttachment | None = None):
    return ShownTitle(
        id=title.id,
        record_id=title.record_id,
        title=title.title,
        director=title.director,
        year=title.year,
        shelf_mark=title.shelf_mark,
        opac_url=opac_url(title.record_id, pattern),
        note=attachment.note if attachment else "",
        attachment_id=attachment.id if attachment else None,
    )


# ---------------------------------------------------------------- attachments


@dataclass(frozen=True)
class EditionTitles:
    """An edition's attached titles, read in one query: by workshop id, and the ceremony's."""

    by_workshop: dict[int, list[ShownTitle]]
    ceremony: list[ShownTitle]

    def of(self, workshop_id: int) -> list[ShownTitle]:
        return self.by_workshop.get(workshop_id, [])

    def __bool__(self) -> bool:
        return bool(self.by_workshop or self.ceremony)


def edition_titles(edition: Edition | None) -> EditionTitles:
    if edition is None:
        return EditionTitles({}, [])
    # One query, the catalogue's address with it: public pages count theirs.
    permalink = (
        select(LibraryIdentity.catalogue_permalink)
        .where(LibraryIdentity.id == IDENTITY_ID)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(TitleAttachment, CollectionTitle, permalink)
        .join(CollectionTitle, CollectionTitle.id == TitleAttachment.title_id)
        .where(TitleAttachment.edition_id == edition.id)
        .order_by(TitleAttachment.id)
    )
    by_workshop: dict[int, list[ShownTitle]] = defaultdict(list)
    ceremony = []
    for attachment, title, pattern in rows:
        entry = shown(title, pattern or "", attachment)
        if attachment.workshop_id is None:
            ceremony.append(entry)
        else:
            by_workshop[attachment.workshop_id].append(entry)
    return EditionTitles(dict(by_workshop), ceremony)


def attach(title: CollectionTitle, edition: Edition, workshop: Workshop | None, note: str):
    if workshop is not None and workshop.edition_id != edition.id:
        raise ValidationError(_("Cet atelier n'est pas de l'édition choisie : rechargez la page."))
    existing = db.session.scalar(
        select(TitleAttachment).where(
            TitleAttachment.title_id == title.id,
            TitleAttachment.edition_id == edition.id,
            TitleAttachment.workshop_id.is_(None)
            if workshop is None
            else TitleAttachment.workshop_id == workshop.id,
        )
    )
    if existing is not None:
        existing.note = note.strip()[:200]
        return existing
    attachment = TitleAttachment(
        title_id=title.id,
        edition_id=edition.id,
        workshop_id=workshop.id if workshop else None,
        note=note.strip()[:200],
    )
    db.session.add(attachment)
    return attachment


# ---------------------------------------------------------------- loans

LOAN_COLUMNS = {
    "record_id": ("id", "identifiant", "notice", "n° de notice", "no notice", "numéro de notice",
                  "record id", "biblionumber", "ppn", "001", "id notice"),
    "day": ("date", "date de prêt", "date du prêt", "jour", "issuedate", "day"),
    "loans": ("prêts", "nombre de prêts", "nb prêts", "nombre", "loans", "count", "quantité"),
}  # fmt: skip


@dataclass(frozen=True)
class LoansOutcome:
    loans: int
    unknown_titles: int
    skipped: list[str]


def import_loans(filename: str, content: bytes) -> LoansOutcome:
    """The catalogue's loans export: a line per loan (a date and a record number) or per
    title and day with a number. Borrower columns, if any, are never read. Importing the same
    file again gives the same counts (each title's day is replaced, not added to)."""
    rows = read_table(filename, content, max_rows=100_000)
    if not rows:
        return LoansOutcome(0, 0, [])
    where = find_columns(rows[0], LOAN_COLUMNS)
    if "record_id" not in where or "day" not in where:
        raise ValidationError(
            _(
                "Le fichier des prêts doit avoir une colonne « N° de notice » et une colonne "
                "« Date » dans sa première ligne."
            )
        )
    counts: dict[tuple[str, date], int] = defaultdict(int)
    skipped = []
    for line, row in enumerate(rows[1:], start=2):

        def cell(meaning, row=row):
            index = where.get(meaning)
            return row[index] if index is not None and index < len(row) else None

        number_cell = cell("record_id")  # a spreadsheet may hold 12345 as 12345.0
        record_id = (
            str(int(number_cell))
            if isinstance(number_cell, float) and number_cell.is_integer()
            else str(number_cell or "").strip()
        )
        day = loan_day(cell("day"))
        number = cell("loans")
        try:
            number = int(float(str(number).replace(",", "."))) if number not in (None, "") else 1
        except ValueError:
            number = 0
        if not record_id or day is None or number < 1:
            skipped.append(
                _(
                    "Ligne %(n)s : il faut un n° de notice, une date (jj/mm/aaaa) et un nombre "
                    "de prêts d'au moins 1.",
                    n=line,
                )
            )
            continue
        counts[(record_id, day)] += number
    titles = {
        t.record_id: t
        for t in db.session.scalars(
            select(CollectionTitle).where(
                CollectionTitle.record_id.in_({record_id for record_id, _day in counts})
            )
        )
    }
    unknown = {record_id for record_id, _day in counts if record_id not in titles}
    existing = {
        (loan.title_id, loan.loaned_on): loan
        for loan in db.session.scalars(
            select(CollectionLoan).where(
                CollectionLoan.title_id.in_([t.id for t in titles.values()])
            )
        )
    }
    loans = 0
    for (record_id, day), number in counts.items():
        title = titles.get(record_id)
        if title is None:
            continue
        loan = existing.get((title.id, day))
        if loan is None:
            db.session.add(CollectionLoan(title_id=title.id, loaned_on=day, loans=number))
        else:
            loan.loans = number
        loans += number
    return LoansOutcome(loans=loans, unknown_titles=len(unknown), skipped=skipped)


_LOAN_DAY = (
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})"), (1, 2, 3)),
    (re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})"), (3, 2, 1)),
)


def loan_day(cell) -> date | None:
    """The day of a loan as catalogues export it: a date cell, « 2027-02-14 15:32:10 » (Koha's
    issuedate) or « 14/02/2027 »."""
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    text = str(cell or "").strip()
    for pattern, (y, m, d) in _LOAN_DAY:
        if match := pattern.match(text):
            try:
                return date(int(match.group(y)), int(match.group(m)), int(match.group(d)))
            except ValueError:
                return None
    return None


def record_loans(title: CollectionTitle, day: date, loans: int) -> None:
    """Staff's own count for a title's day (the catalogue's figure, typed in)."""
    if loans < 1:
        raise ValidationError(_("Indiquez au moins un prêt."))
    loan = db.session.scalar(
        select(CollectionLoan).where(
            CollectionLoan.title_id == title.id, CollectionLoan.loaned_on == day
        )
    )
    if loan is None:
        db.session.add(CollectionLoan(title_id=title.id, loaned_on=day, loans=loans))
    else:
        loan.loans = loans


@dataclass(frozen=True)
class FestivalLoans:
    """Loans of the collection while an edition ran (from its first day to its ceremony), and
    of the titles attached to it."""

    first_day: date
    last_day: date
    all_titles: int
    attached_titles: int
    titles_lent: int


def festival_loans(edition: Edition, until: date | None = None) -> FestivalLoans:
    """`until`: an earlier last day, to compare a running edition with the same weeks of
    another."""
    first, last = edition.starts_on, edition.ceremony_at.date()
    if until is not None:
        last = min(last, until)
    during = (CollectionLoan.loaned_on >= first) & (CollectionLoan.loaned_on <= last)
    attached = select(TitleAttachment.title_id).where(TitleAttachment.edition_id == edition.id)
    all_titles, titles_lent = db.session.execute(
        select(
            func.coalesce(func.sum(CollectionLoan.loans), 0),
            func.count(func.distinct(CollectionLoan.title_id)),
        ).where(during)
    ).one()
    attached_titles = db.session.scalar(
        select(func.coalesce(func.sum(CollectionLoan.loans), 0)).where(
            during, CollectionLoan.title_id.in_(attached)
        )
    )
    return FestivalLoans(first, last, int(all_titles), int(attached_titles), int(titles_lent))


# ---------------------------------------------------------------- exports


def attached_for_export(edition: Edition) -> list[tuple[ShownTitle, str]]:
    """Each attached title with where it is recommended (« Atelier 3 — Cadrage », « Cérémonie »)."""
    titles = edition_titles(edition)
    where = []
    for workshop in edition.workshops:
        for entry in titles.of(workshop.id):
            where.append(
                (entry, _("Atelier %(n)s — %(title)s", n=workshop.number, title=workshop.title))
            )
    for entry in titles.ceremony:
        where.append((entry, _("Cérémonie")))
    return where


def attached_csv(edition: Edition) -> bytes:
    return excel_csv(
        [
            _("N° de notice"),
            _("Titre"),
            _("Réalisation"),
            _("Année"),
            _("Cote"),
            _("Conseillé pour"),
            _("Note"),
            _("Lien catalogue"),
        ],
        [
            [
                t.record_id,
                t.title,
                t.director,
                t.year or "",
                t.shelf_mark,
                where,
                t.note,
                t.opac_url or "",
            ]
            for t, where in attached_for_export(edition)
        ],
    )


def attached_marcxml(edition: Edition, festival_url: str) -> bytes:
    """The attached titles as MARC21 records the catalogue can merge into its own: each keeps
    its record number (001) and gains a local note (590) saying the festival recommends it,
    with a link (856) to the festival's page, so the catalogue can show the festival."""
    writer_buffer = io.BytesIO()
    writer = pymarc.XMLWriter(writer_buffer)
    notes: dict[str, list[str]] = defaultdict(list)
    first: dict[str, ShownTitle] = {}
    for entry, where in attached_for_export(edition):
        first.setdefault(entry.record_id, entry)
        notes[entry.record_id].append(where + (f" : {entry.note}" if entry.note else ""))
    for record_id, entry in first.items():
        record = pymarc.Record(force_utf8=True)
        record.leader = pymarc.Leader("00000ngm a2200000 a 4500")
        record.add_field(pymarc.Field(tag="001", data=record_id))
        record.add_field(
            pymarc.Field(
                tag="245",
                indicators=pymarc.Indicators("0", "0"),
                subfields=[pymarc.Subfield("a", entry.title)],
            )
        )
        if entry.director:
            record.add_field(
                pymarc.Field(
                    tag="700",
                    indicators=pymarc.Indicators("1", " "),
                    subfields=[pymarc.Subfield("a", entry.director), pymarc.Subfield("4", "drt")],
                )
            )
        for note in notes[record_id]:
            record.add_field(
                pymarc.Field(
                    tag="590",
                    indicators=pymarc.Indicators(" ", " "),
                    subfields=[pymarc.Subfield("a", f"{edition.title} — {note}")],
                )
            )
        record.add_field(
            pymarc.Field(
                tag="856",
                indicators=pymarc.Indicators("4", "2"),
                subfields=[pymarc.Subfield("u", festival_url), pymarc.Subfield("y", edition.title)],
            )
        )
        writer.write(record)
    writer.close(close_fh=False)
    return writer_buffer.getvalue()


@participant_page_requested.connect
def titles_on_participant_pages(participant, **_kwargs) -> dict:
    """The teen's space shows, under each workshop, what the library recommends to watch."""
    return {"collection_titles": edition_titles(participant.edition)}
