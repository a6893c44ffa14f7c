"""The calendars validate against RFC 5545's rules, and stay byte-identical between
downloads so that their ETag holds."""

from __future__ import annotations

import re

from icalendar import Calendar

from festival.caching import forget_public_pages
from festival.extensions import db
from festival.programme import services as programme


def _check_rfc5545(body: bytes) -> Calendar:
    """What a strict validator checks first."""
    assert body.endswith(b"\r\n") and b"\n" not in body.replace(b"\r\n", b"")
    lines = body.split(b"\r\n")[:-1]
    assert all(len(line) <= 75 for line in lines), "lines are folded at 75 octets"
    assert lines[0] == b"BEGIN:VCALENDAR" and lines[-1] == b"END:VCALENDAR"
    calendar = Calendar.from_ical(body)
    assert calendar["VERSION"] == "2.0" and calendar.get("PRODID")
    timezones = {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")}
    for event in calendar.walk("VEVENT"):
        for required in ("UID", "DTSTAMP", "DTSTART"):
            assert required in event, required
        assert event["DTSTAMP"].to_ical().endswith(b"Z")  # DTSTAMP is in UTC
    for tzid in re.findall(rb"TZID=([^:;]+)", body):
        assert tzid.decode() in timezones, f"{tzid} has no VTIMEZONE"
    return calendar


def test_the_ceremony_is_one_event_with_its_blocks(edition, block, make_valid_film, client):
    programme.add_film(block, make_valid_film("Aube"))
    programme.publish(edition)
    db.session.commit()
    first = client.get("/programme.ics")
    forget_public_pages()
    second = client.get("/programme.ics")
    assert first.get_data() == second.get_data() and first.headers["ETag"] == second.headers["ETag"]
    calendar = _check_rfc5545(first.get_data())
    (ceremony,) = calendar.walk("VEVENT")
    assert ceremony["UID"].startswith(f"ceremony-{edition.id}@")
    assert "Europe/Paris" in {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")}
    assert str(ceremony["LOCATION"]) == "Auditorium"
    assert str(ceremony["URL"]).endswith(f"/programme/{edition.year}")
    assert "Première séance" in str(ceremony["DESCRIPTION"]) and "Aube" in str(
        ceremony["DESCRIPTION"]
    )


def test_the_workshops_calendar_validates_and_holds_its_etag(edition, client):
    first = client.get("/ateliers/calendrier.ics")
    second = client.get("/ateliers/calendrier.ics")
    assert first.get_data() == second.get_data()
    calendar = _check_rfc5545(first.get_data())
    assert len(calendar.walk("VEVENT")) == len(edition.workshops) + 1


def test_calendars_are_served_from_the_cache_without_a_query(
    app, edition, block, make_valid_film, client, count_queries
):
    """`/programme.ics` ran a query even when cached (a whole hall's calendar apps poll it),
    and the workshops' calendar was built each time."""
    from festival.extensions import cache

    programme.add_film(block, make_valid_film("Aube"))
    programme.publish(edition)
    db.session.commit()
    app.config.update(CACHE_TYPE="SimpleCache")
    cache.init_app(app)
    try:
        for url in ("/programme.ics", "/ateliers/calendrier.ics"):
            first = client.get(url)
            assert first.status_code == 200
            again = []
            assert count_queries(lambda url=url, again=again: again.append(client.get(url))) == 0, (
                url
            )
            assert again[0].get_data() == first.get_data()
            assert again[0].headers["Content-Disposition"] == first.headers["Content-Disposition"]
    finally:
        cache.clear()
        app.config.update(CACHE_TYPE="NullCache")
        cache.init_app(app)


def test_the_time_zone_is_read_right_by_a_reader_that_follows_its_rules(edition, client):
    """A reader that applies the VTIMEZONE itself (dateutil's tzical, as many calendar apps
    do) puts a June evening at 18:00 Paris time, 16:00 UTC: with icalendar's own RDATE list
    some readers put summer dates an hour late."""
    import io
    from datetime import datetime, timedelta

    from dateutil.tz import tzical

    body = client.get("/ateliers/calendrier.ics").get_data()
    (timezone,) = Calendar.from_ical(body).walk("VTIMEZONE")
    assert b"RDATE" not in timezone.to_ical() and b"RRULE" in timezone.to_ical()
    paris = tzical(io.StringIO(timezone.to_ical().decode())).get("Europe/Paris")
    assert paris.utcoffset(datetime(2027, 6, 5, 18)) == timedelta(hours=2)
    assert paris.utcoffset(datetime(2027, 1, 9, 14)) == timedelta(hours=1)
    assert paris.utcoffset(datetime(2027, 3, 28, 3, 30)) == timedelta(hours=2)  # just after
    assert paris.utcoffset(datetime(2027, 10, 31, 1, 30)) == timedelta(hours=2)  # just before
    assert paris.utcoffset(datetime(2027, 10, 31, 3, 30)) == timedelta(hours=1)
