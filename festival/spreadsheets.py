"""Spreadsheets in and out. Out: CSV that French Excel opens as is (UTF-8 with a byte-order
mark, `;`, dates the French way, no cell that Excel would run as a formula). In: the lists staff
keep in Excel, LibreOffice or a web form's export: CSV (`;`, `,` or tabs; UTF-8, UTF-16 or
Windows-1252, found by their bytes), .xlsx, .ods and old .xls."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from festival.errors import ValidationError

# French Excel reads UTF-8 only with a byte-order mark, and splits columns on ';'.
EXCEL_BOM = "\ufeff"
EXCEL_DELIMITER = ";"


def excel_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=EXCEL_DELIMITER, lineterminator="\r\n")
    writer.writerow(header)
    # Translated once, not once a cell: an export of 2,000 people has 6,000 yes/no cells.
    yes_no = {True: _("oui"), False: _("non")}
    for row in rows:
        writer.writerow([_excel_cell(value, yes_no) for value in row])
    return (EXCEL_BOM + buffer.getvalue()).encode("utf-8")


def _excel_cell(value: object, yes_no: dict[bool, str]) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return yes_no[value]
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
# A librarian's list has a dozen columns and short cells; a file far beyond is no such list
# (a 49 KB .xlsx declaring 16,384 columns once took 50 s and 844 MB to read).
MAX_TABLE_COLUMNS = 60
MAX_CELL_CHARACTERS = 1000
# What an .xlsx or .ods may unpack to: a zip bomb is refused before any XML is parsed.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024

Cell = str | date | datetime | int | float | None


def read_table(
    filename: str, content: bytes, *, max_rows: int = MAX_TABLE_ROWS
) -> list[list[Cell]]:
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
    if content.startswith(b"PK"):  # a zip: .xlsx or .ods
        is_ods = _checked_zip_is_ods(content)
        rows = _calamine_rows(content) if is_ods else _xlsx_rows(content)
    elif content.startswith(b"\xd0\xcf\x11\xe0"):  # the old binary .xls
        rows = _calamine_rows(content)
    elif name.endswith((".numbers", ".xls", ".ods", ".xlsx")):
        raise ValidationError(
            _(
                "Ce format n'est pas lu : dans votre tableur, choisissez « Enregistrer sous » "
                "au format .xlsx, .ods ou .csv, puis importez ce fichier."
            )
        )
    else:
        rows = _csv_rows(content)
    rows = _without_empty_edges(rows)
    _check_budget(rows)
    if len(rows) > max_rows + 1:
        raise ValidationError(
            _("La liste dépasse %(n)s lignes : importez-la en plusieurs fois.", n=max_rows)
        )
    return rows


def _without_empty_edges(rows: list[list[Cell]]) -> list[list[Cell]]:
    """Blank rows left out, and the blank columns a sheet declares past its last used one."""
    rows = [row for row in rows if any(cell not in (None, "") for cell in row)]
    width = max(
        (max(i for i, cell in enumerate(row) if cell not in (None, "")) + 1 for row in rows),
        default=0,
    )
    return [row[:width] for row in rows]


def _check_budget(rows: list[list[Cell]]) -> None:
    for number, row in enumerate(rows, start=1):
        if len([c for c in row if c not in (None, "")]) > MAX_TABLE_COLUMNS:
            raise ValidationError(
                _(
                    "La ligne %(line)s a plus de %(n)s colonnes remplies : ce fichier n'est pas "
                    "une liste d'inscriptions. Gardez une ligne par personne et une colonne par "
                    "information.",
                    line=number,
                    n=MAX_TABLE_COLUMNS,
                )
            )
        for cell in row:
            if isinstance(cell, str) and len(cell) > MAX_CELL_CHARACTERS:
                raise ValidationError(
                    _(
                        "La ligne %(line)s contient une cellule de plus de %(n)s caractères : "
                        "vérifiez le fichier (une liste ne contient que des noms, des dates et "
                        "des coordonnées).",
                        line=number,
                        n=MAX_CELL_CHARACTERS,
                    )
                )


def _csv_rows(content: bytes) -> list[list[Cell]]:
    text = _decode(content)
    first_line = text.split("\n", 1)[0]
    # French Excel writes ';', most other tools ','; the header line tells which.
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    if first_line.count("\t") > max(first_line.count(";"), first_line.count(",")):
        delimiter = "\t"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    try:
        for row in reader:
            rows.append([cell.strip() for cell in row[: MAX_TABLE_COLUMNS * 4]])
            if len(rows) > MAX_TABLE_ROWS + 1:
                break
    except csv.Error:  # a field past the csv module's own limit (131,072 characters)
        raise ValidationError(
            _(
                "Une cellule de la ligne %(line)s est démesurée : ce fichier n'est pas une liste "
                "d'inscriptions. Enregistrez-la à nouveau au format .csv ou .xlsx.",
                line=len(rows) + 1,
            )
        ) from None
    return rows


def _decode(content: bytes) -> str:
    """UTF-8 (with or without its mark), UTF-16 (Excel's « Texte Unicode », with its mark, or
    told by the zero bytes of Latin letters), else Windows-1252, where every byte decodes."""
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8", errors="replace")
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content.decode("utf-16", errors="replace")
    sample = content[:2000]
    even_zeros, odd_zeros = sample[0::2].count(0), sample[1::2].count(0)
    if odd_zeros > len(sample) // 4 and even_zeros == 0:
        return content.decode("utf-16-le", errors="replace")
    if even_zeros > len(sample) // 4 and odd_zeros == 0:
        return content.decode("utf-16-be", errors="replace")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


UNREADABLE_XLSX = _l(
    "Ce fichier ne se lit pas comme un classeur .xlsx : enregistrez-le à nouveau au format .xlsx "
    "ou .csv depuis votre tableur."
)


UNREADABLE_SHEET = _l(
    "Ce fichier ne se lit pas comme un classeur : enregistrez-le à nouveau au format .xlsx, "
    ".ods ou .csv depuis votre tableur."
)


def _calamine_rows(content: bytes) -> list[list[Cell]]:
    """The first sheet of an .ods or .xls; dates come back as dates, as with .xlsx."""
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
        sheet = workbook.get_sheet_by_index(0)
        values = sheet.to_python(skip_empty_area=False, nrows=MAX_TABLE_ROWS + 2)
    except Exception as error:  # any malformed or hostile workbook (CalamineError mostly)
        raise ValidationError(str(UNREADABLE_SHEET)) from error
    rows: list[list[Cell]] = []
    for row in values:
        rows.append([_calamine_cell(value) for value in row[: MAX_TABLE_COLUMNS + 1]])
    return rows


def _calamine_cell(value: object) -> Cell:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, date | int | float):
        return value
    return None if value is None else str(value)


def _xlsx_rows(content: bytes) -> list[list[Cell]]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # any malformed or hostile workbook (defusedxml's refusals too)
        raise ValidationError(str(UNREADABLE_XLSX)) from error
    try:
        sheet = workbook.worksheets[0]
        rows: list[list[Cell]] = []
        # Only the columns a list uses: a declared 16,384-column sheet is not read cell by cell.
        for values in sheet.iter_rows(max_col=MAX_TABLE_COLUMNS + 1, values_only=True):
            rows.append([value.strip() if isinstance(value, str) else value for value in values])
            if len(rows) > MAX_TABLE_ROWS + 1:
                break
        return rows
    except ValidationError:
        raise
    except Exception as error:
        raise ValidationError(str(UNREADABLE_XLSX)) from error
    finally:
        workbook.close()


def _checked_zip_is_ods(content: bytes) -> bool:
    """A zip bomb refused before any XML is parsed; then whether the workbook is an .ods
    (its `mimetype` member says so) rather than an .xlsx, read from the same opening."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
            names = set(archive.namelist())
            mimetype = archive.read("mimetype") if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError) as error:
        raise ValidationError(str(UNREADABLE_XLSX)) from error
    if unpacked > MAX_UNPACKED_BYTES:
        raise ValidationError(
            _(
                "Ce classeur se décompresse en plus de 50 Mo : ce n'est pas une liste "
                "d'inscriptions. Enregistrez la liste seule au format .xlsx ou .csv."
            )
        )
    return mimetype.startswith(b"application/vnd.oasis.opendocument")
