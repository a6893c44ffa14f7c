"""The library's film collection: catalogue exports as libraries make them (UNIMARC and MARC21,
ISO 2709 and MARCXML, built here with pymarc, and spreadsheets with the catalogue's headings),
imported again without duplicates; titles linked to the catalogue, attached to workshops and
the ceremony, shown on every surface; loans counted without any reader."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

import pymarc
import pytest
from sqlalchemy import func, select

from festival.auth.models import Role
from festival.collection import services
from festival.collection.models import CollectionLoan, CollectionTitle, TitleAttachment
from festival.collection.records import read_catalogue_file
from festival.editions.identity import catalogue_permalink
from festival.extensions import db

PERMALINK = "https://catalogue.example/notice/{id}"
PAGE = "/equipe/fonds"

# (record id, title, director's surname, forename, year, shelf mark)
FILMS = [
    ("UNI0001", "Cléo de 5 à 7", "Varda", "Agnès", 1962, "DVD F VAR"),
    ("UNI0002", "Mùa hè chiều thẳng đứng", "Trần", "Anh Hùng", 2000, "DVD F TRA"),
    ("UNI0003", "Der Himmel über Berlin", "Wenders", "Wim", 1987, "DVD F WEN"),
    ("UNI0004", "Die bleierne Zeit", "von Trotta", "Margarethe", 1981, "DVD F TRO"),
] + [
    (
        f"UNI{n:04d}",
        f"Court métrage n°{n}",
        f"Réalisatrice{n}",
        "Camille",
        1990 + n % 30,
        f"DVD {n}",
    )
    for n in range(5, 61)
]


def _sub(code: str, value: str) -> pymarc.Subfield:
    return pymarc.Subfield(code, value)


def unimarc_record(record_id, title, surname, forename, year, shelf) -> pymarc.Record:
    """As French catalogues export a DVD: 200 $a title (with non-sorting markers around an
    article), 700 with relator 300 for the director, 702 with another role, 214 $d, 995 $k."""
    record = pymarc.Record(force_utf8=True, leader="     ngm0 22     450 ")
    record.add_field(pymarc.Field(tag="001", data=record_id))
    record.add_field(
        pymarc.Field(
            tag="200",
            indicators=pymarc.Indicators("1", " "),
            subfields=[_sub("a", title), _sub("b", "Images animées")],
        )
    )
    record.add_field(
        pymarc.Field(
            tag="214", indicators=pymarc.Indicators(" ", "0"), subfields=[_sub("d", f"C {year}")]
        )
    )
    record.add_field(
        pymarc.Field(
            tag="702",
            indicators=pymarc.Indicators(" ", "1"),
            subfields=[_sub("a", "Legrand"), _sub("b", "Michel"), _sub("4", "230")],
        )
    )
    record.add_field(
        pymarc.Field(
            tag="700",
            indicators=pymarc.Indicators(" ", "1"),
            subfields=[_sub("a", surname), _sub("b", forename), _sub("4", "300")],
        )
    )
    record.add_field(
        pymarc.Field(
            tag="995",
            indicators=pymarc.Indicators(" ", " "),
            subfields=[_sub("b", "BIB"), _sub("k", shelf), _sub("r", "DVD")],
        )
    )
    return record


def marc21_record(record_id, title, surname, forename, year, shelf) -> pymarc.Record:
    record = pymarc.Record(force_utf8=True)
    record.leader = pymarc.Leader("00000ngm a2200000 i 4500")
    record.add_field(pymarc.Field(tag="001", data=record_id))
    record.add_field(pymarc.Field(tag="008", data=f"200101s{year}    fr --- vleng d"))
    record.add_field(
        pymarc.Field(
            tag="245",
            indicators=pymarc.Indicators("1", "0"),
            subfields=[_sub("a", f"{title} /"), _sub("c", f"{forename} {surname}.")],
        )
    )
    record.add_field(
        pymarc.Field(
            tag="264",
            indicators=pymarc.Indicators(" ", "1"),
            subfields=[_sub("a", "Paris :"), _sub("b", "Éditeur,"), _sub("c", f"[{year}]")],
        )
    )
    record.add_field(
        pymarc.Field(
            tag="700",
            indicators=pymarc.Indicators("1", " "),
            subfields=[_sub("a", f"{surname}, {forename},"), _sub("e", "film director.")],
        )
    )
    record.add_field(
        pymarc.Field(
            tag="852", indicators=pymarc.Indicators(" ", " "), subfields=[_sub("h", shelf)]
        )
    )
    return record


def iso2709(records) -> bytes:
    return b"".join(record.as_marc() for record in records)


def marcxml(records) -> bytes:
    buffer = io.BytesIO()
    writer = pymarc.XMLWriter(buffer)
    for record in records:
        writer.write(record)
    writer.close(close_fh=False)
    return buffer.getvalue()


def _titles() -> int:
    return db.session.scalar(select(func.count(CollectionTitle.id)))


def _import(client, content: bytes, filename: str):
    return client.post_form(
        f"{PAGE}/import",
        {"catalogue_file": (io.BytesIO(content), filename)},
        token_page=PAGE,
        content_type="multipart/form-data",
    )


def test_a_unimarc_export_of_sixty_films_imports_once(app, edition, login_as):
    staff = login_as(Role.STAFF)
    content = iso2709(unimarc_record(*film) for film in FILMS)
    response = _import(staff, content, "export-fonds.mrc")
    assert response.status_code == 302
    assert _titles() == 60
    cleo = db.session.scalar(select(CollectionTitle).where(CollectionTitle.record_id == "UNI0001"))
    assert (cleo.title, cleo.director, cleo.year, cleo.shelf_mark, cleo.source) == (
        "Cléo de 5 à 7",
        "Agnès Varda",  # the director (relator 300), not the composer listed first
        1962,
        "DVD F VAR",
        "unimarc",
    )
    viet = db.session.scalar(select(CollectionTitle).where(CollectionTitle.record_id == "UNI0002"))
    assert (viet.title, viet.director) == ("Mùa hè chiều thẳng đứng", "Anh Hùng Trần")

    again = _import(staff, content, "export-fonds.mrc")
    page = staff.get(again.headers["Location"]).get_data(as_text=True)
    assert "0 titres ajoutés, 0 mis à jour, 60 déjà à jour" in page
    assert _titles() == 60


def test_a_marc21_export_reads_as_iso2709_and_marcxml_and_updates_in_place(app, edition):
    records = [marc21_record(*film) for film in FILMS]
    read = read_catalogue_file("notices.mrc", iso2709(records))
    assert read.format == "marc21" and len(read.records) == 60 and not read.skipped
    outcome = services.import_holdings(read.records, "marc21")
    db.session.commit()
    assert (outcome.added, outcome.updated) == (60, 0)
    berlin = db.session.scalar(
        select(CollectionTitle).where(CollectionTitle.record_id == "UNI0003")
    )
    assert (berlin.title, berlin.director, berlin.year, berlin.shelf_mark) == (
        "Der Himmel über Berlin",
        "Wim Wenders",  # « Wenders, Wim, » turned round
        1987,
        "DVD F WEN",
    )
    # The catalogue corrected a title: the same record is updated, nothing is added.
    records[3] = marc21_record(
        "UNI0004", "Les Années de plomb", "von Trotta", "Margarethe", 1981, "DVD F TRO"
    )
    read = read_catalogue_file("notices.xml", marcxml(records))
    assert read.format == "marc21" and len(read.records) == 60
    outcome = services.import_holdings(read.records, "marc21")
    db.session.commit()
    assert (outcome.added, outcome.updated, outcome.unchanged) == (0, 1, 59)
    assert _titles() == 60
    assert (
        db.session.scalar(
            select(CollectionTitle.title).where(CollectionTitle.record_id == "UNI0004")
        )
        == "Les Années de plomb"
    )


def test_a_unimarc_marcxml_file_and_records_without_number_or_title(app, edition):
    records = [unimarc_record(*film) for film in FILMS[:3]]
    no_number = unimarc_record(*FILMS[3])
    no_number.remove_fields("001")
    records.append(no_number)
    read = read_catalogue_file("export.xml", marcxml(records))
    assert read.format == "unimarc" and [r.record_id for r in read.records] == [
        "UNI0001",
        "UNI0002",
        "UNI0003",
    ]
    assert read.skipped == ["Notice 4 (Die bleierne Zeit) : sans numéro de notice (001)."]


def test_hostile_or_wrong_files_are_refused_with_a_sentence(app, edition, login_as):
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><collection>&lol2;</collection>'
    )
    staff = login_as(Role.STAFF)
    response = _import(staff, bomb, "evil.xml")
    page = staff.get(response.headers["Location"]).get_data(as_text=True)
    assert "ne se lit pas comme du MARCXML" in page
    response = _import(staff, "Nom;Prénom\nDupont;Jean\n".encode(), "liste.csv")
    page = staff.get(response.headers["Location"]).get_data(as_text=True)
    assert "colonne « Titre » et une colonne « N° de notice »" in page
    assert _titles() == 0


def test_a_spreadsheet_with_the_catalogue_headings(app, edition):
    content = (
        "N° de notice;Titre;Réalisateur;Année;Cote\r\n"
        "K-1;La Haine;Kassovitz, Mathieu;1995;DVD F KAS\r\n"
        "K-2;Portrait de la jeune fille en feu;Céline Sciamma;2019;DVD F SCI\r\n"
        ";Sans numéro;X;2000;\r\n"
    ).encode("cp1252")
    read = read_catalogue_file("prets.csv", content)
    assert [(r.record_id, r.director, r.year) for r in read.records] == [
        ("K-1", "Mathieu Kassovitz", 1995),
        ("K-2", "Céline Sciamma", 2019),
    ]
    assert read.skipped == ["Ligne 4 : il manque le titre ou le n° de notice."]


def test_the_command_imports_and_sets_the_catalogue_address(app, edition, tmp_path):
    path = tmp_path / "fonds.mrc"
    path.write_bytes(iso2709(unimarc_record(*film) for film in FILMS))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["collection", "import", str(path), "--permalink", PERMALINK])
    assert result.exit_code == 0, result.output
    assert "60 added, 0 updated, 0 unchanged, 0 skipped" in result.output
    result = runner.invoke(args=["collection", "import", str(path)])
    assert "0 added, 0 updated, 60 unchanged" in result.output
    assert catalogue_permalink() == PERMALINK
    bad = runner.invoke(args=["collection", "import", str(path), "--permalink", "catalogue"])
    assert bad.exit_code == 1 and "https://" in bad.output


def _imported(count: int = 60) -> None:
    read = read_catalogue_file("f.mrc", iso2709(unimarc_record(*film) for film in FILMS[:count]))
    services.import_holdings(read.records, "unimarc")
    services.save_permalink(PERMALINK)
    db.session.commit()


def _title(record_id: str) -> CollectionTitle:
    return db.session.scalar(select(CollectionTitle).where(CollectionTitle.record_id == record_id))


def test_staff_find_a_title_and_recommend_it_for_a_workshop_and_the_ceremony(
    app, edition, login_as, make_client
):
    _imported()
    staff = login_as(Role.STAFF)
    page = staff.get(f"{PAGE}?q=varda+cleo").get_data(as_text=True)  # no accent typed
    assert "Cléo de 5 à 7" in page and "Der Himmel" not in page
    workshop = edition.workshops[2]
    cleo, berlin = _title("UNI0001"), _title("UNI0003")
    response = staff.post_form(
        f"{PAGE}/conseils",
        {"title_id": cleo.id, "target": str(workshop.id), "note": "à voir avant l'atelier cadrage"},
        token_page=PAGE,
    )
    assert response.status_code == 302
    staff.post_form(
        f"{PAGE}/conseils", {"title_id": berlin.id, "target": "ceremony"}, token_page=PAGE
    )
    assert db.session.scalar(select(func.count(TitleAttachment.id))) == 2

    # The public workshop page, the home page, the programme's data, the API: with the link.
    visitor = make_client()
    workshop_page = visitor.get(f"/programme/{edition.year}/ateliers/{workshop.number}")
    assert workshop_page.status_code == 200
    html = workshop_page.get_data(as_text=True)
    assert 'href="https://catalogue.example/notice/UNI0001"' in html
    assert "à voir avant l&#39;atelier cadrage" in html and "Agnès Varda, 1962" in html
    home = visitor.get("/").get_data(as_text=True)
    assert f'/programme/{edition.year}/ateliers/{workshop.number}"' in home
    assert "https://catalogue.example/notice/UNI0001" in home

    api = visitor.get("/api/v1/editions/current").get_json()
    entry = next(w for w in api["workshops"] if w["number"] == workshop.number)
    assert entry["titles"] == [
        {
            "title": "Cléo de 5 à 7",
            "director": "Agnès Varda",
            "year": 1962,
            "shelf_mark": "DVD F VAR",
            "record_id": "UNI0001",
            "opac_url": "https://catalogue.example/notice/UNI0001",
            "note": "à voir avant l'atelier cadrage",
        }
    ]
    assert all(w["titles"] == [] for w in api["workshops"] if w["number"] != workshop.number)

    festival = json.loads(visitor.get(f"/programme/{edition.year}/festival.jsonld").get_data())
    assert festival["@type"] == "Festival"
    lesson = next(e for e in festival["subEvent"] if e.get("workFeatured"))
    assert lesson["@type"] == "EducationEvent"
    assert lesson["workFeatured"][0]["url"] == "https://catalogue.example/notice/UNI0001"
    assert festival["workFeatured"][0]["name"] == "Der Himmel über Berlin"

    # Removing one: gone from the public page at once (its cached copy is forgotten).
    attachment = db.session.scalar(
        select(TitleAttachment).where(TitleAttachment.title_id == cleo.id)
    )
    staff.post_form(f"{PAGE}/conseils/{attachment.id}/retirer", token_page=PAGE)
    html = visitor.get(f"/programme/{edition.year}/ateliers/{workshop.number}").get_data(
        as_text=True
    )
    assert "UNI0001" not in html and "pas encore conseillé" in html


def test_the_teen_sees_the_titles_under_her_workshops(app, edition, make_participant, login_as):
    _imported(5)
    services.attach(_title("UNI0002"), edition, edition.workshops[0], "")
    db.session.commit()
    teen = make_participant(account=True)
    client = login_as(teen.user)
    page = client.get("/mon-espace").get_data(as_text=True)
    assert "Mùa hè chiều thẳng đứng" in page
    assert 'href="https://catalogue.example/notice/UNI0002"' in page


def test_the_collection_api_searches_titles_and_directors(app, edition, client):
    _imported()
    found = client.get("/api/v1/collection?q=WENDERS").get_json()
    assert [r["title"] for r in found["results"]] == ["Der Himmel über Berlin"]
    assert found["results"][0]["opac_url"] == "https://catalogue.example/notice/UNI0003"
    assert set(found["results"][0]) >= {"title", "director", "year", "opac_url"}
    assert (
        client.get("/api/v1/collection?q=trotta+bleierne").get_json()["results"][0]["year"] == 1981
    )
    assert client.get("/api/v1/collection?q=").get_json()["results"] == []
    assert client.get("/api/v1/collection?q=%25").get_json()["results"] == []  # no wildcard
    assert client.get("/api/v1/collection?limit=500&q=a").status_code == 422


def test_the_catalogue_address_must_hold_the_record_number(app, edition, login_as):
    staff = login_as(Role.STAFF)
    response = staff.post_form(
        f"{PAGE}/catalogue", {"permalink": "https://catalogue.example/notice"}, token_page=PAGE
    )
    page = staff.get(response.headers["Location"]).get_data(as_text=True)
    assert "Écrivez {id} là où va le numéro de notice" in page
    staff.post_form(f"{PAGE}/catalogue", {"permalink": PERMALINK}, token_page=PAGE)
    assert catalogue_permalink() == PERMALINK
    assert services.opac_url("A B/1", PERMALINK) == "https://catalogue.example/notice/A%20B%2F1"


def test_loans_come_from_the_catalogue_without_any_reader(app, edition, login_as):
    _imported(5)
    services.attach(_title("UNI0001"), edition, edition.workshops[0], "")
    db.session.commit()
    day = edition.starts_on + timedelta(days=3)
    before = edition.starts_on - timedelta(days=3)
    # Koha's export: one line a loan, with the borrower's card and name (never read).
    rows = [
        ["biblionumber", "issuedate", "cardnumber", "surname"],
        ["UNI0001", f"{day.isoformat()} 15:32:10", "0042", "Martin"],
        ["UNI0001", f"{day.isoformat()} 16:01:00", "0043", "Nguyễn"],
        ["UNI0003", day.strftime("%d/%m/%Y"), "0044", "Weiß"],
        ["UNI0002", before.strftime("%d/%m/%Y"), "0045", "Durand"],
        ["INCONNU", day.strftime("%d/%m/%Y"), "0046", "X"],
    ]
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    staff = login_as(Role.STAFF)
    for _twice in range(2):
        response = staff.post_form(
            f"{PAGE}/prets",
            {"loans_file": (io.BytesIO(buffer.getvalue().encode()), "issues.csv")},
            token_page=PAGE,
            content_type="multipart/form-data",
        )
    page = staff.get(response.headers["Location"]).get_data(as_text=True)
    assert "Prêts importés : 4 prêts" in page and "1 n° de notice ne sont pas dans le fonds" in page
    assert db.session.scalar(select(func.sum(CollectionLoan.loans))) == 4  # not 8
    loans = services.festival_loans(edition)
    assert (loans.all_titles, loans.attached_titles, loans.titles_lent) == (3, 2, 2)
    stored = {c.name for c in CollectionLoan.__table__.columns}
    assert stored == {"id", "title_id", "loaned_on", "loans"}  # no reader column at all

    staff.post_form(
        f"{PAGE}/prets/saisie",
        {"record_id": "UNI0005", "day": day.isoformat(), "loans": "3"},
        token_page=PAGE,
    )
    assert services.festival_loans(edition).all_titles == 6


def test_the_attached_titles_go_back_to_the_catalogue(app, edition, login_as):
    _imported(5)
    services.attach(_title("UNI0001"), edition, edition.workshops[2], "avant le cadrage")
    services.attach(_title("UNI0001"), edition, None, "")
    services.attach(_title("UNI0003"), edition, None, "")
    db.session.commit()
    staff = login_as(Role.STAFF)
    rows = list(
        csv.reader(
            io.StringIO(staff.get(f"{PAGE}/conseils.csv").get_data().decode("utf-8-sig")),
            delimiter=";",
        )
    )
    assert rows[0][:3] == ["N° de notice", "Titre", "Réalisation"]
    assert [r[0] for r in rows[1:]] == ["UNI0001", "UNI0001", "UNI0003"]
    assert rows[1][-1] == "https://catalogue.example/notice/UNI0001"
    records = pymarc.parse_xml_to_array(io.BytesIO(staff.get(f"{PAGE}/conseils.xml").get_data()))
    assert [r["001"].data for r in records] == ["UNI0001", "UNI0003"]
    notes = [f["a"] for f in records[0].get_fields("590")]
    assert notes[0].endswith("avant le cadrage") and "Cérémonie" in notes[1]
    assert records[0]["856"]["u"].startswith("http")


@pytest.mark.parametrize("path", [PAGE, f"{PAGE}/conseils.csv", f"{PAGE}/conseils.xml"])
def test_only_staff_reach_the_collection_pages(app, edition, login_as, path):
    teen = login_as(Role.PARTICIPANT)
    assert teen.get(path).status_code in (403, 404)
