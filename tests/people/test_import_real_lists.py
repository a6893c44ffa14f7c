"""The import tried with lists made as librarians make them: one per French spreadsheet habit
(Excel with date cells, a `;` CSV in Windows-1252, a Google Forms export in UTF-8), their own
titles, adults and minors, typos, and two truly wrong rows each. Every valid row lands; each
wrong row is named with its line and reason."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from festival.auth.models import Role
from festival.extensions import db
from festival.people import contacts
from festival.people.import_cells import read_birth_date
from festival.people.models import (
    ConsentGiver,
    ConsentKind,
    ImportColumnChoice,
    Participant,
    ParticipantStatus,
)
from tests.helpers import birth_date_for
from tests.people.test_import import IMPORT, _column_choice, _column_choices, _confirm, _upload


def _fr(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _people(edition) -> dict[str, Participant]:
    return {
        p.last_name: p
        for p in db.session.scalars(select(Participant).where(Participant.edition_id == edition.id))
    }


def _problems(page: str) -> dict[int, str]:
    """Line → the reasons given for it, as the preview's table shows them."""
    found = {}
    for line, cell in re.findall(
        r"<tr class=\"row-problem\">\s*<td>(\d+)</td>(.*?)</tr>", page, flags=re.S
    ):
        found[int(line)] = " ".join(re.findall(r"<li>(.*?)</li>", cell, flags=re.S))
    return found


