"""Importing participants from the lists staff already keep (a spreadsheet, a web form's export).

Two steps, as at a desk with a pile of paper forms: `preview_import` reads every row and says
what is wrong with each, saving nothing; `apply_import` registers the good rows, each as
`register_participant` would at the desk. Consents marked « oui » in the list come from the
paper forms staff hold; a minor without one gets the online link sent to the guardian.

Over 400 lines on purpose: reading a row, checking it and registering it share one row model,
and a reader follows a librarian's spreadsheet from top to bottom here.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeTimedSerializer

from festival.auth.models import User
from festival.clock import local_today
from festival.editions.models import Edition
from festival.errors import ValidationError
from festival.extensions import db
from festival.people import registration
from festival.people.age import age_on, is_minor
from festival.people.models import ConsentKind, Participant
from festival.spreadsheets import Cell, excel_csv

# Column titles as people write them, accents, case, punctuation and small words left out.
COLUMN_NAMES = {
    "first_name": {"prenom", "first name", "firstname", "given name"},
    "last_name": {"nom", "nom famille", "last name", "lastname", "surname", "family name"},
    "birth_date": {
        "date naissance",
        "date naiss",
        "naissance",
        "ne le",
        "nee le",
        "ddn",
        "birth date",
        "birthdate",
        "date birth",
    },
    "email": {"e mail", "email", "courriel", "mail", "adresse e mail", "adresse mail"},
    "phone": {"telephone", "tel", "portable", "mobile", "phone", "numero telephone"},
    "guardian_name": {
        "responsable",
        "nom responsable",
        "parent",
        "nom parent",
        "representant",
        "guardian",
        "guardian name",
    },
    "guardian_email": {
        "e mail responsable",
        "email responsable",
        "mail responsable",
        "courriel responsable",
        "e mail parent",
        "email parent",
        "mail parent",
        "guardian email",
    },
    "guardian_phone": {
        "telephone responsable",
        "tel responsable",
        "portable responsable",
        "telephone parent",
        "tel parent",
        "guardian phone",
    },
    "consent_participation": {
        "autorisation participation",
        "autorisation parentale",
        "participation",
        "consent participation",
    },
    "consent_screening": {
        "droit image projection",
        "projection",
        "autorisation projection",
        "image projection",
        "consent screening",
    },
    "consent_online": {
        "droit image en ligne",
        "en ligne",
        "diffusion en ligne",
        "autorisation en ligne",
        "image en ligne",
        "consent online",
    },
}
_SMALL_WORDS = {
    *("a", "au", "du", "de", "la", "le", "l", "d", "des", "ou", "et", "of", "the"),
    *("legal", "legale", "e"),  # « responsable légal·e »
}
_YES = {"oui", "o", "x", "1", "yes", "y", "vrai", "true", "ok"}
_NO = {"non", "n", "0", "no", "faux", "false", ""}
_DATE_FORMATS = ("%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d %m %Y")


def _normalise(title: str) -> str:
    text = unicodedata.normalize("NFKD", str(title)).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", " ", text.lower()).split()
    return " ".join(word for word in words if word not in _SMALL_WORDS)


_COLUMN_BY_TITLE = {
    _normalise(title): name for name, titles in COLUMN_NAMES.items() for title in titles
}
REQUIRED_COLUMNS = ("first_name", "last_name", "birth_date")


@dataclass
class ImportRow:
    line: int  # as the spreadsheet numbers it, the header being line 1
    values: dict[str, str]
    data: registration.RegistrationData | None = None
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def name(self) -> str:
        return f"{self.values.get('first_name', '')} {self.values.get('last_name', '')}".strip()


@dataclass
class ImportPreview:
    rows: list[ImportRow]
    columns: dict[int, str]  # position in the file → field
    ignored_columns: list[str]

    @property
    def good_rows(self) -> list[ImportRow]:
        return [row for row in self.rows if row.ok]

    @property
    def bad_rows(self) -> list[ImportRow]:
        return [row for row in self.rows if not row.ok]


TEMPLATE_COLUMNS = (
    ("first_name", _l("Prénom")),
    ("last_name", _l("Nom")),
    ("birth_date", _l("Date de naissance")),
    ("email", _l("E-mail")),
    ("phone", _l("Téléphone")),
    ("guardian_name", _l("Responsable légal·e")),
    ("guardian_email", _l("E-mail du ou de la responsable")),
    ("guardian_phone", _l("Téléphone du ou de la responsable")),
    ("consent_participation", _l("Autorisation de participation")),
    ("consent_screening", _l("Droit à l'image (projection)")),
    ("consent_online", _l("Droit à l'image (en ligne)")),
)


def import_template_csv() -> bytes:
    """An empty list with the columns the import reads, to fill in a spreadsheet."""
    return excel_csv([str(title) for _name, title in TEMPLATE_COLUMNS], [])


def _columns(header: list[Cell]) -> tuple[dict[int, str], list[str]]:
    columns: dict[int, str] = {}
    ignored = []
    for position, title in enumerate(header):
        name = _COLUMN_BY_TITLE.get(_normalise(title or ""))
        if name and name not in columns.values():
            columns[position] = name
        elif title not in (None, ""):
            ignored.append(str(title))
    missing = [name for name in REQUIRED_COLUMNS if name not in columns.values()]
    if missing:
        raise ValidationError(
            _(
                "La première ligne doit donner le titre des colonnes, dont au moins « Prénom », "
                "« Nom » et « Date de naissance ». Titres trouvés : %(found)s.",
                found=", ".join(str(t) for t in header if t not in (None, "")) or "—",
            )
        )
    return columns, ignored


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, datetime):
        return cell.date().strftime("%d/%m/%Y")
    if isinstance(cell, date):
        return cell.strftime("%d/%m/%Y")
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _date(cell: Cell) -> date | None:
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    text = _text(cell)
    for fmt in _DATE_FORMATS:
        try:
            parsed = datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        if parsed.year < 100:  # "%y" reads 07 as 2007 and 95 as 1995: fine for teenagers
            continue
        return parsed
    return None


def _yes_no(text: str) -> bool | None:
    word = _normalise(text) if text else ""
    if word in _YES:
        return True
    if word in _NO:
        return False
    return None


# Between the preview and the confirmation the list travels back in the page, signed, so that
# nothing about these people is written anywhere before staff confirm.
SEALED_TABLE_SECONDS = 2 * 3600


def _sealer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="participants-import")


def seal_table(edition: Edition, table: list[list[Cell]]) -> str:
    cells = [[_text(cell) for cell in row] for row in table]
    return _sealer().dumps({"edition": edition.id, "rows": cells})


def open_sealed_table(edition: Edition, sealed: str) -> list[list[Cell]]:
    try:
        content = _sealer().loads(sealed or "", max_age=SEALED_TABLE_SECONDS)
    except BadSignature as error:
        raise ValidationError(
            _("Cet aperçu a expiré : choisissez de nouveau le fichier de la liste.")
        ) from error
    if content.get("edition") != edition.id:
        raise ValidationError(
            _("Cet aperçu concernait une autre édition : choisissez de nouveau le fichier.")
        )
    return content["rows"]


def preview_import(edition: Edition, table: list[list[Cell]]) -> ImportPreview:
    """Read the rows and list each one's problems; nothing is saved."""
    if not table:
        raise ValidationError(_("Le fichier est vide : choisissez la liste à importer."))
    columns, ignored = _columns(table[0])
    rows = []
    seen: dict[tuple, int] = {}
    for line, cells in enumerate(table[1:], start=2):
        raw = {name: cells[pos] if pos < len(cells) else None for pos, name in columns.items()}
        row = ImportRow(line=line, values={name: _text(cell) for name, cell in raw.items()})
        _check_row(edition, row, raw)
        if row.data is not None:
            for key in _identity_keys(row.data):
                if key in seen:
                    row.problems.append(
                        _(
                            "En double dans la liste : même personne qu'à la ligne %(n)s.",
                            n=seen[key],
                        )
                    )
                    break
            else:
                for key in _identity_keys(row.data):
                    seen[key] = line
        rows.append(row)
    if not rows:
        raise ValidationError(_("La liste ne contient que la ligne des titres."))
    return ImportPreview(rows=rows, columns=columns, ignored_columns=ignored)


