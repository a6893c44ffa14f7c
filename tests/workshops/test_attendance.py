"""Taking the roll, progress and the staff dashboard."""

from datetime import datetime

import pytest
from sqlalchemy import select

from festival.auth.models import Role
from festival.clock import local_now
from festival.editions.models import Edition
from festival.errors import PermissionDenied, ValidationError
from festival.extensions import db
from festival.people.models import ParticipantStatus
from festival.workshops.models import AttendanceStatus
from festival.workshops.services import (
    attendance_sheet,
    edition_dashboard,
    participant_progress,
    save_attendance,
)

P, L, E, A = (
    AttendanceStatus.PRESENT,
    AttendanceStatus.LATE,
    AttendanceStatus.EXCUSED,
    AttendanceStatus.ABSENT,
)


@pytest.fixture
def facilitator(make_user, edition):
    user = make_user(Role.FACILITATOR)
    edition.workshops[0].facilitator = user
    db.session.commit()
    return user


def test_the_facilitator_takes_the_roll_in_one_request(
    login_as, facilitator, make_participant, edition
):
    a, b, c = make_participant(), make_participant(), make_participant()
    workshop = edition.workshops[0]
    client = login_as(facilitator)
    page = client.get(f"/ateliers/{workshop.id}/appel").get_data(as_text=True)
    assert a.full_name in page and f'name="status-{a.id}"' in page
    response = client.post_form(
        f"/ateliers/{workshop.id}/appel",
        {f"status-{a.id}": "present", f"status-{b.id}": "late", f"status-{c.id}": "absent"},
    )
    assert response.status_code == 302
    assert attendance_sheet(workshop) == {a.id: P, b.id: L, c.id: A}


