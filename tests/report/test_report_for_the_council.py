"""The report a council and a label jury read: one page per question, each headline figure beside
last year's with the change in %, first-timers and returning teens, partners by name, the
collection's loans; the same figures as CSV, ODS and JSON; small groups hidden on each."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from pypdf import PdfReader
from python_calamine import CalamineWorkbook

from festival.auth.models import Role
from festival.collection import services as collection
from festival.collection.records import HoldingRecord
from festival.editions.models import BudgetKind, BudgetLine
from festival.editions.services import create_edition
from festival.extensions import db
from festival.report.figures import build_report, change, comparison, previous_report
from tests.helpers import birth_date_for


def _last_year(edition):
    shift = timedelta(weeks=52)
    return create_edition(
        year=edition.year - 1,
        title="Édition précédente",
        starts_on=edition.starts_on - shift,
        ends_on=edition.ends_on - shift,
        ceremony_at=edition.ceremony_at - shift,
        upload_deadline=edition.upload_deadline - shift,
        make_current=False,
    )


def _two_seasons(edition, make_participant, make_user):
    """Last year: 8 teens, 100 people in the hall, 4 loans. This year: 10 teens (3 of them
    back from last year), 125 in the hall, 6 loans, two partners (one in kind)."""
    previous = _last_year(edition)
    db.session.commit()
    edition.capacity = None
    back = []
    for n in range(8):
        person = make_participant(
            age=15,
            for_edition=previous,
            first_name=f"Ancien{n}",
            last_name="Dupont",
            birth_date=birth_date_for(edition, 16 + n % 3),
        )
        if n < 3:
            back.append(person)
    for person in back:  # the same three, registered again this year (another case too)
        make_participant(
            first_name=person.first_name.upper(),
            last_name="DUPONT",
            birth_date=person.birth_date,
        )
    for n in range(7):
        make_participant(age=14 + n % 5, first_name=f"Nouveau{n}")
    previous.ceremony_audience = 100
    edition.ceremony_audience = 125
    db.session.add_all(
        [
            BudgetLine(
                edition_id=edition.id,
                kind=BudgetKind.COST,
                label="Intervenants",
                amount_cents=150000,
            ),
            BudgetLine(
                edition_id=edition.id,
                kind=BudgetKind.PARTNER,
                label="Cinéma Le Zola",
                partner_role="Prêt de la salle pour la cérémonie",
                in_kind=True,
                amount_cents=60000,
            ),
            BudgetLine(
                edition_id=edition.id,
                kind=BudgetKind.PARTNER,
                label="DRAC Auvergne-Rhône-Alpes",
                partner_role="Subvention",
                amount_cents=80000,
            ),
        ]
    )
    collection.import_holdings(
        [HoldingRecord("N1", "Cléo de 5 à 7", "Agnès Varda", 1962, "DVD F VAR")], "csv"
    )
    db.session.flush()
    title = collection.search_titles("cleo")[0]
    collection.attach(title, edition, edition.workshops[0], "")
    collection.record_loans(title, edition.starts_on + timedelta(days=2), 6)
    collection.record_loans(title, previous.starts_on + timedelta(days=2), 4)
    # Before last year's first workshop: not counted.
    collection.record_loans(title, previous.starts_on - timedelta(days=30), 9)
    # Later in last year's season: in its total, not in the same weeks as this running one.
    collection.record_loans(title, previous.starts_on + timedelta(days=60), 10)
    db.session.commit()
    return previous


def test_each_headline_figure_beside_last_years_with_the_change(
    edition, make_participant, make_user
):
    previous = _two_seasons(edition, make_participant, make_user)
    now, before = build_report(edition), build_report(previous)
    assert previous_report(now, [before, now]) is before
    rows = {key: (value, last, delta) for key, value, last, delta in comparison(now, before)}
    assert rows["confirmed"][0].value == 10 and rows["confirmed"][1].value == 8
    assert rows["confirmed"][2] == 0.25
    assert rows["hall"] == (125, 100, 0.25)
    assert rows["loans"] == (6, 4, 0.5)  # the same weeks of last year, not its 14 in all
    assert before.loans["all_titles"] == 14
    assert rows["partners_eur"][2] is None  # nothing last year: no % from zero
    # Three came back (their names typed in capitals this time), seven are new.
    assert (now.returning["returning"].value, now.returning["first_time"].value) == (3, 7)
    assert now.partners == [
        {
            "name": "Cinéma Le Zola",
            "role": "Prêt de la salle pour la cérémonie",
            "contribution": "in_kind",
            "amount_eur": 600.0,
        },
        {
            "name": "DRAC Auvergne-Rhône-Alpes",
            "role": "Subvention",
            "contribution": "money",
            "amount_eur": 800.0,
        },
    ]
    assert change(0, 5) == -1.0 and change(3, 0) is None


def test_the_pdf_answers_one_question_a_page_with_last_years_figures(
    edition, make_participant, make_user, login_as
):
    _two_seasons(edition, make_participant, make_user)
    pdf = login_as(Role.STAFF).get("/equipe/bilan.pdf").get_data()
    reader = PdfReader(io.BytesIO(pdf))
    # Each page's text starts with its foot (drawn first), then the page's own title.
    pages = [
        " ".join(page.extract_text().split()).split(f"page {n} ", 1)[1]
        for n, page in enumerate(reader.pages, start=1)
    ]
    firsts = [page[:40] for page in pages]
    questions = [
        "Qui a participé ?",
        "Qu'ont-ils fait ?",
        "Qu'ont-ils créé ?",
        "Qui est venu ?",
        "Qui a aidé ?",
        "Combien cela a-t-il coûté ?",
        "Le fonds cinéma de la médiathèque",
        "D'une année sur l'autre",
    ]
    for question in questions:
        assert sum(page.startswith(question) for page in pages) == 1, (question, firsts)
    # The summary: this year, last year, the change.
    assert f"Indicateur {edition.year} {edition.year - 1} Évolution" in pages[0]
    assert "Spectateurs comptés à la cérémonie 125 100 +25 %" in pages[0]
    assert "Prêts du fonds cinéma pendant le festival 6 4 +50 %" in pages[0]
    helped = next(page for page in pages if page.startswith("Qui a aidé ?"))
    assert "Cinéma Le Zola Prêt de la salle pour la cérémonie en nature (valorisé) 600,00" in helped
    took_part = next(page for page in pages if page.startswith("Qui a participé ?"))
    assert "le genre n'est pas demandé" in took_part
    # « < 5 » for the three who came back, and the complement hidden too.
    assert "déjà venu·es une année précédente < 5" in took_part
    assert "première participation secret" in took_part
    assert reader.metadata.title.startswith("Bilan de l'édition")
    assert reader.metadata.subject


def test_the_same_figures_as_csv_ods_and_json_with_small_groups_hidden(
    edition, make_participant, make_user, login_as
):
    _two_seasons(edition, make_participant, make_user)
    staff = login_as(Role.STAFF)
    data = staff.get("/equipe/bilan.json").get_json()
    assert data["returning"] == {"first_time": "secret", "returning": "< 5"}
    assert data["compared_with"] == edition.year - 1
    hall = next(row for row in data["comparison"] if row["indicator"] == "hall")
    assert hall == {"indicator": "hall", "value": 125, "previous": 100, "change": 0.25}
    assert data["loans"]["all_titles"] == 6 and data["partners"][0]["name"] == "Cinéma Le Zola"

    body = staff.get("/equipe/bilan.csv").get_data().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body), delimiter=";"))
    assert ["returning", "returning", "< 5"] in rows and [
        "returning",
        "first_time",
        "secret",
    ] in rows
    assert ["change", "hall", "0.25"] in rows or ["change", "hall", "0,25"] in rows
    assert ["partners", "DRAC Auvergne-Rhône-Alpes", "800.0"] in rows or any(
        r[:2] == ["partners", "DRAC Auvergne-Rhône-Alpes"] for r in rows
    )

    response = staff.get("/equipe/bilan.ods")
    assert response.mimetype == "application/vnd.oasis.opendocument.spreadsheet"
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.get_data()))
    assert book.sheet_names == ["Chiffres", "Évolution", "Partenaires"]
    figures = book.get_sheet_by_name("Chiffres").to_python()
    assert ["returning", "returning", "< 5"] in figures
    evolution = book.get_sheet_by_name("Évolution").to_python()
    assert ["hall", 125.0, 100.0, 0.25] in evolution
    # Nobody's name anywhere.
    for text in (str(data), body, str(figures)):
        assert "Ancien" not in text and "Nouveau" not in text and "Dupont" not in text


def test_the_report_page_shows_the_comparison_the_partners_and_the_loans(
    edition, make_participant, make_user, login_as
):
    _two_seasons(edition, make_participant, make_user)
    page = login_as(Role.STAFF).get("/equipe/bilan").get_data(as_text=True)
    assert "édition en bref" in page and "+25\xa0%" in page
    assert "Prêt de la salle pour la cérémonie" in page and "Apport en nature" in page
    assert "prêts du fonds cinéma pendant le festival" in page


def test_the_screened_films_are_in_the_pdf_with_a_still_only_where_consented(
    edition, make_valid_film, block, login_as
):
    """The films of the published programme, three a row (a cell holding a film once made
    the PDF impossible to lay out: a 500 on the demo)."""
    from festival.programme import services as programme

    for title in ("Aube", "Brume", "Ciel", "Dune"):
        programme.add_film(block, make_valid_film(title))
    programme.publish(edition)
    db.session.commit()
    response = login_as(Role.STAFF).get("/equipe/bilan.pdf")
    assert response.status_code == 200
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(response.data)).pages]
    made = next(page for page in pages if "Qu'ont-ils créé ?" in page)
    assert "Les films projetés" in made and all(t in made for t in ("Aube", "Brume", "Dune"))
