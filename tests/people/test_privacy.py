"""A participant's data can be exported and erased; old editions are purged."""

import json
from datetime import datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from festival.auth.models import Role, User
from festival.clock import local_now, utcnow
from festival.editions.services import create_edition
from festival.errors import ValidationError
from festival.extensions import db
from festival.people.accounts import open_account
from festival.people.consents import record_consents
from festival.people.models import PERSONAL_FIELDS, Consent, ConsentKind, ParticipantStatus
from festival.people.privacy import add_months, editions_due_for_purge, erase_participant
from festival.people.registration import (
    confirm_participant,
    update_participant,
    withdraw_participant,
)
from festival.workshops.models import Attendance, AttendanceStatus
from festival.workshops.services import edition_dashboard, save_attendance


def test_staff_export_everything_held_on_a_participant(login_as, make_participant, edition):
    participant = make_participant(account=True, first_name="Léa")
    staff = login_as(Role.STAFF)
    save_attendance(
        edition.workshops[0], {participant.id: AttendanceStatus.PRESENT}, recorded_by=staff.user
    )
    db.session.commit()
    response = staff.get(f"/equipe/participants/{participant.id}/export.json")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    assert "no-store" in response.headers["Cache-Control"]
    data = json.loads(response.data)
    assert data["participant"]["first_name"] == "Léa"
    assert data["participant"]["guardian_email"] == participant.guardian_email
    assert {c["kind"] for c in data["consents"]} == {"participation", "screening", "online"}
    assert data["attendance"] == [
        {
            "workshop": 1,
            "title": edition.workshops[0].title,
            "date": edition.workshops[0].starts_at.isoformat(),
            "status": "present",
        }
    ]
    assert data["account"]["login"] == participant.user.login


def test_erasure_removes_personal_data_but_keeps_anonymous_statistics(
    login_as, make_participant, edition
):
    participant = make_participant(account=True, first_name="Zoé", last_name="Simon")
    staff = login_as(Role.STAFF)
    save_attendance(
        edition.workshops[0], {participant.id: AttendanceStatus.PRESENT}, recorded_by=staff.user
    )
    db.session.commit()
    login = participant.user.login
    response = staff.post_form(f"/equipe/participants/{participant.id}/effacer", {"confirm": "y"})
    assert response.status_code == 302
    db.session.refresh(participant)
    assert participant.is_erased
    for name in PERSONAL_FIELDS:
        assert getattr(participant, name) is None
    assert participant.age_on_reference_date == 15
    assert db.session.scalar(select(func.count(User.id)).where(User.login == login)) == 0
    assert db.session.scalar(select(func.count(Consent.id))) == 0
    assert db.session.scalar(select(func.count(Attendance.id))) == 1
    detail = staff.get(f"/equipe/participants/{participant.id}").get_data(as_text=True)
    assert "Zoé" not in detail and "effacées" in detail


def test_erasure_needs_the_confirmation_box(login_as, make_participant):
    participant = make_participant()
    staff = login_as(Role.STAFF)
    staff.post_form(f"/equipe/participants/{participant.id}/effacer", {})
    db.session.refresh(participant)
    assert not participant.is_erased


def test_erasing_a_confirmed_participant_frees_their_place(edition, make_participant):
    edition.capacity = 1
    db.session.commit()
    first = make_participant()
    waiting = make_participant()
    assert waiting.status == ParticipantStatus.WAITLISTED
    erase_participant(first)
    db.session.commit()
    assert waiting.status == ParticipantStatus.CONFIRMED
    assert len(edition_dashboard(edition, local_now()).progress) == 1


def test_retention_is_counted_in_months_after_the_ceremony():
    assert add_months(datetime(2026, 3, 31, 18), 12) == datetime(2027, 3, 31, 18)
    assert add_months(datetime(2026, 1, 31), 1) == datetime(2026, 2, 28)


def test_purge_command_erases_old_editions_only(app, edition, make_participant):
    old = create_edition(
        year=2020,
        title="Ancienne",
        starts_on=(utcnow() - timedelta(days=800)).date(),
        ends_on=(utcnow() - timedelta(days=500)).date(),
        ceremony_at=datetime.combine((utcnow() - timedelta(days=500)).date(), time(18)),
        upload_deadline=utcnow() - timedelta(days=520),
        make_current=False,
    )
    db.session.commit()
    old_participant = make_participant(
        for_edition=old,
        first_name="Ancien",
        birth_date=old.age_reference_date.replace(year=old.age_reference_date.year - 16),
    )
    current_participant = make_participant(first_name="Actuel")
    assert [e.year for e in editions_due_for_purge(utcnow(), 12)] == [2020]

    runner = app.test_cli_runner()
    result = runner.invoke(args=["purge-personal-data", "--dry-run"])
    assert "Would purge edition 2020" in result.output
    db.session.refresh(old_participant)
    assert not old_participant.is_erased

    result = runner.invoke(args=["purge-personal-data"])
    assert result.exit_code == 0, result.output
    assert "Edition 2020: personal data of 1 participant(s) erased." in result.output
    db.session.expire_all()
    assert old_participant.is_erased and old_participant.age_on_reference_date == 16
    assert not current_participant.is_erased
    assert "Nothing to purge" in runner.invoke(args=["purge-personal-data"]).output


def test_an_erased_participant_is_frozen_by_the_services_themselves(edition, make_participant):
    """Whatever calls them (a page, the API, a command), nothing changes an erased person."""
    participant = make_participant(account=True)
    erase_participant(participant)
    db.session.commit()
    attempts = [
        lambda: update_participant(participant, {"first_name": "Revenue"}),
        lambda: record_consents(participant, {ConsentKind.ONLINE: True}, recorded_by=None),
        lambda: confirm_participant(participant, confirmed_by=None),
        lambda: withdraw_participant(participant),
        lambda: open_account(participant),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError, match="effacées"):
            attempt()
        db.session.rollback()
    assert participant.first_name is None and participant.user is None


def test_staff_pages_say_an_erased_participant_can_no_longer_change(login_as, make_participant):
    participant = make_participant()
    erase_participant(participant)
    db.session.commit()
    staff = login_as(Role.STAFF)
    page = f"/equipe/participants/{participant.id}"
    response = staff.get(f"{page}/modifier", follow_redirects=True)
    assert "plus rien ne peut y changer" in response.get_data(as_text=True)
    response = staff.post_form(f"{page}/desinscrire", {}, token_page=page, follow_redirects=True)
    assert "plus rien ne peut y changer" in response.get_data(as_text=True)
