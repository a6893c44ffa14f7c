"""A librarian imports the season's spreadsheet on a laptop: an .xlsx of 60 rows, 5 with
problems, previewed row by row, then the 55 good ones registered in one click."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from festival.auth.models import Role
from festival.extensions import db
from festival.people.models import Participant
from tests.helpers.browser import sign_in

pytestmark = pytest.mark.browser
LAPTOP = {"width": 1366, "height": 768}
FIRST = ["Léa", "Hugo", "Chloé", "Nathan", "Manon", "Lucas", "Emma", "Louis", "Inès", "Gabriel"]
LAST = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Petit"]


def _sheet(edition, path):
    """As a librarian's spreadsheet holds it: her own column titles, date cells, extra columns."""
    book = Workbook()
    sheet = book.active
    sheet.append(
        [
            "Nom",
            "Prénom",
            "Né(e) le",
            "Classe",
            "Mail",
            "Nom du responsable",
            "Mail responsable",
            "Autorisation parentale",
            "Projection",
            "En ligne",
        ]
    )
    reference = edition.age_reference_date
    for n in range(60):
        age = 14 + n % 6
        born = reference.replace(year=reference.year - age) - timedelta(days=40 + n)
        sheet.append(
            [
                LAST[n % 6],
                f"{FIRST[n % 10]}{n}",
                born,
                "2nde",
                f"eleve{n}@exemple.fr",
                f"Parent {n}",
                f"parent{n}@exemple.fr",
                "oui",
                "oui",
                "non",
            ]
        )
    sheet["C4"] = born.replace(year=reference.year - 25)  # too old
    sheet["F9"] = sheet["G9"] = None  # no guardian (a minor)
    sheet["C9"] = reference.replace(year=reference.year - 15)
    sheet["C15"] = "31/02/2011"  # no such day
    sheet["E22"] = "eleve20@exemple"  # unreadable address
    for column in "ABCDEFGHIJ":  # row 41 repeats row 31
        sheet[f"{column}41"] = sheet[f"{column}31"].value
    sheet["E41"] = None
    book.save(path)


def test_a_librarian_imports_sixty_rows_with_five_to_fix(
    live_server, page_factory, edition, make_user, smtp_server, artifacts_dir, tmp_path
):
    edition.capacity = 100
    db.session.commit()
    make_user(Role.STAFF, login="bibliothecaire@example.org")
    spreadsheet = tmp_path / "inscriptions.xlsx"
    _sheet(edition, spreadsheet)
    page = page_factory(LAPTOP)
    sign_in(page, live_server, "bibliothecaire@example.org")
    page.goto(f"{live_server}/equipe/participants")
    page.get_by_role("link", name="Importer une liste").click()
    page.set_input_files("input[type=file]", str(spreadsheet))
    page.get_by_role("button", name="Lire la liste").click()
    page.get_by_text("55 inscrites, 5 lignes à corriger.").wait_for()
    assert page.locator("tr.row-problem").count() == 5
    page.screenshot(path=str(artifacts_dir / "import-preview.png"), full_page=True)
    assert db.session.scalar(select(func.count(Participant.id))) == 0  # nothing saved yet
    page.get_by_role("button", name=re.compile("Inscrire les 55 personnes")).click()
    page.get_by_text("Liste importée : 55 inscrites, 5 lignes à corriger.").wait_for()
    page.get_by_text("à corriger puis importer à nouveau : 4, 9, 15, 22, 41.").wait_for()
    page.screenshot(path=str(artifacts_dir / "import-done.png"))
    assert db.session.scalar(select(func.count(Participant.id))) == 55
