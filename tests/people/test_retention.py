"""The retention promise keeps itself: a nightly job erases an edition's personal data when its
period ends, staff hear of it a month before, see what goes and when, and may run it early."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import func, select

from festival.auth.models import Role
from festival.clock import utcnow
from festival.editions.services import create_edition
from festival.extensions import db
from festival.people.models import Participant
from festival.people.retention import send_notices
from festival.people.tasks import keep_the_retention_promise

PAGE = "/equipe/donnees"


def _past_edition(year, *, ceremony_days_ago):
    ceremony = (utcnow() - timedelta(days=ceremony_days_ago)).date()
    edition = create_edition(
        year=year,
        title=f"Édition {year}",
        starts_on=ceremony - timedelta(days=200),
        ends_on=ceremony,
        ceremony_at=datetime.combine(ceremony, time(18)),
        upload_deadline=datetime.combine(ceremony - timedelta(days=20), time(23, 59)),
        make_current=False,
    )
    db.session.commit()
    return edition


def _born(edition, age):
    ref = edition.age_reference_date
    return ref.replace(year=ref.year - age) - timedelta(days=40)


def test_staff_are_told_a_month_before_and_the_night_job_erases_on_time(
    app, edition, make_participant, make_user, smtp_server, login_as
):
    soon = _past_edition(2020, ceremony_days_ago=345)  # 12 months minus 20 days
    due = _past_edition(2019, ceremony_days_ago=400)
    for old in (soon, due):
        for n in range(2):
            make_participant(
                for_edition=old, first_name=f"Ancien{old.year}{n}", birth_date=_born(old, 15)
            )
    make_user(Role.STAFF, login="equipe@example.org")
    staff = login_as(Role.STAFF)
    page = staff.get(PAGE).get_data(as_text=True)
    assert "Tapez 2019 pour effacer" in page and "cette nuit" in page

    assert keep_the_retention_promise.call_local() == {2019: 2}
    erased = db.session.scalars(select(Participant).where(Participant.edition_id == due.id)).all()
    assert all(p.is_erased and p.first_name is None for p in erased)
    assert all(p.age_on_reference_date == 15 for p in erased)  # the figures stay
    (notice,) = [m for m in smtp_server.to("equipe@example.org") if "2020" in m["Subject"]]
    assert notice["Subject"] == (
        "Dans un mois, les données personnelles de l'édition 2020 seront effacées"
    )
    assert "des 2 participant·es de l'édition 2020" in notice.get_body(("plain",)).get_content()
    # The next night: nothing twice.
    assert keep_the_retention_promise.call_local() == {}
    assert send_notices(utcnow(), app.config["PERSONAL_DATA_RETENTION_MONTHS"]) == 0
    page = staff.get(PAGE).get_data(as_text=True)
    assert "effacées le" in page


def test_staff_may_run_it_early_but_never_before_the_ceremony(edition, make_participant, login_as):
    old = _past_edition(2021, ceremony_days_ago=60)
    make_participant(for_edition=old, birth_date=_born(old, 16))
    current = make_participant()
    staff = login_as(Role.STAFF)
    wrong = staff.post_form(f"{PAGE}/{old.id}/effacer", {"confirm": "2020"}, token_page=PAGE)
    assert wrong.status_code == 302
    assert "tapez l&#39;année de l&#39;édition (2021)" in staff.get(PAGE).get_data(as_text=True)
    staff.post_form(f"{PAGE}/{old.id}/effacer", {"confirm": "2021"}, token_page=PAGE)
    assert "sont effacées" in staff.get(PAGE).get_data(as_text=True)
    assert (
        db.session.scalar(
            select(func.count(Participant.id)).where(
                Participant.edition_id == old.id, Participant.erased_at.is_(None)
            )
        )
        == 0
    )
    staff.post_form(f"{PAGE}/{edition.id}/effacer", {"confirm": str(edition.year)}, token_page=PAGE)
    assert "pas encore eu lieu" in staff.get(PAGE).get_data(as_text=True)
    db.session.refresh(current)
    assert not current.is_erased
