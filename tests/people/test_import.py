"""Importing participants from a spreadsheet: a preview that names each row's problems and saves
nothing, then the good rows registered as at the desk."""

from __future__ import annotations

import io
import re
from datetime import date

import html5lib
from openpyxl import Workbook
from sqlalchemy import func, select

from festival.auth.models import Role
from festival.extensions import db
from festival.people.guardians import waiting_for_guardian
from festival.people.models import ConsentKind, Participant, ParticipantStatus
from festival.people.registration import RegistrationData, register_participant
from tests.helpers import birth_date_for

IMPORT = "/equipe/participants/import"


def _fr(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _rows(edition):
    """Seven people as a librarian's list holds them: three good, four with a problem."""
    b = lambda age: _fr(birth_date_for(edition, age))  # noqa: E731
    return [
        [
            "Prénom",
            "Nom",
            "Né(e) le",
            "E-mail",
            "Responsable légal·e",
            "E-mail du responsable",
            "Autorisation parentale",
            "Projection",
            "En ligne",
            "Remarques",
        ],
        [
            "Zoé",
            "Lefèvre",
            b(16),
            "zoe@example.org",
            "Anne Lefèvre",
            "anne@example.org",
            "oui",
            "oui",
            "non",
            "vient avec sa sœur",
        ],
        ["Hugo", "Bernard", b(19), "hugo@example.org", "", "", "oui", "oui", "oui", ""],
        ["Maël", "Garnier", b(15), "", "Paul Garnier", "paul@example.org", "", "", "", ""],
        ["Inès", "Roux", b(14), "", "", "", "oui", "non", "non", ""],  # no guardian
        ["Théo", "Petit", b(24), "", "", "", "oui", "oui", "oui", ""],  # too old
        ["Zoé", "Lefèvre", b(16), "", "Anne Lefèvre", "", "oui", "", "", ""],  # twice
        ["Noé", "Blanc", "31/02/2011", "", "Luc Blanc", "", "oui", "", "", ""],  # no such day
    ]


def _csv(rows, delimiter=";", encoding="cp1252") -> bytes:
    return "\r\n".join(delimiter.join(row) for row in rows).encode(encoding)


def _upload(client, content: bytes, filename: str):
    return client.post_form(
        IMPORT,
        {"spreadsheet": (io.BytesIO(content), filename)},
        token_page=IMPORT,
        content_type="multipart/form-data",
    )


def _count(edition) -> int:
    return db.session.scalar(
        select(func.count(Participant.id)).where(Participant.edition_id == edition.id)
    )


def _sealed(page: str) -> str:
    return re.search(r'name="sealed_table" type="hidden" value="([^"]+)"', page).group(1)


def _column_choices(page: str) -> dict[str, str]:
    """The columns as the confirmation posts them (column-<n> → field)."""
    confirm = page.split('action="/equipe/participants/import/confirmer"')[1].split("</form>")[0]
    return dict(re.findall(r'name="(column-\d+)" value="([^"]*)"', confirm))


def _column_choice(page: str, title: str) -> str:
    """The field the page chose for the column titled `title` ("" when ignored)."""
    document = html5lib.parse(page, namespaceHTMLElements=False)
    for row in document.iter("tr"):
        label = row.find(".//label")
        select_ = row.find(".//select")
        if label is not None and select_ is not None and label.text == title:
            chosen = [o.get("value") for o in select_.iter("option") if "selected" in o.attrib]
            return chosen[0] if chosen else ""
    raise AssertionError(f"no column {title!r}")


def _confirm(client, page: str, choices: dict[str, str] | None = None):
    data = {"sealed_table": _sealed(page), **(choices or _column_choices(page))}
    return client.post_form(f"{IMPORT}/confirmer", data, token_page=IMPORT)


def test_a_windows_csv_is_previewed_row_by_row_and_nothing_is_saved(edition, login_as):
    staff = login_as(Role.STAFF)
    response = _upload(staff, _csv(_rows(edition)), "inscrits.csv")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "2 inscrites, 1 en attente de l&#39;autorisation parentale, 4 lignes à corriger." in page
    assert "Lefèvre" in page  # Windows-1252 read as such
    assert _column_choice(page, "Remarques") == ""  # ignored
    assert _column_choice(page, "Né(e) le") == "birth_date"
    assert "Autorisations demandées en ligne à paul@example.org." in page
    assert "Personne mineure sans nom de responsable légal·e" in page  # Inès
    assert "En double dans la liste : même personne qu&#39;à la ligne 2." in page
    assert "« 31/02/2011 » impossible : le mois de février 2011 n&#39;a pas de jour 31" in page
    assert _count(edition) == 0  # only a preview


def test_confirming_registers_the_good_rows_as_at_the_desk(edition, login_as, smtp_server):
    staff = login_as(Role.STAFF)
    page = _upload(staff, _csv(_rows(edition)), "inscrits.csv").get_data(as_text=True)
    done = _confirm(staff, page)
    assert done.status_code == 302
    listing = staff.get("/equipe/participants").get_data(as_text=True)
    assert (
        "Liste importée : 2 inscrites, 1 en attente de l&#39;autorisation parentale, "
        "4 lignes à corriger." in listing
    )
    assert "Lignes laissées de côté, à corriger puis importer à nouveau : 5, 6, 7, 8." in listing
    people = {p.first_name: p for p in db.session.scalars(select(Participant))}
    assert set(people) == {"Zoé", "Hugo", "Maël"}
    zoe, hugo, mael = people["Zoé"], people["Hugo"], people["Maël"]
    assert zoe.status == hugo.status == ParticipantStatus.CONFIRMED
    assert zoe.has_consent(ConsentKind.SCREENING) and not zoe.has_consent(ConsentKind.ONLINE)
    assert zoe.current_consents()[ConsentKind.PARTICIPATION].recorded_by is not None  # paper
    # Maël's guardian has not signed: the registration waits for the answer to the link.
    assert mael.status == ParticipantStatus.PENDING and waiting_for_guardian(mael)
    assert not any(mael.has_consent(kind) for kind in ConsentKind)
    (request,) = smtp_server.to("paul@example.org")
    assert "/autorisation/" in request.get_body(("plain",)).get_content()
    assert not waiting_for_guardian(zoe)
    # Importing the same list again registers nobody twice and says so; the wrong rows are
    # still the same three (Zoé's second line is now simply Zoé, already registered).
    again = _upload(staff, _csv(_rows(edition)), "inscrits.csv").get_data(as_text=True)
    assert "4 déjà inscrites, laissées telles quelles, 3 lignes à corriger." in again
    assert "Inscrire les" not in again and _count(edition) == 3


def test_an_xlsx_with_date_cells_and_a_comma_csv_in_utf8(edition, login_as):
    staff = login_as(Role.STAFF)
    book = Workbook()
    sheet = book.active
    sheet.append(
        [
            "First name",
            "Last name",
            "Date of birth",
            "Email",
            "Guardian",
            "Guardian email",
            "Participation",
        ]
    )
    sheet.append(
        ["Lou", "Martin", birth_date_for(edition, 15), "", "Sam Martin", "sam@example.org", "yes"]
    )
    sheet.append(["Ana", "Costa", birth_date_for(edition, 17), "ana@", "Rui Costa", "", "oui"])
    buffer = io.BytesIO()
    book.save(buffer)
    page = _upload(staff, buffer.getvalue(), "liste.xlsx").get_data(as_text=True)
    assert "1 inscrite, 1 ligne à corriger." in page
    assert "Adresse e-mail illisible : « ana@ »" in page
    utf8 = _csv(
        [
            [
                "prenom",
                "nom",
                "date de naissance",
                "autorisation participation",
                "responsable",
                "telephone responsable",
            ],
            [
                "Élodie",
                "Ñúñez",
                birth_date_for(edition, 16).isoformat(),
                "x",
                "Jo Ñúñez",
                "06 12 34 56 78",
            ],
        ],
        delimiter=",",
        encoding="utf-8",
    )
    page = _upload(staff, utf8, "export-formulaire.csv").get_data(as_text=True)
    assert "1 inscrite." in page and "Ñúñez" in page


def test_files_that_are_not_lists_are_refused_in_words(edition, login_as):
    staff = login_as(Role.STAFF)
    cases = [
        (b"\xd0\xcf\x11\xe0" + b"\0" * 100, "ancien.xls", "ne se lit pas comme un classeur"),
        (b"PK\x03\x04not really a zip", "liste.xlsx", "ne se lit pas comme un classeur"),
        (b"Fichier Numbers", "liste.numbers", "Enregistrer sous"),
        (
            _csv([["Nom", "Classe"], ["Roux", "2nde"]]),
            "classe.csv",
            "a été reconnue pour : Prénom, Date de naissance.",
        ),
        (b"", "vide.csv", "Le fichier est vide"),
        (b"<script>", "photo.png", "Choisissez un fichier .xlsx, .ods, .xls ou .csv"),
    ]
    for content, filename, words in cases:
        response = _upload(staff, content, filename)
        assert response.status_code == 200, filename
        assert words in response.get_data(as_text=True), filename
    assert _count(edition) == 0


def test_a_preview_cannot_be_altered_or_replayed_on_another_edition(edition, login_as):
    staff = login_as(Role.STAFF)
    page = _upload(staff, _csv(_rows(edition)), "inscrits.csv").get_data(as_text=True)
    sealed = _sealed(page)
    tampered = sealed[:-3] + ("AAA" if not sealed.endswith("AAA") else "BBB")
    response = staff.post_form(f"{IMPORT}/confirmer", {"sealed_table": tampered}, token_page=IMPORT)
    assert response.status_code == 302
    assert "Cet aperçu a expiré" in staff.get(IMPORT).get_data(as_text=True)
    assert _count(edition) == 0


def test_a_participant_cannot_import(edition, login_as):
    teen = login_as(Role.PARTICIPANT)
    assert teen.get(IMPORT).status_code == 403


def test_the_template_and_the_export_read_back(edition, login_as):
    staff = login_as(Role.STAFF)
    template = staff.get(f"{IMPORT}/modele.csv")
    assert template.status_code == 200
    header = template.get_data().decode("utf-8-sig").strip()
    page = _upload(staff, template.get_data(), "modele.csv").get_data(as_text=True)
    assert "ne contient que la ligne des titres" in page, header
    data = RegistrationData(
        first_name="Léa",
        last_name="Martin",
        birth_date=birth_date_for(edition, 16),
        guardian_name="Marc Martin",
        guardian_phone="0600000000",
        consents={kind: True for kind in ConsentKind},
    )
    register_participant(edition, data, recorded_by=None)
    db.session.commit()
    export = staff.get("/equipe/participants.csv").get_data()
    page = _upload(staff, export, "participants.csv").get_data(as_text=True)
    # Every column the export writes is read back; Léa is recognised as already registered.
    for title in ("N°", "Âge à la date de référence", "Statut"):
        assert _column_choice(page, title) == "", title
    assert "Déjà inscrite à cette édition" in page


def _xlsx_with(sheet_xml: str) -> bytes:
    """A minimal .xlsx whose first sheet is `sheet_xml` (a hostile one, hand-written)."""
    import zipfile

    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats'
            '-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
            'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml'
            '.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml'
            '/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships"><sheets><sheet name="Liste" sheetId="1" r:id="rId1"/></sheets>'
            "</workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": sheet_xml,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


SHEET = (
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{}</worksheet>'
)


def test_hostile_spreadsheets_get_a_sentence_never_a_500(edition, login_as):
    staff = login_as(Role.STAFF)
    entity = (
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/hostname">]>'
        + SHEET.format('<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&secret;</t></is>'
                       "</c></row></sheetData>")
    )  # fmt: skip
    laughs = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8)
    ) + "]>" + SHEET.format('<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&i;</t></is>'
                            "</c></row></sheetData>")  # fmt: skip
    wide = SHEET.format(
        '<dimension ref="A1:XFD2"/><sheetData><row r="1">'
        + "".join(
            f'<c r="{_column(i)}1" t="inlineStr"><is><t>Col{i}</t></is></c>' for i in range(80)
        )
        + "</row></sheetData>"
    )
    cases = [
        (_xlsx_with(entity), "entite.xlsx", "ne se lit pas comme un classeur"),
        (_xlsx_with(laughs), "rires.xlsx", "ne se lit pas comme un classeur"),
        (_xlsx_with(wide), "large.xlsx", "plus de 60 colonnes"),
        (_csv([["Prénom", "Nom"], ["A" * 140_000, "Roux"]], encoding="utf-8"), "long.csv",
         "démesurée"),
        (_csv([["Prénom", "Nom"], ["A" * 5000, "Roux"]], encoding="utf-8"), "long2.csv",
         "plus de 1000 caractères"),
    ]  # fmt: skip
    for content, filename, words in cases:
        response = _upload(staff, content, filename)
        assert response.status_code == 200, filename
        page = response.get_data(as_text=True).replace("&#39;", "'")
        assert words in page, filename
        assert len(page) < 200_000, filename
    assert _count(edition) == 0


def _column(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def test_an_imported_row_follows_the_forms_length_rules(edition):
    import pytest

    from festival.errors import ValidationError

    data = RegistrationData(
        first_name="P" * 101, last_name="Roux", birth_date=birth_date_for(edition, 16),
        consents={ConsentKind.PARTICIPATION: True},
    )  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        register_participant(edition, data, recorded_by=None)
    assert "100 caractères au plus" in refused.value.fields["first_name"]
