"""CSV that French Excel opens as is: UTF-8 with a byte-order mark, `;`, dates the French way,
and no cell that Excel would run as a formula."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from flask_babel import gettext as _

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
