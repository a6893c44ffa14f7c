"""What each column of a librarian's list means: titles read by meaning (« Tél portable »,
« Ville », « Droit à l'image »), corrected by staff on the import page and remembered for the
next list with the same titles; and the recommended sheet, to download and fill in."""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import select

from festival.errors import ValidationError
from festival.extensions import db
from festival.people.import_cells import text_of
from festival.people.models import ImportColumnChoice
from festival.spreadsheets import Cell, excel_csv

FIELDS = {
    "first_name": _l("Prénom"),
    "last_name": _l("Nom"),
    "birth_date": _l("Date de naissance"),
    "email": _l("E-mail"),
    "phone": _l("Téléphone"),
    "commune": _l("Commune"),
    "guardian_name": _l("Responsable légal·e"),
    "guardian_email": _l("E-mail du ou de la responsable"),
    "guardian_phone": _l("Téléphone du ou de la responsable"),
    "consent_participation": _l("Autorisation de participation"),
    "consent_screening": _l("Droit à l'image (projection)"),
    "consent_online": _l("Droit à l'image (en ligne)"),
    "consent_image": _l("Droit à l'image (projection et en ligne)"),
    "had_library_card": _l("Carte de la médiathèque"),
    "address": _l("Adresse (pour en tirer la commune)"),
}
REQUIRED_COLUMNS = ("first_name", "last_name", "birth_date")
# The recommended sheet: every field but the two that other columns say better.
TEMPLATE_COLUMNS = tuple(
    (name, label) for name, label in FIELDS.items() if name not in ("consent_image", "address")
)

# Column titles as people write them, once normalised (accents, case, punctuation, small
# words and what is in brackets left out): « Tél. portable », « Né(e) le », « Droit à l'image ».
COLUMN_NAMES = {
    "first_name": {"prenom", "prenoms", "first name", "firstname", "given name"},
    "last_name": {"nom", "nom famille", "last name", "lastname", "surname", "family name"},
    "birth_date": {
        *("date naissance", "date naiss", "naissance", "ne le", "nee le", "ne", "ddn"),
        *("birth date", "birthdate", "date birth", "date of birth"),
    },
    "email": {
        *("e mail", "email", "courriel", "mail", "adresse e mail", "adresse mail"),
        *("adresse electronique", "e mail personnel", "mail personnel"),
    },
    "phone": {
        *("telephone", "tel", "portable", "mobile", "phone", "numero telephone"),
        *("tel portable", "telephone portable", "num portable", "numero portable", "gsm"),
    },
    "commune": {
        *("ville", "commune", "commune residence", "ville residence", "localite"),
        *("town", "city", "lieu residence"),
    },
    "address": {"adresse", "adresse postale", "domicile", "address"},
    "guardian_name": {
        *("responsable", "nom responsable", "parent", "nom parent", "representant"),
        *("nom representant", "parents", "nom parents", "tuteur", "nom tuteur"),
        *("guardian", "guardian name"),
    },
    "guardian_email": {
        *("e mail responsable", "email responsable", "mail responsable", "courriel responsable"),
        *("e mail parent", "email parent", "mail parent", "courriel parent", "mail parents"),
        *("email parents", "e mail parents", "mail representant", "email representant"),
        *("guardian email",),
    },
    "guardian_phone": {
        *("telephone responsable", "tel responsable", "portable responsable"),
        *("telephone parent", "tel parent", "portable parent", "tel parents"),
        *("telephone parents", "portable parents", "tel portable parent"),
        *("tel portable responsable", "guardian phone"),
    },
    "consent_participation": {
        *("autorisation participation", "autorisation parentale", "participation"),
        *("accord parental", "autorisation", "consent participation"),
    },
    "consent_screening": {
        *("droit image projection", "projection", "autorisation projection"),
        *("image projection", "droit image seance", "consent screening"),
    },
    "consent_online": {
        *("droit image en ligne", "en ligne", "diffusion en ligne", "autorisation en ligne"),
        *("image en ligne", "droit image internet", "diffusion internet", "consent online"),
    },
    "consent_image": {
        *("droit image", "droits image", "autorisation droit image", "autorisation image"),
        *("cession droit image", "photo video", "image rights"),
    },
    "had_library_card": {
        *("carte mediatheque", "carte bibliotheque", "abonne", "abonne mediatheque"),
        *("inscrit mediatheque", "inscrite mediatheque", "lecteur", "library card"),
    },
}
_SMALL_WORDS = {
    *("a", "au", "du", "de", "la", "le", "l", "d", "des", "ou", "et", "of", "the", "s"),
    *("legal", "legale", "legaux", "e"),  # « responsable légal·e »
    *("enfant", "jeune", "participant", "participante", "eleve", "1"),  # « Nom de l'enfant »
}