def _excel_list(edition) -> bytes:
    """Excel, as kept at the desk: her own titles, date cells, the apostrophe Excel puts before
    a phone typed as text, towns typed in capitals."""
    book = Workbook()
    sheet = book.active
    sheet.append(
        [
            *("N°", "NOM", "Prénom", "Date de naissance", "Tél portable", "Ville"),
            *("Nom du responsable légal", "Mail parent", "Tél parent"),
            *("Autorisation parentale", "Droit à l'image", "Remarques"),
        ]
    )
    b = lambda age: birth_date_for(edition, age)  # noqa: E731
    sheet.append(
        [1, "Nguyễn", "Thị Ánh", b(15), "'0612345678", "VAULX-EN-VELIN"]
        + ["Nguyễn Văn Minh", "minh.nguyen@example.org", "'06 98 76 54 32", "oui", "oui", ""]
    )
    sheet.append(
        [2, "Weiß", "Jürgen", b(19), "+49 30 1234567", "Lyon 3e"]
        + ["", "", "", "", "non", "majeur"]
    )
    sheet.append(
        [3, "Martin", "Léa", b(19), "06.11.22.33.44", "Vaulx-En-Velin"] + ["", "", "", "", "", ""]
    )
    sheet.append(
        [4, "Diallo", "Awa", b(14), "", "saint genis laval"]
        + ["Fatou Diallo", "fatou.diallo@example.org", "", "", "", "pas encore rendu le papier"]
    )
    sheet.append(
        [5, "Roux", "Inès", b(16), "", "Bron"]
        + ["Marc Roux", "", "07 00 11 22 33", "oui", "non", ""]
    )
    sheet.append(  # wrong: no such day
        [6, "Blanc", "Noé", "31/02/2011", "", ""]
        + ["Luc Blanc", "luc@example.org", "", "oui", "", ""]
    )
    sheet.append(  # wrong: a minor whose guardian cannot be reached
        [7, "Petit", "Théo", b(15), "", ""] + ["Julie Petit", "", "", "oui", "oui", ""]
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


_MONTHS = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"


def _in_words(day: date) -> str:
    return f"{day.day} {_MONTHS.split()[day.month - 1]} {day.year}"


def _windows_csv(edition) -> bytes:
    """A `;` CSV saved by French Excel or LibreOffice: Windows-1252, dates typed every way."""
    rows = [
        "Nom;Prénom;Né(e) le;Courriel;Téléphone;Commune;Responsable légal;"
        "E-mail responsable;Tél. responsable;Participation;Projection;Diffusion en ligne",
        f"Lefèvre;Zoé;{_in_words(birth_date_for(edition, 16))};zoe@example.org;;Brignais;"
        "Anne Lefèvre;"
        "anne.lefevre@example.org;;oui;oui;non",
        f"Garçon;François;{birth_date_for(edition, 17).strftime('%d/%m/%y')};;;Villeurbanne;"
        "Cécile Garçon;cecile@example.org;;OUI;OUI;OUI",
        f"Bœuf;Chloé;{birth_date_for(edition, 15).strftime('%-d-%-m-%Y')};;;;Henri Bœuf;"
        "henri@example.org;;x;;",
        f"Dupré;Mathis;{birth_date_for(edition, 19).strftime('%d.%m.%Y')};mathis@example.org;"
        "0611223344;decines charpieu;;;;;oui;oui",
        # wrong: month and day swapped, as an American form writes them
        "Morel;Lina;02/31/2011;;;;Paul Morel;paul.morel@example.org;;oui;oui;oui",
        # wrong: too young for the festival
        f"Fabre;Jules;{_fr(birth_date_for(edition, 11))};;;;Éric Fabre;eric@example.org;;oui;;",
    ]
    return "\r\n".join(rows).encode("cp1252")


def _google_form_csv(edition) -> bytes:
    """A Google Forms answer sheet downloaded as CSV: UTF-8, commas, the form's questions as
    titles (one no list of synonyms would know), addresses where a town was asked."""
    rows = [
        "Horodateur,Adresse e-mail,Prénom de l'enfant,Nom de l'enfant,Date de naissance,"
        "Adresse,Nom du parent,Email du parent,Téléphone du parent,"
        "\"J'autorise mon enfant à participer au festival\",Droit à l'image",
        "2026/11/02 10:12:01,sacha@example.org,Sacha,Ivanov,"
        f"{birth_date_for(edition, 15).isoformat()},"
        '"12 rue des Lilas, 69120 Vaulx-en-Velin",Olga Ivanova,olga@example.org,+33 6 12 34 56 78,'
        "Oui,Oui",
        f"2026/11/03 18:40:55,yanis@example.org,Yanis,Benali,{_fr(birth_date_for(edition, 19))},"
        "Villeurbanne,,,,Oui,Non",
        # wrong: the teen typed her own address as her guardian's
        f"2026/11/04 09:01:10,emma@example.org,Emma,Leroy,{_fr(birth_date_for(edition, 14))},"
        "Bron,Sophie Leroy,emma@example.org,,Oui,Oui",
        # wrong: an address that cannot be one
        f"2026/11/04 21:13:00,hugo@gmail,Hugo,Faure,{_fr(birth_date_for(edition, 17))},"
        "Lyon,Marc Faure,marc@example.org,,Oui,Oui",
    ]
    return "\n".join(rows).encode("utf-8")


def test_an_excel_list_with_its_own_titles_lands_whole(edition, login_as, smtp_server):
    staff = login_as(Role.STAFF)
    page = _upload(staff, _excel_list(edition), "inscriptions 2027.xlsx").get_data(as_text=True)
    assert _column_choice(page, "Tél portable") == "phone"
    assert _column_choice(page, "Ville") == "commune"
    assert _column_choice(page, "Droit à l'image") == "consent_image"
    assert _column_choice(page, "Nom du responsable légal") == "guardian_name"
    assert _column_choice(page, "Remarques") == _column_choice(page, "N°") == ""
    assert "4 inscrites, 1 en attente de l&#39;autorisation parentale, 2 lignes à corriger" in page
    problems = _problems(page)
    assert set(problems) == {7, 8}
    assert "le mois de février 2011 n&#39;a pas de jour 31" in problems[7]
    assert "un téléphone ou un e-mail du ou de la responsable" in problems[8]
    # Consents shown as they will be stored: Awa's are asked online, none stored as « non ».
    assert "… Participation" in page and "demandée en ligne" in page
    assert _confirm(staff, page).status_code == 302

    people = _people(edition)
    assert set(people) == {"Nguyễn", "Weiß", "Martin", "Diallo", "Roux"}
    anh = people["Nguyễn"]
    assert anh.first_name == "Thị Ánh" and anh.phone == "06 12 34 56 78"
    assert anh.guardian_phone == "06 98 76 54 32" and anh.commune == "Vaulx-en-Velin"
    assert all(anh.has_consent(kind) for kind in ConsentKind)
    juergen, lea = people["Weiß"], people["Martin"]
    # Adults need no guardian; their own sign-up is their participation consent.
    assert juergen.status == lea.status == ParticipantStatus.CONFIRMED
    assert (
        juergen.current_consents()[ConsentKind.PARTICIPATION].given_by == ConsentGiver.PARTICIPANT
    )
    assert not juergen.has_consent(ConsentKind.SCREENING)  # « non » on paper
    assert lea.current_consents()[ConsentKind.SCREENING] is None  # no answer: nothing stored
    assert juergen.phone == "+49 30 1234567" and lea.phone == "06 11 22 33 44"
    assert lea.commune == "Vaulx-en-Velin" and juergen.commune == "Lyon"
    awa = people["Diallo"]
    assert awa.status == ParticipantStatus.PENDING and awa.commune == "Saint-Genis-Laval"
    assert set(awa.current_consents().values()) == {None}  # asked, nothing stored
    assert len(smtp_server.to("fatou.diallo@example.org")) == 1
    # Inès's paper says yes to taking part, no to images: answers, stored as such.
    ines = people["Roux"]
    assert ines.status == ParticipantStatus.CONFIRMED and ines.guardian_phone == "07 00 11 22 33"
    assert ines.has_consent(ConsentKind.PARTICIPATION)
    assert not ines.has_consent(ConsentKind.SCREENING)

    # The same list again: nobody twice, nothing changed, the same two lines named.
    again = _upload(staff, _excel_list(edition), "inscriptions 2027.xlsx").get_data(as_text=True)
    assert "5 déjà inscrites, laissées telles quelles, 2 lignes à corriger." in again
    assert set(_problems(again)) == {7, 8}


def test_a_windows_csv_with_dates_typed_every_way(edition, login_as):
    staff = login_as(Role.STAFF)
    page = _upload(staff, _windows_csv(edition), "liste.csv").get_data(as_text=True)
    assert "4 inscrites, 2 lignes à corriger." in page
    problems = _problems(page)
    assert set(problems) == {6, 7}
    assert "il n&#39;y a pas de mois 31" in problems[6] and "américaine" in problems[6]
    assert "Âge hors limites : 11 ans" in problems[7]
    assert _confirm(staff, page).status_code == 302
    people = _people(edition)
    assert set(people) == {"Lefèvre", "Garçon", "Bœuf", "Dupré"}
    assert people["Lefèvre"].birth_date == birth_date_for(edition, 16)
    assert people["Garçon"].birth_date == birth_date_for(edition, 17)  # « 03/03/11 »
    assert people["Bœuf"].birth_date == birth_date_for(edition, 15)
    assert people["Dupré"].phone == "06 11 22 33 44"
    assert people["Dupré"].commune == "Décines-Charpieu"


def test_a_google_form_export_with_a_column_staff_map_once(edition, login_as):
    staff = login_as(Role.STAFF)
    page = _upload(staff, _google_form_csv(edition), "Réponses.csv").get_data(as_text=True)
    question = "J'autorise mon enfant à participer au festival"
    assert _column_choice(page, question) == ""  # no list of titles knows this one
    assert _column_choice(page, "Adresse e-mail") == "email"
    assert _column_choice(page, "Prénom de l'enfant") == "first_name"
    assert _column_choice(page, "Adresse") == "address"
    # Staff say what the question means; the list is read again with it.
    choices = _column_choices(page)
    position = next(
        int(name.split("-")[1])
        for name, _ in choices.items()
        if _ is not None and _column_title(page, int(name.split("-")[1])) == question
    )
    choices[f"column-{position}"] = "consent_participation"
    reread = staff.post_form(
        f"{IMPORT}/colonnes",
        {
            "sealed_table": re.search(
                r'name="sealed_table" type="hidden" value="([^"]+)"', page
            ).group(1),
            **choices,
        },
        token_page=IMPORT,
    ).get_data(as_text=True)
    assert _column_choice(reread, question) == "consent_participation"
    assert "2 inscrites, 2 lignes à corriger." in reread
    problems = _problems(reread)
    assert "doit être le sien" in problems[4]
    assert "Adresse e-mail illisible : « hugo@gmail »" in problems[5]
    assert _confirm(staff, reread).status_code == 302
    people = _people(edition)
    assert set(people) == {"Ivanov", "Benali"}
    # The street address gave the town and was not kept.
    assert people["Ivanov"].commune == "Vaulx-en-Velin"
    assert people["Ivanov"].guardian_phone == "06 12 34 56 78"
    # Next year's export of the same form: the question is known.
    remembered = db.session.scalar(select(ImportColumnChoice))
    assert remembered.field == "consent_participation"
    page = _upload(staff, _google_form_csv(edition), "Réponses.csv").get_data(as_text=True)
    assert _column_choice(page, question) == "consent_participation"


def _column_title(page: str, position: int) -> str:
    match = re.search(rf'<label for="column-{position}">(.*?)</label>', page)
    import html

    return html.unescape(match.group(1)) if match else ""


def test_utf16_csv_as_excel_saves_unicode_text(edition, login_as):
    staff = login_as(Role.STAFF)
    text = "Prénom\tNom\tDate de naissance\tResponsable\tTél responsable\tAutorisation\r\n"
    text += f"Ánh\tNguyễn\t{_fr(birth_date_for(edition, 15))}\tMinh Nguyễn\t0612345678\toui\r\n"
    page = _upload(staff, b"\xff\xfe" + text.encode("utf-16-le"), "liste.csv").get_data(
        as_text=True
    )
    assert "1 inscrite." in page and "Nguyễn" in page
    bare = _upload(staff, text.encode("utf-16-le"), "liste.txt").get_data(as_text=True)
    assert "1 inscrite." in bare  # no byte-order mark: told by its zero bytes


def test_an_ods_list_is_read_with_its_date_cells(edition, login_as):
    from tests.people.sheets import ods_file

    staff = login_as(Role.STAFF)
    content = ods_file(
        [
            ["Prénom", "Nom", "Né le", "Responsable", "Mail responsable", "Autorisation"],
            [
                "Maëlys",
                "Nguyễn",
                birth_date_for(edition, 16),
                "Lan Nguyễn",
                "lan@example.org",
                "oui",
            ],
        ]
    )
    page = _upload(staff, content, "liste.ods").get_data(as_text=True)
    assert "1 inscrite." in page


def test_capacity_is_applied_in_the_preview_and_the_result(edition, login_as):
    edition.capacity = 12
    db.session.commit()
    staff = login_as(Role.STAFF)
    book = Workbook()
    sheet = book.active
    sheet.append(
        [
            "Prénom",
            "Nom",
            "Date de naissance",
            "Responsable",
            "Tél responsable",
            "Autorisation parentale",
        ]
    )
    for n in range(36):
        sheet.append(
            [f"Jeune{n}", f"Nom{n}", birth_date_for(edition, 15), "Parent", "06 12 34 56 78", "oui"]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    page = _upload(staff, buffer.getvalue(), "liste.xlsx").get_data(as_text=True)
    assert "12 inscrites, 24 en liste d&#39;attente." in page
    assert "12 places libres sur 12 avant cet import." in page
    _confirm(staff, page)
    listing = staff.get("/equipe/participants").get_data(as_text=True)
    assert "Liste importée : 12 inscrites, 24 en liste d&#39;attente." in listing
    statuses = [p.status for p in _people(edition).values()]
    assert statuses.count(ParticipantStatus.CONFIRMED) == 12
    assert statuses.count(ParticipantStatus.WAITLISTED) == 24


def test_the_sample_sheet_has_the_recommended_columns_and_reads_back(edition, login_as):
    staff = login_as(Role.STAFF)
    response = staff.get(f"{IMPORT}/modele.xlsx")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.get_data()))
    header = [cell.value for cell in book.worksheets[0][1]]
    assert header[:3] == ["Prénom", "Nom", "Date de naissance"]
    assert "Droit à l'image (projection)" in header
    assert book.worksheets[1].title == "Mode d'emploi"
    book.worksheets[0].append(["Ánh", "Nguyễn", birth_date_for(edition, 19)])
    buffer = io.BytesIO()
    book.save(buffer)
    page = _upload(staff, buffer.getvalue(), "modele.xlsx").get_data(as_text=True)
    assert "1 inscrite." in page
    assert "Télécharger le modèle (Excel)" in staff.get(IMPORT).get_data(as_text=True)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("03/03/2011", date(2011, 3, 3)),
        ("3/3/11", date(2011, 3, 3)),
        ("03-03-2011", date(2011, 3, 3)),
        ("03.03.2011", date(2011, 3, 3)),
        ("3 3 2011", date(2011, 3, 3)),
        ("2011-03-03", date(2011, 3, 3)),
        ("2011-03-03 00:00:00", date(2011, 3, 3)),
        ("3 mars 2011", date(2011, 3, 3)),
        ("1er mars 2011", date(2011, 3, 1)),
        ("jeudi 3 mars 2011", date(2011, 3, 3)),
        ("3 MARS 2011", date(2011, 3, 3)),
        ("17 févr. 2010", date(2010, 2, 17)),
        ("17 fevrier 2010", date(2010, 2, 17)),
        ("14 août 2009", date(2009, 8, 14)),
        ("03032011", date(2011, 3, 3)),
        ("40605", date(2011, 3, 3)),  # Excel's day number, as a CSV of a date cell shows it
        (40605.0, date(2011, 3, 3)),
        ("31/12/98", date(1998, 12, 31)),
    ],
)
def test_every_french_date_form(typed, expected, app):
    with app.test_request_context():
        assert read_birth_date(typed) == (expected, None)


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("31/02/2011", "le mois de février 2011 n'a pas de jour 31"),
        ("02/31/2011", "à l'américaine"),
        ("3/13/2011", "il n'y a pas de mois 13"),
        ("", "manquante"),
        ("né en 2011", "illisible"),
        ("3 marsss 2011", "illisible"),
    ],
)
def test_a_wrong_date_gets_its_precise_reason(typed, words, app):
    with app.test_request_context():
        found, problem = read_birth_date(typed)
    assert found is None and words in problem


