"""Exports open as they should: CSV in French Excel, calendars in any agenda."""

import csv
import io
from datetime import date

from icalendar import Calendar

from festival.auth.models import Role
from festival.extensions import db
from festival.spreadsheets import excel_csv
from festival.workshops.models import AttendanceStatus
from festival.workshops.services import save_attendance


def test_excel_csv_is_utf8_with_bom_semicolons_and_crlf():
    body = excel_csv(["Nom", "Prénom", "Né·e le"], [["Dubois", "Inès", date(2010, 5, 17)]])
    assert body == "\ufeffNom;Prénom;Né·e le\r\nDubois;Inès;17/05/2010\r\n".encode()


def test_excel_csv_quotes_separators_and_neutralises_formulas():
    body = excel_csv(["a", "b"], [["x;y", '=HYPERLINK("http://evil")']]).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body), delimiter=";"))
    assert rows[1] == ["x;y", '\'=HYPERLINK("http://evil")']


def test_participant_list_export_has_the_exact_columns(login_as, make_participant, edition):
    participant = make_participant(first_name="Léa", last_name="Martin")
    response = login_as(Role.STAFF).get("/equipe/participants.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert 'filename="participants-' in response.headers["Content-Disposition"]
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(
        csv.reader(io.StringIO(response.data.decode("utf-8-sig"), newline=""), delimiter=";")
    )
    assert rows[0] == [
        "N°",
        "Nom",
        "Prénom",
        "Date de naissance",
        "Âge à la date de référence",
        "E-mail",
        "Téléphone",
        "Responsable légal·e",
        "E-mail du ou de la responsable",
        "Téléphone du ou de la responsable",
        "Statut",
        "Autorisation de participation",
        "Droit à l'image (projection)",
        "Droit à l'image (en ligne)",
    ]
    assert rows[1][:3] == [str(participant.id), "Martin", "Léa"]
    assert rows[1][3] == participant.birth_date.strftime("%d/%m/%Y")
    assert rows[1][10:] == ["Inscrit·e", "oui", "oui", "non"]
    assert b"\r\n" in response.data


def test_attendance_sheet_export_lists_every_expected_participant(
    login_as, make_participant, edition
):
    a = make_participant(first_name="Ana", last_name="Alpha")
    make_participant(first_name="Bob", last_name="Beta")
    staff = login_as(Role.STAFF)
    workshop = edition.workshops[0]
    save_attendance(workshop, {a.id: AttendanceStatus.LATE}, recorded_by=staff.user)
    db.session.commit()
    response = staff.get(f"/ateliers/{workshop.id}/presences.csv")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["N°", "Nom", "Prénom", "Présence", "Atelier", "Date"]
    assert [r[1:4] for r in rows[1:]] == [
        ["Alpha", "Ana", "Retard"],
        ["Beta", "Bob", "non noté"],
    ]


def test_attendance_matrix_export_has_one_column_per_workshop(login_as, make_participant, edition):
    make_participant()
    response = login_as(Role.STAFF).get("/equipe/presences.csv")
    header = response.data.decode("utf-8-sig").split("\r\n")[0].split(";")
    assert len(header) == 3 + 10 and header[3].startswith("1. ")


def test_workshops_calendar_is_valid_icalendar_without_personal_data(
    client, edition, make_participant
):
    make_participant(first_name="Secret", last_name="Person")
    response = client.get("/ateliers/calendrier.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    events = [c for c in calendar.walk("VEVENT")]
    assert len(events) == 11  # ten workshops and the ceremony
    first = events[0]
    assert str(first["summary"]).startswith("Atelier 1 : ")
    assert first.decoded("dtstart").tzinfo is not None
    assert first.decoded("dtstart").replace(tzinfo=None) == edition.workshops[0].starts_at
    assert b"Secret" not in response.data and b"Person" not in response.data