def _identity_keys(data: registration.RegistrationData) -> list[tuple]:
    keys: list[tuple] = [
        ("name", data.first_name.strip().lower(), data.last_name.strip().lower(), data.birth_date)
    ]
    if data.email:
        keys.append(("email", data.email.strip().lower()))
    return keys


def _check_row(edition: Edition, row: ImportRow, raw: dict[str, Cell]) -> None:
    values = row.values
    birth_date = _date(raw.get("birth_date"))
    if birth_date is None:
        row.problems.append(
            _(
                "Date de naissance illisible (« %(value)s ») : écrivez-la jj/mm/aaaa.",
                value=values.get("birth_date") or "—",
            )
            if values.get("birth_date")
            else _("Date de naissance manquante.")
        )
        return
    consents = {}
    for kind in ConsentKind:
        answer = values.get(f"consent_{kind.value}", "")
        decided = _yes_no(answer)
        if decided is None:
            row.problems.append(
                _("Autorisation « %(value)s » illisible : écrivez oui ou non.", value=answer)
            )
            decided = False
        consents[kind] = decided
    data = registration.RegistrationData(
        first_name=values.get("first_name", ""),
        last_name=values.get("last_name", ""),
        birth_date=birth_date,
        email=values.get("email") or None,
        phone=values.get("phone") or None,
        guardian_name=values.get("guardian_name") or None,
        guardian_email=values.get("guardian_email") or None,
        guardian_phone=values.get("guardian_phone") or None,
        consents=consents,
    )
    ask_guardian = (
        not consents[ConsentKind.PARTICIPATION] and is_minor(birth_date) and data.guardian_email
    )
    try:
        registration.check_registration(edition, data, consent_to_come=bool(ask_guardian))
    except ValidationError as error:
        row.problems.extend(
            _import_wording(edition, data, name, message) for name, message in error.fields.items()
        )
    for address in (data.email, data.guardian_email):
        if address and not _valid_email(address):
            row.problems.append(
                _(
                    "Adresse e-mail illisible : « %(value)s ». Corrigez-la dans la liste.",
                    value=address,
                )
            )
    if ask_guardian and not row.problems:
        row.notes.append(
            _("Autorisations demandées en ligne à %(email)s.", email=data.guardian_email)
        )
    row.data = data


