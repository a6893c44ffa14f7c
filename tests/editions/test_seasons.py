"""Preparing next year while this one is live: a new edition is worked on from staff pages
without becoming current, can copy last year's workshops, and becomes current only after a
confirmation that says what changes."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta

from sqlalchemy import select

from festival.auth.models import Role
from festival.editions.models import Edition
from festival.extensions import db
from festival.programme import services as programme

NEW = "/equipe/editions/nouvelle"


def _next_year_form(edition, **changes):
    start = edition.starts_on + timedelta(weeks=52)
    ceremony = edition.ceremony_at + timedelta(weeks=52)
    form = {
        "year": str(edition.year + 1),
        "title": "Un Trait Amateur, saison suivante",
        "starts_on": start.isoformat(),
        "ends_on": (ceremony.date() + timedelta(days=10)).isoformat(),
        "ceremony_at": ceremony.strftime("%Y-%m-%dT%H:%M"),
        "upload_deadline": (ceremony - timedelta(days=30)).strftime("%Y-%m-%dT%H:%M"),
        "age_min": "14",
        "age_max": "19",
        "behind_missed_threshold": "3",
        "copy_workshops_from": str(edition.id),
    }
    form.update(changes)
    return form


def _without_csrf_tokens(html: str) -> str:
    # A CSRF token carries the second it was signed: two renderings differ only there.
    return re.sub(r'(name="csrf_token"[^>]*value=")[^"]+"', r'\1…"', html)


def _edition(year) -> Edition:
    return db.session.scalar(select(Edition).where(Edition.year == year))


def test_preparing_next_year_changes_nothing_public(
    edition, login_as, client, make_user, block, make_valid_film
):
    programme.add_film(block, make_valid_film("Brume"))
    programme.publish(edition)
    camille = make_user(Role.FACILITATOR, login="camille@example.org")
    for workshop in edition.workshops:
        workshop.facilitator = camille
    edition.workshops[2].room = "Studio son"
    db.session.commit()
    facilitator = login_as(camille)
    facilitator.get("/ateliers")  # the welcome message shown once
    roll_before = _without_csrf_tokens(facilitator.get("/ateliers").get_data(as_text=True))
    staff = login_as(Role.STAFF)
    response = staff.post_form(NEW, _next_year_form(edition), token_page=NEW)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    new = _edition(edition.year + 1)
    db.session.refresh(edition)
    assert edition.is_current and not new.is_current
    # The public, the roll calls on Camille's tablet: as before.
    assert "Brume" in client.get("/programme").get_data(as_text=True)
    roll_after = _without_csrf_tokens(facilitator.get("/ateliers").get_data(as_text=True))
    assert roll_after == roll_before
    # Staff pages now show the edition being prepared, with a bar that says so.
    page = staff.get("/equipe/participants").get_data(as_text=True)
    assert new.title in page
    assert f"Vous travaillez sur {new.year}." in page
    assert "voient toujours" in page
    # Last year's workshops, same weekday and hour, whole weeks later, same rooms and people.
    assert [w.title for w in new.workshops] == [w.title for w in edition.workshops]
    for old, copy in zip(edition.workshops, new.workshops, strict=True):
        assert copy.starts_at.weekday() == old.starts_at.weekday()
        assert copy.starts_at.time() == old.starts_at.time()
        assert (copy.starts_at - old.starts_at) % timedelta(weeks=1) == timedelta(0)
        assert copy.room == old.room and copy.facilitator_id == camille.id
    # Back to this year's edition with the switcher.
    staff.post_form(
        "/equipe/editions/travail",
        {"edition_id": str(edition.id), "next": "/equipe/participants"},
        token_page="/equipe/participants",
    )
    page = staff.get("/equipe/participants").get_data(as_text=True)
    assert edition.title in page and "Vous travaillez sur" not in page


def test_the_switch_says_what_changes_and_waits_for_a_confirmation(
    edition, login_as, client, block, make_valid_film
):
    programme.add_film(block, make_valid_film("Brume"))
    programme.publish(edition)
    db.session.commit()
    staff = login_as(Role.STAFF)
    staff.post_form(NEW, _next_year_form(edition), token_page=NEW)
    new = _edition(edition.year + 1)
    switch = f"/equipe/editions/{new.id}/en-cours"
    page = staff.get(switch).get_data(as_text=True)
    assert "ne verra plus de programme" in page
    assert f"Le programme de {edition.year} quitte la page d" in page
    assert "5 ateliers de" in page and "quitteront les tablettes" in page
    assert "la cérémonie de" in page and "pas encore eu lieu" in page
    refused = staff.post_form(switch, {}, token_page=switch)
    assert refused.status_code == 200 and "Cochez la case" in refused.get_data(as_text=True)
    db.session.refresh(edition)
    assert edition.is_current
    assert staff.post_form(switch, {"confirm": "y"}, token_page=switch).status_code == 302
    db.session.refresh(edition)
    db.session.refresh(new)
    assert new.is_current and not edition.is_current
    assert "Brume" not in client.get("/programme").get_data(as_text=True)


def test_dates_are_checked_together_in_one_round(edition, login_as):
    staff = login_as(Role.STAFF)
    path = f"/equipe/editions/{edition.id}/modifier"
    last = max(edition.workshops, key=lambda w: w.starts_at)
    form = {
        "year": str(edition.year),
        "title": edition.title,
        "starts_on": edition.starts_on.isoformat(),
        "ends_on": edition.ends_on.isoformat(),
        # The ceremony before the last workshop, the deadline after the ceremony.
        "ceremony_at": (last.starts_at - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        "upload_deadline": (last.starts_at + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M"),
        "age_min": "14",
        "age_max": "19",
        "behind_missed_threshold": "3",
    }
    page = staff.post_form(path, form, token_page=path).get_data(as_text=True)
    assert "2 champs sont à corriger" in page
    assert "La date limite d&#39;envoi des films doit précéder la cérémonie" in page
    assert f"La cérémonie doit venir après le dernier atelier (n°{last.number}" in page
    db.session.refresh(edition)
    assert edition.ceremony_at != last.starts_at - timedelta(days=1)  # nothing saved


def test_a_workshop_outside_its_edition_is_refused(edition, login_as):
    staff = login_as(Role.STAFF)
    workshop = edition.workshops[0]
    path = f"/equipe/ateliers/{workshop.id}/modifier"
    outside = datetime.combine(edition.ends_on + timedelta(days=3), time(14))
    form = {
        "number": str(workshop.number),
        "title": workshop.title,
        "theme": workshop.theme,
        "description": "",
        "starts_at": outside.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (outside + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        "room": "",
        "facilitator_id": "0",
    }
    response = staff.post_form(path, form, token_page=path)
    assert "L&#39;atelier doit avoir lieu pendant l&#39;édition" in response.get_data(as_text=True)
    db.session.refresh(workshop)
    assert workshop.starts_at != outside  # nothing saved
