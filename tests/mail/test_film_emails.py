"""A team hears by email how its film's check went and what staff decided."""

from __future__ import annotations

import os

from festival.extensions import db
from festival.films.models import ReviewDecision
from festival.films.review import decide
from tests.helpers.api import bearer


def test_the_team_hears_the_check_result_and_the_decision(
    smtp_server, client, team, film, tus_as, make_video, staff_user
):
    director = team[0]
    tus = tus_as(bearer(client, director.user))
    tus.send(film.id, os.urandom(50_000))  # not a film: refused by the check
    refused = smtp_server.to(director.email)[-1]
    assert refused["Subject"] == "« La nuit des chats » : le fichier est à refaire"
    assert (
        "Corrigez-la et envoyez un nouveau fichier"
        in refused.get_body(preferencelist=("plain",)).get_content()
    )
    tus.send(film.id, make_video("ok.mp4").read_bytes())
    valid = smtp_server.to(director.email)[-1]
    assert valid["Subject"] == "« La nuit des chats » est valide"
    assert f"/films/{film.id}" in valid.get_body(preferencelist=("plain",)).get_content()
    assert smtp_server.to(team[1].email)[-1]["Subject"] == valid["Subject"]  # the editor too
    assert smtp_server.to(team[2].email) == [] or all(
        "nuit des chats" not in m["Subject"] for m in smtp_server.to(team[2].email)
    )  # the outsider hears nothing of it
    db.session.refresh(film)
    decide(film, ReviewDecision.SELECTED, note="Bravo pour le montage !", by=staff_user)
    db.session.commit()
    decision = smtp_server.to(director.email)[-1]
    assert decision["Subject"] == "« La nuit des chats » est retenu pour la cérémonie !"
    assert "Bravo pour le montage !" in decision.get_body(preferencelist=("plain",)).get_content()


def test_a_decision_confirmed_again_is_not_announced_twice(
    smtp_server, client, team, film, tus_as, make_video, staff_user
):
    """Staff retain a film, its team sends a new cut, staff approve that one too: the team
    heard « retenu » once; saying it again would read as news (found by `make rehearsal`).
    A changed note is news, and is sent."""
    director = team[0]
    tus = tus_as(bearer(client, director.user))
    tus.send(film.id, make_video("v1.mp4").read_bytes())
    db.session.refresh(film)
    decide(film, ReviewDecision.SELECTED, note="", by=staff_user)
    db.session.commit()
    tus.send(film.id, make_video("v2.mp4", seconds=3).read_bytes())
    db.session.refresh(film)
    decide(film, ReviewDecision.SELECTED, note="", by=staff_user)
    db.session.commit()
    retained = [m for m in smtp_server.to(director.email) if "retenu" in m["Subject"]]
    assert len(retained) == 1
    assert film.approved_version == film.current_version  # the new cut is approved all the same
    decide(film, ReviewDecision.SELECTED, note="Le nouveau montage est plus fort.", by=staff_user)
    db.session.commit()
    retained = [m for m in smtp_server.to(director.email) if "retenu" in m["Subject"]]
    assert len(retained) == 2