def test_contacts_are_kept_as_france_writes_them(app):
    with app.test_request_context():
        assert contacts.phone_for_record("'0612345678") == "06 12 34 56 78"
        assert contacts.phone_for_record("06.12.34.56.78") == "06 12 34 56 78"
        assert contacts.phone_for_record("+33 6 12 34 56 78") == "06 12 34 56 78"
        assert contacts.phone_for_record("0033612345678") == "06 12 34 56 78"
        assert contacts.phone_for_record("+44 20 7946 0958") == "+44 20 7946 0958"
        assert contacts.phone_problem("06 12 34") is not None
        assert contacts.phone_problem("04 78 12 34 56") is None
        assert contacts.commune_for_record("VAULX-EN-VELIN") == "Vaulx-en-Velin"
        assert contacts.commune_for_record("vaulx en velin") == "Vaulx-en-Velin"
        assert contacts.commune_for_record("12 rue des Lilas") is None  # an address, not kept
        assert contacts.commune_for_record("Genève") == "Genève"  # not French: kept as typed
        assert contacts.email_problem("hugo@gmail") is not None
        assert contacts.email_problem("hugo@example.org") is None


def test_the_forms_and_the_api_keep_contacts_the_same_way(edition, login_as):
    from tests.helpers.api import bearer

    staff = login_as(Role.STAFF)
    headers = bearer(staff, staff.user)

    def register(first_name: str, phone: str):
        person = {
            "first_name": first_name,
            "last_name": "Api",
            "birth_date": birth_date_for(edition, 19).isoformat(),
            "phone": phone,
            "consents": {"participation": True},
        }
        return staff.post("/api/v1/participants", json=person, headers=headers)

    response = register("Lou", "'0612345678")
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["phone"] == "06 12 34 56 78"
    wrong = register("Max", "06 12")
    assert wrong.status_code == 422
    assert "Numéro de téléphone incomplet" in wrong.get_json()["error"]["fields"]["phone"]