def _normalise(title: str) -> str:
    text = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", str(title))  # « Né(e) le », « (jj/mm/aaaa) »
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", " ", text.lower()).split()
    return " ".join(word for word in words if word not in _SMALL_WORDS)


_COLUMN_BY_TITLE = {
    _normalise(title): name for name, titles in COLUMN_NAMES.items() for title in titles
}


@dataclass
class ColumnMap:
    """Which field each column of the file gives (position → field); staff see it and may
    correct it before anything is read."""

    header: list[str]
    fields: dict[int, str]

    @property
    def missing(self) -> list[str]:
        return [name for name in REQUIRED_COLUMNS if name not in self.fields.values()]

    @property
    def ignored(self) -> list[str]:
        return [title for pos, title in enumerate(self.header) if title and pos not in self.fields]

    def as_choices(self) -> dict[str, str]:
        """As the form posts it: column-<position> → field, "" when ignored."""
        return {f"column-{pos}": self.fields.get(pos, "") for pos in range(len(self.header))}


def column_examples(table: list[list[Cell]], limit: int = 2) -> list[str]:
    """The first values under each title, to show staff what a column holds."""
    examples = []
    for position in range(len(table[0]) if table else 0):
        values = [text_of(row[position]) for row in table[1:] if position < len(row)]
        examples.append(", ".join([value for value in values if value][:limit]))
    return examples


def _titles(header: list[Cell]) -> list[str]:
    return [text_of(title) for title in header]


def _remembered_choices() -> dict[str, str]:
    choices = db.session.execute(select(ImportColumnChoice.title_key, ImportColumnChoice.field))
    return {key: name for key, name in choices}


def guess_columns(header: list[Cell]) -> ColumnMap:
    """Each title read by meaning: staff's earlier choice for that title first, then the
    titles people write; a field is given by one column only (the first)."""
    titles = _titles(header)
    remembered = _remembered_choices()
    fields: dict[int, str] = {}
    for position, title in enumerate(titles):
        key = _normalise(title)
        if not key:
            continue
        name = remembered[key] if key in remembered else _COLUMN_BY_TITLE.get(key)
        if name and name in FIELDS and name not in fields.values():
            fields[position] = name
    return ColumnMap(header=titles, fields=fields)


def chosen_columns(header: list[Cell], choices: dict[str, str]) -> ColumnMap:
    """The columns as staff set them on the page (column-<position> → field or "")."""
    titles = _titles(header)
    fields: dict[int, str] = {}
    for position in range(len(titles)):
        name = choices.get(f"column-{position}", "")
        if not name:
            continue
        if name not in FIELDS:
            raise ValidationError(_("Choix de colonne inconnu : rechargez la page."))
        if name in fields.values():
            first = next(pos for pos, chosen in fields.items() if chosen == name)
            raise ValidationError(
                _(
                    "« %(field)s » est choisi pour deux colonnes (« %(a)s » et « %(b)s ») : "
                    "gardez-le pour une seule et mettez l'autre sur « Ignorer ».",
                    field=FIELDS[name],
                    a=titles[first] or _("colonne %(n)s", n=first + 1),
                    b=titles[position] or _("colonne %(n)s", n=position + 1),
                )
            )
        fields[position] = name
    return ColumnMap(header=titles, fields=fields)


