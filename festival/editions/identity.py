"""The médiathèque's identity on what it hands out (certificates, the report): its name and
town, who signs, its logo and the signature. Staff set it once on /equipe/identite; until
then the LIBRARY_NAME and FESTIVAL_TOWN settings stand in."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

from festival.editions.models import LibraryIdentity
from festival.errors import ValidationError
from festival.extensions import db
from festival.processing.pictures import clean_png
from festival.storage import media_path
from festival.text import single_line

LOGO_FILE = "identity/logo.png"
SIGNATURE_FILE = "identity/signature.png"
MAX_PICTURE_BYTES = 8 * 1024 * 1024
LOGO_SIDE, SIGNATURE_SIDE = 800, 1200  # sharp at print size, small in every PDF
SCHOOL_ZONES = ("", "A", "B", "C")


_DAY = r"(\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4})"
_RANGE = re.compile(rf"^\s*{_DAY}(?:\s*(?:au|to|–|-)\s*{_DAY})?\s*(.*)$")


def _day(text: str) -> date:
    if "/" in text:
        day, month, year = (int(part) for part in text.split("/"))
        return date(year, month, day)
    return date.fromisoformat(text)


@dataclass(frozen=True)
class Closures:
    """When the library is closed or its teens away: the school holiday zone, the weekdays it
    is shut, its other closures. Read by the workshops' date checks."""

    school_zone: str = ""
    closed_weekdays: frozenset[int] = frozenset()
    closed_days: tuple[tuple[date, date, str], ...] = ()  # first, last, why


def parse_closed_dates(text: str) -> tuple[list[tuple[date, date, str]], list[str]]:
    """One closure a line: « 07/05/2027 pont de l'Ascension » or « 01/08/2027 au 20/08/2027
    congés d'été » (ISO dates too). Returns the closures and the lines that could not be read."""
    closures, unreadable = [], []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        match = _RANGE.match(line)
        try:
            first = _day(match.group(1)) if match else None
            last = _day(match.group(2)) if match and match.group(2) else first
        except ValueError:
            first = last = None
        if first is None or last is None or last < first:
            unreadable.append(line.strip())
            continue
        closures.append((first, last, match.group(3).strip()))
    return closures, unreadable


@dataclass(frozen=True)
class Identity:
    library_name: str
    town: str
    signatory_name: str
    signatory_title: str
    logo: Path | None
    signature: Path | None
    closures: Closures = Closures()


IDENTITY_ID = 1  # one row: the library


def _row() -> LibraryIdentity | None:
    return db.session.get(LibraryIdentity, IDENTITY_ID)


def identity_row() -> LibraryIdentity:
    """The row to change, made when there is none yet; the caller commits."""
    row = _row() or LibraryIdentity(id=IDENTITY_ID)
    db.session.add(row)
    return row


def catalogue_permalink() -> str:
    """The catalogue's address for a record (« …/notice/{id} »), or "" when none is set."""
    row = _row()
    return row.catalogue_permalink if row is not None else ""


def library_identity() -> Identity:
    row = _row()
    config = current_app.config
    logo, signature = media_path(LOGO_FILE), media_path(SIGNATURE_FILE)
    return Identity(
        library_name=(row.library_name if row else "") or config.get("LIBRARY_NAME") or "",
        town=(row.town if row else "") or config.get("FESTIVAL_TOWN") or "",
        signatory_name=row.signatory_name if row else "",
        signatory_title=row.signatory_title if row else "",
        logo=logo if row and row.has_logo and logo.exists() else None,
        signature=signature if row and row.has_signature and signature.exists() else None,
        closures=_closures(row),
    )


def closed_dates_text() -> str:
    """The closures as staff typed them, to edit."""
    row = _row()
    return row.closed_dates if row else ""


def _closures(row: LibraryIdentity | None) -> Closures:
    if row is None:
        return Closures()
    weekdays = frozenset(int(d) for d in row.closed_weekdays.split(",") if d.strip().isdigit())
    days, _unreadable = parse_closed_dates(row.closed_dates)
    return Closures(row.school_zone, weekdays, tuple(days))


def _store_picture(data: bytes, relative: str, side: int, what: str) -> None:
    if len(data) > MAX_PICTURE_BYTES:
        raise ValidationError(
            _("Cette image dépasse 8 Mo : enregistrez-la plus petite (PNG ou JPEG)."), field=what
        )
    try:
        cleaned = clean_png(data, max_side=side)
    except OSError as error:
        raise ValidationError(
            _("Cette image ne se lit pas : choisissez un fichier PNG, JPEG ou WebP."), field=what
        ) from error
    path = media_path(relative)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.new")
    temporary.write_bytes(cleaned)
    temporary.replace(path)


def save_identity(
    *,
    library_name: str,
    town: str,
    signatory_name: str,
    signatory_title: str,
    logo: bytes | None = None,
    signature: bytes | None = None,
    remove_logo: bool = False,
    remove_signature: bool = False,
    school_zone: str = "",
    closed_weekdays: list[int] | None = None,
    closed_dates: str = "",
) -> LibraryIdentity:
    """Pictures are checked and stored first (a bad one refuses the whole change, nothing
    written); the caller commits."""
    texts = {
        "library_name": library_name,
        "town": town,
        "signatory_name": signatory_name,
        "signatory_title": signatory_title,
    }
    for name, value in texts.items():
        single_line(value or "", field=name)
    if school_zone not in SCHOOL_ZONES:
        raise ValidationError(_("Choisissez la zone A, B ou C."), field="school_zone")
    _days, unreadable = parse_closed_dates(closed_dates)
    if unreadable:
        raise ValidationError(
            _(
                "Ces lignes ne se lisent pas : %(lines)s. Écrivez une date (25/12/2026) ou deux "
                "(01/08/2027 au 20/08/2027) par ligne, puis la raison si vous voulez.",
                lines=" ; ".join(f"« {line} »" for line in unreadable),
            ),
            field="closed_dates",
        )
    if logo:
        _store_picture(logo, LOGO_FILE, LOGO_SIDE, "logo")
    if signature:
        _store_picture(signature, SIGNATURE_FILE, SIGNATURE_SIDE, "signature")
    row = identity_row()
    for name, value in texts.items():
        setattr(row, name, (value or "").strip())
    row.school_zone = school_zone
    row.closed_weekdays = ",".join(
        str(d) for d in sorted(set(closed_weekdays or [])) if 0 <= d <= 6
    )
    row.closed_dates = (closed_dates or "").strip()
    row.has_logo = bool(logo) or (row.has_logo and not remove_logo)
    row.has_signature = bool(signature) or (row.has_signature and not remove_signature)
    db.session.flush()
    return row
