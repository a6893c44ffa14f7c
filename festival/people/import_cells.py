"""A list's cells as the import reads them: text, yes/no answers, and birth dates in every form
French people write them (« 3 mars 2011 », « 03/03/11 », Excel's date cells and day numbers),
with a precise sentence when a date cannot be one."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta

from flask_babel import format_date
from flask_babel import gettext as _

from festival.clock import local_today
from festival.spreadsheets import Cell

_YES = {"oui", "o", "x", "1", "yes", "y", "vrai", "true", "ok", "signe", "signee", "accord"}
_NO = {"non", "n", "0", "no", "faux", "false", "refus", "refuse", "refusee"}


def text_of(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, datetime):
        return cell.date().strftime("%d/%m/%Y")
    if isinstance(cell, date):
        return cell.strftime("%d/%m/%Y")
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


_MONTHS = {
    **dict.fromkeys(("janvier", "janv", "jan", "january"), 1),
    **dict.fromkeys(("fevrier", "fevr", "fev", "february", "feb"), 2),
    **dict.fromkeys(("mars", "mar", "march"), 3),
    **dict.fromkeys(("avril", "avr", "april", "apr"), 4),
    **dict.fromkeys(("mai", "may"), 5),
    **dict.fromkeys(("juin", "june", "jun"), 6),
    **dict.fromkeys(("juillet", "juil", "july", "jul"), 7),
    **dict.fromkeys(("aout", "august", "aug"), 8),
    **dict.fromkeys(("septembre", "sept", "sep", "september"), 9),
    **dict.fromkeys(("octobre", "oct", "october"), 10),
    **dict.fromkeys(("novembre", "nov", "november"), 11),
    **dict.fromkeys(("decembre", "dec", "december"), 12),
}
_WEEKDAYS = r"(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\s+"
_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ t]\d{1,2}:\d{2}(?::\d{2})?)?$")
_DAY_FIRST = re.compile(r"^(\d{1,2})\s*[-/.\s]\s*(\d{1,2})\s*[-/.\s]\s*(\d{4}|\d{2})$")
_COMPACT = re.compile(r"^(\d{2})(\d{2})(\d{4})$")  # 03032011, as some forms export
_MONTH_NAME = re.compile(rf"^(?:{_WEEKDAYS})?(\d{{1,2}})(?:er)?\s+([a-z]+)\.?\s+(\d{{4}}|\d{{2}})$")
_EXCEL_SERIAL = re.compile(r"^(\d{5})(?:[.,]0+)?$")
# Excel counts days from 30 December 1899 (its 1900 leap-year bug included).
_EXCEL_EPOCH = date(1899, 12, 30)


def _full_year(year: int) -> int:
    """« 11 » is 2011 for a teenager, « 98 » 1998."""
    if year >= 100:
        return year
    return 2000 + year if 2000 + year <= local_today().year else 1900 + year


def read_birth_date(cell: Cell) -> tuple[date | None, str | None]:
    """(the date, None) or (None, a sentence saying what is wrong): every way French people
    write a date, and Excel's own (a date cell, or its day number in a CSV)."""
    if isinstance(cell, datetime):
        return cell.date(), None
    if isinstance(cell, date):
        return cell, None
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        return _excel_day(int(cell), str(cell))
    typed = text_of(cell)
    if not typed:
        return None, _("Date de naissance manquante.")
    text = unicodedata.normalize("NFKD", typed).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"\s+", " ", text).strip()
    if match := _EXCEL_SERIAL.match(text):
        return _excel_day(int(match.group(1)), typed)
    if match := _ISO.match(text):
        year, month, day = (int(part) for part in match.groups())
    elif match := (_DAY_FIRST.match(text) or _COMPACT.match(text)):
        day, month, year = (int(part) for part in match.groups())
    elif match := _MONTH_NAME.match(text):
        month = _MONTHS.get(match.group(2))
        if month is None:
            return None, _unreadable_date(typed)
        day, year = int(match.group(1)), int(match.group(3))
    else:
        return None, _unreadable_date(typed)
    return _checked_date(_full_year(year), month, day, typed)


def _excel_day(number: int, typed: str) -> tuple[date | None, str | None]:
    if not 1 <= number <= 2958465:  # Excel's last day, 31/12/9999
        return None, _unreadable_date(typed)
    return _EXCEL_EPOCH + timedelta(days=number), None


def _checked_date(year: int, month: int, day: int, typed: str) -> tuple[date | None, str | None]:
    if month > 12 and day <= 12:
        return None, _(
            "Date de naissance « %(value)s » : il n'y a pas de mois %(month)s. Elle semble écrite "
            "mois avant jour, à l'américaine : écrivez-la jour/mois/année.",
            value=typed,
            month=month,
        )
    if not 1 <= month <= 12:
        return None, _(
            "Date de naissance « %(value)s » : il n'y a pas de mois %(month)s. Écrivez-la "
            "jour/mois/année (exemple : 03/03/2011).",
            value=typed,
            month=month,
        )
    try:
        return date(year, month, day), None
    except ValueError:
        return None, _(
            "Date de naissance « %(value)s » impossible : le mois de %(month)s %(year)s n'a pas "
            "de jour %(day)s. Vérifiez le jour et le mois sur la fiche d'inscription.",
            value=typed,
            month=format_date(date(year, month, 1), "MMMM"),
            year=year,
            day=day,
        )


def _unreadable_date(typed: str) -> str:
    return _(
        "Date de naissance illisible (« %(value)s ») : écrivez-la jour/mois/année "
        "(exemple : 03/03/2011) ou en toutes lettres (3 mars 2011).",
        value=typed,
    )


def yes_no(text: str) -> bool | None:
    """True or False for a readable answer; None for an empty cell. Raises on anything else."""
    plain = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower()
    word = " ".join(re.sub(r"[^a-z0-9]+", " ", plain).split())
    if not word:
        return None
    if word in _YES or word.split()[0] in _YES:
        return True
    if word in _NO or word.split()[0] in _NO:
        return False
    raise ValueError(text)