def remember_columns(columns: ColumnMap) -> None:
    """Keep staff's corrections (what differs from what the titles alone say) for next time."""
    existing = {
        choice.title_key: choice for choice in db.session.scalars(select(ImportColumnChoice))
    }
    for position, title in enumerate(columns.header):
        key = _normalise(title)
        if not key or len(key) > 200:
            continue
        chosen = columns.fields.get(position, "")
        guessed = _COLUMN_BY_TITLE.get(key, "")
        if key in existing:
            existing[key].field = chosen
        elif chosen != guessed:
            db.session.add(ImportColumnChoice(title_key=key, field=chosen))
    db.session.flush()


def import_template_csv() -> bytes:
    """An empty list with the recommended columns, to fill in a spreadsheet."""
    return excel_csv([str(title) for _name, title in TEMPLATE_COLUMNS], [])


TEMPLATE_HELP = {
    "first_name": _l("Obligatoire."),
    "last_name": _l("Obligatoire."),
    "birth_date": _l("Obligatoire. Une cellule date, ou 03/03/2011, ou 3 mars 2011."),
    "email": _l("Facultatif. Celui de la personne inscrite."),
    "phone": _l("Facultatif. 06 12 34 56 78, ou +44… hors de France."),
    "commune": _l("Facultatif, pour le bilan. La commune seule, pas l'adresse."),
    "guardian_name": _l("Obligatoire pour un·e mineur·e. Inutile pour les 18 ans et plus."),
    "guardian_email": _l(
        "Pour un·e mineur·e : les autorisations sans réponse lui sont demandées en ligne."
    ),
    "guardian_phone": _l("Pour un·e mineur·e, si l'e-mail manque."),
    "consent_participation": _l(
        "oui si le papier signé est revenu ; vide s'il faut la demander en ligne. Une personne "
        "majeure qui s'inscrit donne son accord : vide suffit."
    ),
    "consent_screening": _l("oui ou non d'après le papier ; vide si la réponse manque."),
    "consent_online": _l("oui ou non d'après le papier ; vide si la réponse manque."),
    "had_library_card": _l("Facultatif, pour le bilan : oui ou non."),
}


def import_template_xlsx() -> bytes:
    """The recommended sheet: the columns, a date column that holds dates, and a second sheet
    saying what each column takes. No example row, so none is imported by mistake."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(_("Inscriptions"))
    sheet.append([str(label) for _name, label in TEMPLATE_COLUMNS])
    yes_no = DataValidation(type="list", formula1=f'"{_("oui")},{_("non")}"', allow_blank=True)
    sheet.add_data_validation(yes_no)
    for position, (name, label) in enumerate(TEMPLATE_COLUMNS, start=1):
        letter = sheet.cell(row=1, column=position).column_letter
        sheet.cell(row=1, column=position).font = Font(bold=True)
        sheet.column_dimensions[letter].width = max(14, len(str(label)) + 2)
        if name == "birth_date":
            for row in range(2, 502):
                sheet.cell(row=row, column=position).number_format = "DD/MM/YYYY"
        if name.startswith("consent_") or name == "had_library_card":
            yes_no.add(f"{letter}2:{letter}501")
    sheet.freeze_panes = "A2"
    guide = workbook.create_sheet(str(_("Mode d'emploi")))
    guide.append([str(_("Colonne")), str(_("Ce qu'elle contient"))])
    for name, label in TEMPLATE_COLUMNS:
        guide.append([str(label), str(TEMPLATE_HELP[name])])
    guide.column_dimensions["A"].width = 38
    guide.column_dimensions["B"].width = 90
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
