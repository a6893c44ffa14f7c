"""The jury scores on a phone, saved as they go; the deliberation table; conflicts of interest;
a juror never sees another's scores before the close."""

from __future__ import annotations

import pytest

from festival.auth.models import Role
from festival.awards import jury, prizes
from festival.extensions import db


@pytest.fixture
def retained(edition, make_valid_film):
    films = [make_valid_film("Aube"), make_valid_film("Brume")]
    prizes.awards_progress(edition)  # the default grid and prizes
    db.session.commit()
    return films


@pytest.fixture
def jurors(make_user):
    return [make_user(Role.JURY, display_name=name) for name in ("Juliette", "Karim", "Lou")]


def _grid(edition):
    return prizes.criteria_of(edition)


def _save(client, film, fields: dict, *, token_page=None):
    return client.post_form(
        f"/jury/films/{film.id}/notes",
        fields,
        token_page=token_page or f"/jury/films/{film.id}",
        headers={"Accept": "application/json"},
    )


def test_a_juror_scores_as_they_go_and_sees_what_is_left(login_as, edition, retained, jurors):
    aube, _brume = retained
    juror = login_as(jurors[0])
    page = juror.get(f"/jury/films/{aube.id}").get_data(as_text=True)
    grid = _grid(edition)
    assert all(c.name in page for c in grid) and 'name="comment"' in page
    saved = _save(juror, aube, {f"score-{grid[0].id}": "7", f"score-{grid[1].id}": "9"})
    assert saved.status_code == 200 and saved.json["message"] == "Enregistré."
    listing = juror.get("/jury/films").get_data(as_text=True)
    assert "2 critère(s) sur 6" in listing
    # Sent again (a retry on a weak connection): the same rows, not new ones.
    _save(juror, aube, {f"score-{grid[0].id}": "7", f"score-{grid[1].id}": "9"})
    everything = {f"score-{c.id}": "5" for c in grid} | {"comment": "Belle lumière."}
    _save(juror, aube, everything)
    assert jury.scores_of(jurors[0], aube) == {c.id: 5 for c in grid}
    assert jury.review_of(jurors[0], aube).comment == "Belle lumière."
    assert "Noté" in juror.get("/jury/films").get_data(as_text=True)
    # Clearing a score ("–") is saved too.
    _save(juror, aube, {f"score-{grid[0].id}": ""})
    assert grid[0].id not in jury.scores_of(jurors[0], aube)


def test_scores_are_refused_outside_the_rules(login_as, edition, retained, jurors, make_valid_film):
    aube, _brume = retained
    grid = _grid(edition)
    juror = login_as(jurors[0])
    too_high = _save(juror, aube, {f"score-{grid[0].id}": "11"})
    assert too_high.status_code == 422 and "0 à 10" in too_high.json["error"]["message"]
    not_retained = make_valid_film("Pas retenu", selected=False)
    assert juror.get(f"/jury/films/{not_retained.id}").status_code == 404
    staff = login_as(Role.STAFF)
    refused = staff.post_form(f"/jury/films/{aube.id}/notes", {f"score-{grid[0].id}": "5"})
    assert refused.status_code == 403
    jury.close_deliberation(edition)
    db.session.commit()
    closed = _save(juror, aube, {f"score-{grid[0].id}": "5"})
    assert closed.status_code == 422 and "close" in closed.json["error"]["message"]
    assert jury.scores_of(jurors[0], aube) == {}


def test_the_deliberation_leaves_out_a_juror_with_a_link_and_flags_ties(
    login_as, edition, retained, jurors
):
    aube, brume = retained
    grid = _grid(edition)
    for juror, score_aube, score_brume in ((jurors[0], 8, 6), (jurors[1], 6, 8)):
        jury.save_review(juror, aube, scores={c.id: score_aube for c in grid})
        jury.save_review(juror, brume, scores={c.id: score_brume for c in grid})
    # Lou is Aube's director's aunt: her 10s do not count for Aube.
    jury.save_review(jurors[2], aube, scores={c.id: 10 for c in grid}, conflict="sa tante")
    jury.save_review(jurors[2], brume, scores={grid[0].id: 7})
    db.session.commit()
    results = {r.film.title: r for r in jury.deliberation(edition)}
    assert results["Aube"].total == 7.0 and results["Aube"].excluded[0][1] == "sa tante"
    assert results["Aube"].criteria[0].mean == 7.0 and results["Aube"].criteria[0].spread == 1.0
    assert [j.display_name for j in results["Brume"].missing] == ["Lou"]
    assert results["Brume"].criteria[0].mean == 7.0  # (6 + 8 + 7) / 3
    assert results["Brume"].total == pytest.approx((7.0 + 7.0 * 5) / 6, abs=0.01)
    staff_page = login_as(Role.STAFF).get("/equipe/prix").get_data(as_text=True)
    assert "Lou ne compte pas (lien : sa tante)" in staff_page
    assert "Notes manquantes : Lou" in staff_page
    # Weights change the total: image counts twice.
    prizes.set_criteria(edition, {grid[1].id: 2.0})
    jury.save_review(jurors[0], brume, scores={c.id: 7 for c in grid})
    jury.save_review(jurors[1], brume, scores={c.id: 7 for c in grid})
    jury.save_review(jurors[2], brume, scores={c.id: 7 for c in grid})
    db.session.commit()
    tied = jury.deliberation(edition)
    assert [r.rank for r in tied] == [1, 1] and all(r.tied for r in tied)


def test_a_juror_sees_only_their_own_scores_until_the_close(login_as, edition, retained, jurors):
    aube, _brume = retained
    grid = _grid(edition)
    jury.save_review(jurors[0], aube, scores={grid[0].id: 3}, comment="Juliette pense que…")
    db.session.commit()
    karim = login_as(jurors[1])
    page = karim.get(f"/jury/films/{aube.id}").get_data(as_text=True)
    assert "Juliette pense" not in page and 'value="3" checked' not in page
    assert karim.get("/jury/deliberation").status_code == 403
    jury.close_deliberation(edition)
    db.session.commit()
    table = karim.get("/jury/deliberation")
    assert table.status_code == 200 and "3.0" in table.get_data(as_text=True)


def test_a_comment_too_long_is_refused_and_the_saved_one_kept(edition, retained, jurors):
    aube, _brume = retained
    grid = _grid(edition)
    jury.save_review(jurors[0], aube, scores={grid[0].id: 4}, comment="Belle lumière.")
    db.session.commit()
    with pytest.raises(Exception, match="dépasse 5000 caractères"):
        jury.save_review(jurors[0], aube, scores={}, comment="x" * 5001)
    db.session.rollback()
    assert jury.review_of(jurors[0], aube).comment == "Belle lumière."
