"""The médiathèque's identity on what it hands out (certificates, the report): its name and
town, who signs, its logo and the signature. Staff set it once on /equipe/identite; until
then the LIBRARY_NAME and FESTIVAL_TOWN settings stand in."""

from __future__ import annotations

from dataclasses import dataclass
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


@dataclass(frozen=True)
class Identity:
    library_name: str
    town: str
    signatory_name: str
    signatory_title: str
    logo: Path | None
    signature: Path | None


def _row() -> LibraryIdentity | None:
    return db.session.get(LibraryIdentity, 1)


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
    )


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
    if logo:
        _store_picture(logo, LOGO_FILE, LOGO_SIDE, "logo")
    if signature:
        _store_picture(signature, SIGNATURE_FILE, SIGNATURE_SIDE, "signature")
    row = _row() or LibraryIdentity(id=1)
    db.session.add(row)
    for name, value in texts.items():
        setattr(row, name, (value or "").strip())
    row.has_logo = bool(logo) or (row.has_logo and not remove_logo)
    row.has_signature = bool(signature) or (row.has_signature and not remove_signature)
    db.session.flush()
    return row
