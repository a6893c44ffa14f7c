"""The report's figures as tables, for whoever prefers a spreadsheet to a PDF (and for screen
readers, which a PDF without structure tags serves poorly): CSV, ODS and JSON, with the same
small groups hidden as every other surface."""

from __future__ import annotations

import io
import json
from typing import Any

from flask_babel import gettext as _
from odfdo import Document, Table

from festival.report.figures import LICENCE, Count, Report, comparison
from festival.spreadsheets import excel_csv

SECTIONS = (
    "registrations",
    "returning",
    "ages",
    "communes",
    "library_cards",
    "workshops_followed",
    "dropped_out_after_workshop",
    "films",
    "ceremony",
    "loans",
)


def figure_rows(data: dict[str, Any]) -> list[list[Any]]:
    """section, key, value: one figure a row, as the open data has always been shaped."""
    rows: list[list[Any]] = [
        ["licence", "", LICENCE],
        ["small_groups", "", data["small_groups"]],
    ]
    for section in SECTIONS:
        for key, value in data.get(section, {}).items():
            rows.append([section, key, value])
    for row in data["attendance_per_workshop"]:
        rows.append(["attendance_per_workshop", row["workshop"], row["people"]])
    rows.append(["completed", data["completed"]["threshold"], data["completed"]["people"]])
    for key in ("costs_eur", "partners_eur", "cost_per_participant_eur"):
        rows.append(["budget", key, data["budget"][key]])
    for partner in data.get("partners", []):
        rows.append(["partners", partner["name"], partner["amount_eur"]])
    for entry in data.get("palmares", []):
        rows.append(["palmares", entry["award"], entry["film"]])
    return rows


def _public(value: Any) -> Any:
    return value.public() if isinstance(value, Count) else value


def comparison_rows(report: Report, previous: Report | None) -> list[list[Any]]:
    year = report.edition.year
    header = ["indicator", str(year), str(previous.edition.year) if previous else "", "change"]
    return [header] + [
        [key, _public(now), _public(before), change]
        for key, now, before, change in comparison(report, previous)
    ]


def partner_rows(report: Report) -> list[list[Any]]:
    return [["name", "role", "contribution", "amount_eur"]] + [
        [p["name"], p["role"], p["contribution"], p["amount_eur"]] for p in report.partners
    ]


def report_json(report: Report, previous: Report | None) -> bytes:
    data = report.as_data()
    data["compared_with"] = previous.edition.year if previous else None
    data["comparison"] = [
        {"indicator": key, "value": _public(now), "previous": _public(before), "change": change}
        for key, now, before, change in comparison(report, previous)
    ]
    return json.dumps(data, ensure_ascii=False, indent=2).encode()


def report_csv(report: Report, previous: Report | None) -> bytes:
    """One sheet: the figures, then the comparison as rows of its own section."""
    rows = figure_rows(report.as_data())
    for key, _now, before, change in comparison_rows(report, previous)[1:]:
        rows.append(["previous_edition", key, before])
        rows.append(["change", key, change])
    return excel_csv(["section", "key", "value"], rows)


def report_ods(report: Report, previous: Report | None) -> bytes:
    """A workbook a librarian opens in LibreOffice or Excel: a sheet per table."""
    document = Document("spreadsheet")
    body = document.body
    body.clear()
    sheets = {
        _("Chiffres"): [["section", "key", "value"], *figure_rows(report.as_data())],
        _("Évolution"): comparison_rows(report, previous),
        _("Partenaires"): partner_rows(report),
    }
    for name, rows in sheets.items():
        table = Table(name)
        table.set_values([["" if cell is None else cell for cell in row] for row in rows])
        body.append(table)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
