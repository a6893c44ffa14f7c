"""The report (« Bilan de l'édition »): every figure computed on an edition with known numbers,
the small-group rule everywhere it is shown, the open data and the API."""

from __future__ import annotations

import csv
import io

from pypdf import PdfReader

from festival.auth.models import Role
from festival.editions.models import BudgetKind, BudgetLine
from festival.extensions import db
from festival.films.models import FilmRole
from festival.films.services import TeamEntry, create_film
from festival.people.registration import withdraw_participant
from festival.programme import services as programme
from festival.report.figures import build_report
from festival.workshops.models import AttendanceStatus
from festival.workshops.services import save_attendance

P, A = AttendanceStatus.PRESENT, AttendanceStatus.ABSENT


def _season(edition, make_participant, make_user):
    """Twelve registrations: ten confirmed (six from Villeurbanne, three from Lyon, one from
    Bron), one withdrawn, one online still to confirm."""
    edition.capacity = None
    towns = ["Villeurbanne"] * 6 + ["Lyon"] * 3 + ["Bron"]
    confirmed = [
        make_participant(age=14 + n % 5, commune=towns[n], had_library_card=n < 7)
        for n in range(10)
    ]
    confirmed[0].library_card_during_festival = True
    confirmed[9].library_card_during_festival = True
    withdraw_participant(make_participant(age=16))
    make_participant(age=15, online=True)
    staff = make_user(Role.STAFF)
    held = edition.workshops[:5]  # the fixture's edition has held five
    # Eight came to all five held workshops; two stopped after the second.
    for index, workshop in enumerate(held):
        marks = {p.id: P for p in confirmed[:8]}
        marks.update({p.id: (P if index < 2 else A) for p in confirmed[8:]})
        save_attendance(workshop, marks, recorded_by=staff)
    db.session.add_all(
        [
            BudgetLine(
                edition_id=edition.id,
                kind=BudgetKind.COST,
                label="Intervenants",
                amount_cents=120000,
            ),
            BudgetLine(
                edition_id=edition.id, kind=BudgetKind.COST, label="Matériel", amount_cents=30000
            ),
            BudgetLine(
                edition_id=edition.id, kind=BudgetKind.PARTNER, label="DRAC", amount_cents=80000
            ),
        ]
    )
    edition.ceremony_audience = 140
    db.session.commit()
    return confirmed


def test_every_figure_on_a_season_with_known_numbers(edition, make_participant, make_user):
    _season(edition, make_participant, make_user)
    report = build_report(edition, home_town="villeurbanne")
    # Small groups are hidden, and so are enough other cells of the same total that
    # subtracting the shown ones from it finds none (11 desk registrations of 12 would show
    # the one online; 10 confirmed, the two others).
    assert {k: str(v) for k, v in report.registrations.items()} == {
        "total": "12",
        "online": "< 5",
        "desk": "secret",
        "confirmed": "secret",
        "waiting_list": "0",
        "withdrawn": "< 5",
        "to_confirm": "< 5",
    }
    assert [(label, str(c)) for label, c in report.ages] == [
        ("14", "< 5"),
        ("15", "< 5"),
        ("16", "< 5"),
        ("17", "< 5"),
        ("18", "< 5"),
        ("19", "0"),
    ]
    # Only communes of five or more are named; the others are counted together, unnamed.
    assert [(town, str(c)) for town, c in report.communes] == [
        ("Villeurbanne", "secret"),
        ("autres communes", "< 5"),
    ]
    assert report.home_town_share == 0.6
    assert {k: str(v) for k, v in report.library_cards.items()} == {
        "already_had_one": "secret",
        "had_none": "< 5",
        "got_one_during_the_festival": "< 5",
    }
    held = [(n, str(c)) for n, _t, c in report.attendance][:5]
    assert held == [(1, "10"), (2, "10"), (3, "8"), (4, "8"), (5, "8")]
    followed = {n: str(c) for n, c in report.workshops_followed}
    assert followed[5] == "secret" and followed[2] == "< 5" and followed[0] == "0"
    assert str(report.completed) == "0"  # nobody has followed 7 yet: five were held
    assert [(n, str(c)) for n, c in report.dropped_out_after] == [(2, "< 5")]
    assert report.audience == {"counted_in_the_hall": 140, "audience_ballots": 0}
    assert report.budget["costs_eur"] == 1500.0 and report.budget["partners_eur"] == 800.0
    assert report.budget["cost_per_participant_eur"] == 150.0


def test_films_from_started_to_screened(
    edition, make_valid_film, block, staff_user, make_participant
):
    shown = make_valid_film("Aube")
    make_valid_film("Brume", selected=False)
    create_film(
        edition,
        title="Brouillon",
        team=[TeamEntry(make_participant().id, FilmRole.DIRECTION)],
        created_by=staff_user,
    )
    programme.add_film(block, shown)
    programme.publish(edition)
    db.session.commit()
    films = build_report(edition).films
    assert films == {
        "started": 3,
        "sent": 2,
        "valid": 2,
        "retained": 1,
        "screened": 1,
        "online_views": 0,
        "minutes": 0.1,  # two valid films of a few seconds each
    }