def _valid_email(address: str) -> bool:
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def _import_wording(
    edition: Edition, data: registration.RegistrationData, field_name: str, message: str
) -> str:
    """The registration form's sentences, said of a row rather than to the person filling in."""
    if field_name == "birth_date" and data.birth_date <= local_today():
        return _(
            "Âge hors limites : %(age)s ans le %(day)s (date de référence), le festival accueille "
            "les %(min)s à %(max)s ans.",
            age=age_on(data.birth_date, edition.age_reference_date),
            day=edition.age_reference_date.strftime("%d/%m/%Y"),
            min=edition.age_min,
            max=edition.age_max,
        )
    if field_name == "consents.participation":
        return _(
            "Autorisation de participation manquante : écrivez « oui » si le papier est signé, "
            "ou donnez l'e-mail du ou de la responsable pour la lui demander en ligne."
        )
    return message


def apply_import(
    edition: Edition, preview: ImportPreview, *, recorded_by: User
) -> list[Participant]:
    """Register the rows without problems, as at the desk; the caller commits once."""
    registered = []
    for row in preview.good_rows:
        assert row.data is not None
        registered.append(
            registration.register_participant(
                edition,
                row.data,
                recorded_by=recorded_by,
                online=False,
                consent_to_come=not row.data.consents.get(ConsentKind.PARTICIPATION, False),
            )
        )
    db.session.flush()
    return registered
