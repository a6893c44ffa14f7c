"""Workshops copied to a new season land on the same weekdays: the 4th once fell on 25 December
without a word. Days nobody can come (public holidays, the zone's school holidays, the
library's closures) are flagged with a free day to move to, in one click."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from festival.auth.models import Role
from festival.editions.identity import Closures, parse_closed_dates, save_identity
from festival.extensions import db
from festival.workshops.calendar_checks import day_conflicts, why_closed
from festival.workshops.models import Workshop


def _weekly(first: date, count: int) -> list[Workshop]:
    return [
        Workshop(
            number=n + 1,
            title=f"Atelier {n + 1}",
            starts_at=datetime.combine(first + timedelta(weeks=n), time(14)),
            ends_at=datetime.combine(first + timedelta(weeks=n), time(17)),
        )
        for n in range(count)
    ]


def test_the_days_nobody_can_come(app):
    zone_a = Closures(school_zone="A", closed_weekdays=frozenset({0}))
    with app.test_request_context():
        assert why_closed(date(2026, 12, 25), Closures()) == "jour férié (Noël)"
        assert "Jour de l'an" in why_closed(date(2027, 1, 1), Closures())
        assert why_closed(date(2027, 2, 17), zone_a) == "Vacances d'hiver, zone A"
        assert why_closed(date(2027, 3, 3), Closures(school_zone="C")) is None
        assert why_closed(date(2027, 3, 3), Closures(school_zone="B")) == "Vacances d'hiver, zone B"
        assert why_closed(date(2027, 1, 11), zone_a) == "la médiathèque est fermée le lundi"
        closures, unreadable = parse_closed_dates("07/05/2027 pont de l'Ascension\nvers mai")
        assert unreadable == ["vers mai"]
        bridge = Closures(closed_days=tuple(closures))
        assert why_closed(date(2027, 5, 7), bridge) == (
            "fermeture de la médiathèque (pont de l'Ascension)"
        )
        assert why_closed(date(2027, 5, 14), bridge) is None


def test_the_workshops_keep_their_order_when_they_move(app):
    # Fridays from 11 December 2026: the 3rd on Christmas, the 4th on New Year's Day.
    workshops = _weekly(date(2026, 12, 11), 6)
    with app.test_request_context():
        conflicts = day_conflicts(workshops, Closures(school_zone="A"))
    moves = {c.workshop.number: (c.reason, c.proposed) for c in conflicts}
    assert moves[3] == ("jour férié (Noël)", date(2027, 1, 8))
    assert moves[4][1] == date(2027, 1, 15) and "Jour de l'an" in moves[4][0]
    assert moves[5] == (None, date(2027, 1, 22))  # pushed, to stay after the 4th
    assert moves[6] == (None, date(2027, 1, 29))
    assert 1 not in moves and 2 not in moves
    with app.test_request_context():
        capped = day_conflicts(workshops, Closures(), last_day=date(2027, 1, 20))
    assert [c.proposed for c in capped if c.workshop.number == 6] == [None]


def test_staff_see_the_conflicts_and_shift_in_one_click(login_as, edition):
    staff = login_as(Role.STAFF)
    to_come = [w for w in edition.workshops if w.starts_at > datetime.now() + timedelta(days=1)]
    closed = to_come[0]
    with staff.application.test_request_context():
        save_identity(
            library_name="Médiathèque",
            town="",
            signatory_name="",
            signatory_title="",
            closed_dates=f"{closed.starts_at:%d/%m/%Y} inventaire",
        )
    db.session.commit()
    page = staff.get("/equipe/ateliers").get_data(as_text=True)
    assert "fermeture de la médiathèque (inventaire)" in page
    assert "Décaler aux dates proposées" in page
    day = closed.starts_at
    staff.post_form("/equipe/ateliers/decaler", {}, token_page="/equipe/ateliers")
    db.session.expire_all()
    moved = db.session.get(Workshop, closed.id)
    assert moved.starts_at == day + timedelta(weeks=1)  # the next free week, same hour
    following = db.session.get(Workshop, to_come[1].id)
    assert following.starts_at > moved.starts_at  # the order is kept
    assert "Décaler aux dates proposées" not in staff.get("/equipe/ateliers").get_data(as_text=True)
