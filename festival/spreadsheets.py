"""Spreadsheets in and out. Out: CSV that French Excel opens as is (UTF-8 with a byte-order
mark, `;`, dates the French way, no cell that Excel would run as a formula). In: the lists staff
keep in Excel, LibreOffice or a web form's export, as CSV (`;` or `,`, UTF-8 or Windows-1252)
or .xlsx."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from flask_babel import gettext as _
from openpyxl import load_workbook

from festival.errors import ValidationError

# French Excel reads UTF-8 only with a byte-order mark, and splits columns on ';'.
EXCEL_BOM = "\ufeff"
EXCEL_DELIMITER = ";"


def excel_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=EXCEL_DELIMITER, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_excel_cell(value) for value in row])
    return (EXCEL_BOM + buffer.getvalue()).encode("utf-8")


def _excel_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    text = str(value)
    # A cell starting with = + - @ would run as a formula in Excel (CSV injection).
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        text = "'" + text
    return text


# A list of participants is a few hundred rows: anything far bigger is not one.
MAX_TABLE_BYTES = 5 * 1024 * 1024
MAX_TABLE_ROWS = 2000

Cell = str | date | datetime | int | float | None


def read_table(filename: str, content: bytes) -> list[list[Cell]]:
    """The rows of an uploaded .csv or .xlsx file (first sheet), blank rows left out.

    Text cells come back stripped; .xlsx dates come back as dates. Anything else is refused
    with a sentence saying what to do.
    """
    if not content.strip():
        raise ValidationError(_("Le fichier est vide : choisissez la liste à importer."))
    if len(content) > MAX_TABLE_BYTES:
        raise ValidationError(
            _("Ce fichier est trop gros pour une liste (5 Mo au plus) : vérifiez le fichier.")
        )
    name = (filename or "").lower()
    if content.startswith(b"PK"):  # a zip: .xlsx (and .ods, which openpyxl cannot read)
        rows = _xlsx_rows(content)
    elif name.endswith((".xls", ".ods", ".numbers")) or content.startswith(b"\xd0\xcf\x11\xe0"):
        raise ValidationError(
            _(
                "Ce format n'est pas lu : dans votre tableur, choisissez « Enregistrer sous » "
                "au format .xlsx ou .csv, puis importez ce fichier."
            )
        )
    else:
        rows = _csv_rows(content)
    rows = [row for row in rows if any(cell not in (None, "") for cell in row)]
    if len(rows) > MAX_TABLE_ROWS + 1:
        raise ValidationError(
            _("La liste dépasse %(n)s lignes : importez-la en plusieurs fois.", n=MAX_TABLE_ROWS)
        )
    return rows


def _csv_rows(content: bytes) -> list[list[Cell]]:
    text = _decode(content)
    first_line = text.split("\n", 1)[0]
    # French Excel writes ';', most other tools ','; the header line tells which.
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    if first_line.count("\t") > max(first_line.count(";"), first_line.count(",")):
        delimiter = "\t"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return [[cell.strip() for cell in row] for row in reader]


def _decode(content: bytes) -> str:
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8", errors="replace")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV" in Windows-1252; every byte decodes there.
        return content.decode("cp1252", errors="replace")


def _xlsx_rows(content: bytes) -> list[list[Cell]]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise ValidationError(
            _(
                "Ce fichier ne se lit pas comme un classeur .xlsx : enregistrez-le à nouveau "
                "au format .xlsx ou .csv depuis votre tableur."
            )
        ) from error
    try:
        sheet = workbook.worksheets[0]
        rows: list[list[Cell]] = []
        for values in sheet.iter_rows(values_only=True):
            rows.append([value.strip() if isinstance(value, str) else value for value in values])
            if len(rows) > MAX_TABLE_ROWS + 1:
                break
        return rows
    finally:
        workbook.close()