def test_the_page_the_open_data_and_the_api_hide_small_groups(
    edition, make_participant, make_user, login_as, client
):
    _season(edition, make_participant, make_user)
    staff = login_as(Role.STAFF)
    page = staff.get("/equipe/bilan").get_data(as_text=True)
    assert "Bilan de l&#39;édition" in page or "Bilan de l'édition" in page
    assert 'role="img"' in page and "autres communes : &lt; 5" in page and "Lyon" not in page
    assert "150,00\xa0€" in page  # cost per participant, written the French way
    # A running edition's figures are not public: they would follow people week by week.
    for url in (
        f"/api/v1/editions/{edition.year}/report",
        f"/bilan/{edition.year}.csv",
        f"/bilan/{edition.year}.json",
    ):
        assert client.get(url).status_code == 404, url
    edition.ceremony_at = edition.ceremony_at.replace(year=edition.ceremony_at.year - 2)
    db.session.commit()
    data = client.get(f"/api/v1/editions/{edition.year}/report").get_json()
    assert data["communes"] == {"Villeurbanne": "secret", "autres communes": "< 5"}
    assert data["licence"].startswith("Licence Ouverte")
    assert "first_name" not in str(data) and "Prénom" not in str(data)
    body = client.get(f"/bilan/{edition.year}.csv").get_data().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body), delimiter=";"))
    assert ["communes", "autres communes", "< 5"] in rows
    assert ["registrations", "total", "12"] in rows
    as_json = client.get(f"/bilan/{edition.year}.json").get_json()
    assert as_json == data


def test_the_pdf_holds_the_same_figures(edition, make_participant, make_user, login_as):
    _season(edition, make_participant, make_user)
    response = login_as(Role.STAFF).get("/equipe/bilan.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.get_data())).pages)
    assert "Bilan de l'édition" in text and "Inscriptions reçues\n12" in text
    assert "Villeurbanne" in text and "< 5" in text and "150,00" in text


def test_every_page_of_the_pdf_says_whose_report_it_is(
    edition, make_participant, make_user, login_as
):
    """A page handed round alone still says the library, the edition and the date; the first
    says who prepared it (the PDF had no identity at all)."""
    from festival.editions.identity import save_identity

    _season(edition, make_participant, make_user)
    save_identity(
        library_name="Médiathèque Jacques-Prévert",
        town="Vaulx-en-Velin",
        signatory_name="",
        signatory_title="",
    )
    db.session.commit()
    librarian = make_user(Role.STAFF, display_name="Hélène Durand")
    pdf = login_as(librarian).get("/equipe/bilan.pdf").get_data()
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    assert len(pages) >= 2
    assert "Médiathèque Jacques-Prévert, Vaulx-en-Velin" in pages[0]
    assert "Préparé par Hélène Durand le" in pages[0]
    assert f"Édition {edition.year}, du" in pages[0]
    for number, text in enumerate(pages, start=1):
        assert f"Bilan {edition.title}" in text and "Médiathèque Jacques-Prévert" in text
        assert f"page {number}" in text


def test_a_title_with_markup_is_printed_as_typed(edition, login_as):
    """« <img src=…> » in an edition title is text in the PDF, never a drawing order."""
    edition.title = "Festival <img src='/etc/hostname' width='50'/> <b>2027</b> & co"
    db.session.commit()
    response = login_as(Role.STAFF).get("/equipe/bilan.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    text = " ".join(text.split())  # the title wraps over two lines
    assert "<img src='/etc/hostname' width='50'/>" in text and "<b>2027</b> & co" in text


def test_no_small_group_is_found_by_subtraction_from_the_total():
    """Random breakdowns of a published total: what stays hidden always holds 0 or at least
    five people together, and never a lone cell (unless nothing else can be hidden)."""
    import random

    from festival.report.figures import SMALL_GROUP, Count, protect

    chance = random.Random(2027)
    for _ in range(2000):
        values = [
            chance.choice([0, 1, 2, 3, 4, 5, 6, 9, 14, 30]) for _ in range(chance.randint(2, 7))
        ]
        shown = protect([Count(v) for v in values])
        hidden = [c for c in shown if c.hidden]
        hidden_total = sum(c.value for c in hidden)
        others = [c for c in shown if not c.hidden and c.value > 0]
        assert hidden_total == 0 or hidden_total >= SMALL_GROUP or not others, values
        assert len(hidden) != 1 or not others, values
        # What is shown is exact; what is hidden says nothing more than its mark.
        assert all(c.public() == c.value for c in shown if not c.hidden)


def test_communes_are_official_names_and_addresses_never_leave(edition, make_participant):
    typed = ["12 rue des Lilas Brignais", "brignais", "BRIGNAIS", "Brignais 69530", "brignais"]
    elsewhere = ["chez ma tante", "Vaulx en Velin", "Bron", "quelque part", "Oullins"]
    for index, commune in enumerate(typed + elsewhere):
        make_participant(age=15, commune=commune, first_name=f"Commune{index}")
    report = build_report(edition)
    # Five typings of one town make « Brignais »; the small ones and the unknown go unnamed.
    assert [(town, str(count)) for town, count in report.communes] == [
        ("Brignais", "5"),
        ("autres communes", "5"),
    ]
    assert "Lilas" not in str(report.as_data()) and "tante" not in str(report.as_data())