def test_the_roll_call_page_saves_through_fetch_and_answers_json(
    login_as, facilitator, make_participant, edition
):
    a = make_participant()
    workshop = edition.workshops[0]
    client = login_as(facilitator)
    response = client.post_form(
        f"/ateliers/{workshop.id}/appel",
        {f"status-{a.id}": "excused"},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 200
    assert response.json["saved"] == 1 and "Appel enregistré" in response.json["message"]


def test_an_expired_form_is_refused_in_json_with_a_french_sentence(
    login_as, facilitator, make_participant, edition
):
    a = make_participant()
    workshop = edition.workshops[0]
    client = login_as(facilitator)
    response = client.post(
        f"/ateliers/{workshop.id}/appel",
        data={f"status-{a.id}": "present", "csrf_token": "stale"},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 400
    assert "rechargez la page" in response.json["error"]["message"]
    assert attendance_sheet(workshop) == {}


def test_saving_replaces_the_whole_sheet(edition, facilitator, make_participant):
    a, b = make_participant(), make_participant()
    workshop = edition.workshops[0]
    save_attendance(workshop, {a.id: P, b.id: A}, recorded_by=facilitator)
    save_attendance(workshop, {a.id: L}, recorded_by=facilitator)
    db.session.commit()
    assert attendance_sheet(workshop) == {a.id: L}


def test_a_sheet_naming_someone_outside_the_edition_is_refused_whole(
    edition, facilitator, make_participant
):
    a = make_participant()
    pending = make_participant(online=True)  # not confirmed: not expected at workshops
    workshop = edition.workshops[0]
    with pytest.raises(ValidationError) as refused:
        save_attendance(workshop, {a.id: P, pending.id: P}, recorded_by=facilitator)
    assert str(pending.id) in refused.value.message
    db.session.rollback()
    assert attendance_sheet(workshop) == {}


def test_only_the_workshops_own_facilitator_may_take_its_roll(
    edition, make_user, login_as, make_participant
):
    other = make_user(Role.FACILITATOR)
    make_participant()
    workshop = edition.workshops[0]
    with pytest.raises(PermissionDenied):
        save_attendance(workshop, {}, recorded_by=other)
    assert login_as(other).get(f"/ateliers/{workshop.id}/appel").status_code == 403


def test_progress_counts_attended_and_missed_workshops(edition, facilitator, make_participant):
    participant = make_participant()
    staff_marks = [P, L, E, A, A]
    for workshop, status in zip(edition.workshops, staff_marks, strict=False):
        workshop.facilitator = facilitator
        save_attendance(workshop, {participant.id: status}, recorded_by=facilitator)
    db.session.commit()
    progress = participant_progress(participant, local_now())
    assert (progress.attended, progress.missed, progress.excused, progress.total) == (2, 3, 1, 10)
    assert progress.is_behind  # default rule: missed 3 or more
    edition.behind_missed_threshold = 4
    assert not progress.is_behind


def test_dashboard_gives_each_workshops_attendance_rate(edition, facilitator, make_participant):
    people = [make_participant() for _ in range(4)]
    workshop = edition.workshops[0]
    save_attendance(
        workshop,
        {people[0].id: P, people[1].id: L, people[2].id: A, people[3].id: E},
        recorded_by=facilitator,
    )
    db.session.commit()
    board = edition_dashboard(edition, local_now())
    first = board.workshops[0]
    assert first.attendance_rate == 0.5 and first.marked == 4 and first.roll_taken
    assert board.workshops[1].attendance_rate is None
    assert [w.started for w in board.workshops].count(True) == 5  # weekly, four weeks back
    assert board.overall_rate == 0.5


def test_dashboard_page_shows_charts_and_who_falls_behind(
    login_as, edition, facilitator, make_participant
):
    drifting = make_participant(first_name="Noah", last_name="Michel")
    for workshop in edition.workshops[:3]:
        workshop.facilitator = facilitator
        save_attendance(workshop, {drifting.id: A}, recorded_by=facilitator)
    db.session.commit()
    html = login_as(Role.STAFF).get("/equipe").get_data(as_text=True)
    assert '<svg class="bar"' in html
    behind = html.split("Qui décroche ?")[1].split("Tous les parcours")[0]
    assert "Noah Michel" in behind and "3 ateliers manqués" in behind


def test_participant_sees_their_own_progress(login_as, make_participant, edition, facilitator):
    participant = make_participant(account=True)
    save_attendance(edition.workshops[0], {participant.id: P}, recorded_by=facilitator)
    db.session.commit()
    html = login_as(participant.user).get("/mon-espace").get_data(as_text=True)
    assert "1</strong> ateliers suivis sur 10" in html
    assert edition.workshops[9].title in html


def test_workshop_times_are_checked(login_as, edition):
    staff = login_as(Role.STAFF)
    workshop = edition.workshops[0]
    response = staff.post_form(
        f"/equipe/ateliers/{workshop.id}/modifier",
        {
            "number": "1",
            "title": "Scénario",
            "starts_at": "2027-01-09T14:00",
            "ends_at": "2027-01-09T13:00",
            "facilitator_id": "0",
        },
    )
    assert "doit finir après avoir commencé" in response.get_data(as_text=True)
    db.session.refresh(workshop)
    assert workshop.title != "Scénario"
    response = staff.post_form(
        f"/equipe/ateliers/{workshop.id}/modifier",
        {
            "number": "1",
            "title": "Scénario",
            "starts_at": "2027-01-09T14:00",
            "ends_at": "2027-01-09T17:00",
            "room": "Salle 2",
            "facilitator_id": "0",
        },
    )
    assert response.status_code == 302
    db.session.refresh(workshop)
    assert (workshop.title, workshop.room, workshop.starts_at) == (
        "Scénario",
        "Salle 2",
        datetime(2027, 1, 9, 14, 0),
    )


def test_staff_create_an_edition_with_the_usual_ten_workshops(login_as, edition):
    """A new edition is prepared beside the live one: it does not become current."""
    staff = login_as(Role.STAFF)
    response = staff.post_form(
        "/equipe/editions/nouvelle",
        {
            "year": str(edition.year + 1),
            "title": "Édition suivante",
            "starts_on": "2027-09-04",
            "ends_on": "2028-03-25",
            "ceremony_at": "2028-03-25T18:30",
            "ceremony_venue": "Salle",
            "upload_deadline": "2028-02-25T23:59",
            "age_min": "14",
            "age_max": "19",
            "behind_missed_threshold": "3",
            "copy_workshops_from": "0",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.refresh(edition)
    assert edition.is_current
    created = db.session.scalar(select(Edition).where(Edition.year == edition.year + 1))
    assert created.title == "Édition suivante" and not created.is_current
    assert [w.starts_at.date().isoformat() for w in created.workshops][:2] == [
        "2027-09-04",
        "2027-09-11",
    ]
    assert len(created.workshops) == 10


def test_staff_delete_a_workshop_added_by_mistake_but_not_one_with_a_roll(
    login_as, edition, facilitator, make_participant
):
    staff = login_as(Role.STAFF)
    spare, held = edition.workshops[9], edition.workshops[0]
    save_attendance(held, {make_participant().id: P}, recorded_by=facilitator)
    db.session.commit()
    staff.post_form(f"/equipe/ateliers/{spare.id}/supprimer", token_page="/equipe/ateliers")
    response = staff.post_form(
        f"/equipe/ateliers/{held.id}/supprimer",
        token_page="/equipe/ateliers",
        follow_redirects=True,
    )
    assert "ne peut plus être supprimé" in response.get_data(as_text=True)
    db.session.expire_all()
    assert [w.number for w in edition.workshops] == list(range(1, 10))


def test_a_workshop_that_has_not_taken_place_cannot_be_marked(
    login_as, make_user, make_participant, edition
):
    teen = make_participant()
    upcoming = edition.workshops[-1]
    assert not upcoming.has_started(local_now())
    staff = make_user(Role.STAFF)
    with pytest.raises(ValidationError, match="pas encore eu lieu"):
        save_attendance(upcoming, {teen.id: P}, recorded_by=staff)
    client = login_as(staff)
    page = client.get(f"/ateliers/{upcoming.id}/appel").get_data(as_text=True)
    assert "l&#39;appel s&#39;ouvrira le" in page or "l'appel s'ouvrira le" in page
    assert "disabled" in page and "Enregistrer l&#39;appel" not in page
    refused = client.post_form(
        f"/ateliers/{upcoming.id}/appel",
        {f"status-{teen.id}": "present"},
        headers={"Accept": "application/json"},
    )
    assert refused.status_code == 422 and "pas encore eu lieu" in refused.json["error"]["message"]
    assert attendance_sheet(upcoming) == {}


def test_people_never_marked_are_counted_as_unmarked_not_left_out(
    login_as, make_user, make_participant, edition
):
    people = [make_participant() for _ in range(15)]
    held = edition.workshops[0]
    staff = make_user(Role.STAFF)
    marks = {p.id: (P if i < 8 else A) for i, p in enumerate(people[:10])}
    save_attendance(held, marks, recorded_by=staff)
    db.session.commit()
    board = edition_dashboard(edition, local_now())
    stats = board.workshops[0]
    assert (stats.attended, stats.marked, stats.unmarked) == (8, 10, 5)
    assert board.workshops[-1].unmarked == 0  # not held yet: nobody is missing a mark
    page = login_as(staff).get("/equipe").get_data(as_text=True)
    assert "80\u00a0%" in page and "5 non noté·es" in page
    roll = login_as(staff).get(f"/ateliers/{held.id}/appel").get_data(as_text=True)
    assert roll.count("non noté") == 5


def test_the_dashboard_names_the_furthest_behind_and_the_journeys_page_lists_everyone(
    login_as, edition, facilitator, make_participant, monkeypatch
):
    from festival.workshops import views

    monkeypatch.setattr(views, "BEHIND_ON_DASHBOARD", 2)
    monkeypatch.setattr(views, "JOURNEYS_PER_PAGE", 3)
    people = [make_participant(first_name=f"Élève{n}", last_name=f"Nom{n}") for n in range(5)]
    for person in people:
        person.status = ParticipantStatus.CONFIRMED
    # Nom0 missed four workshops, Nom1 three, Nom2 three; Nom3 and Nom4 came.
    for number, workshop in enumerate(edition.workshops[:5]):
        workshop.facilitator = facilitator
        marks = {people[3].id: P, people[4].id: P}
        marks |= {
            people[n].id: (A if number < misses else P) for n, misses in ((0, 4), (1, 3), (2, 3))
        }
        save_attendance(workshop, marks, recorded_by=facilitator)
    db.session.commit()
    staff = login_as(Role.STAFF)

    html = staff.get("/equipe").get_data(as_text=True)
    behind = html.split("Qui décroche ?")[1].split("Tous les parcours")[0]
    assert "Élève0 Nom0" in behind and "4 ateliers manqués" in behind
    assert "Élève1 Nom1" in behind and "Élève2 Nom2" not in behind
    assert "Voir l'autre personne en décrochage" in behind
    assert "/equipe/parcours?decrochage=1" in behind
    assert "Le parcours des 5 personnes inscrites" in html

    first = staff.get("/equipe/parcours").get_data(as_text=True)
    assert [n for n in range(5) if f"Élève{n} Nom{n}" in first] == [0, 1, 2]
    assert "Page 1 sur 2 (1–3 sur 5)" in first and 'rel="next"' in first
    second = staff.get("/equipe/parcours?page=2").get_data(as_text=True)
    assert [n for n in range(5) if f"Élève{n} Nom{n}" in second] == [3, 4]
    assert staff.get("/equipe/parcours?page=99").get_data(as_text=True).count("Élève4") == 1

    only_behind = staff.get("/equipe/parcours?decrochage=1").get_data(as_text=True)
    assert [n for n in range(5) if f"Élève{n} Nom{n}" in only_behind] == [0, 1, 2]
    assert "Prendre des nouvelles par e-mail" in only_behind
