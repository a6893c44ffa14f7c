"""A film added while the audience votes is judged by every ballot (a missing grade is
« À rejeter »), staff are warned when they add it, and each closing or reopening of the vote
gives the Prix du public again."""

from __future__ import annotations

from festival.auth.models import Role
from festival.awards import prizes, vote
from festival.awards.models import AwardKind, Grade, VoteStatus
from festival.extensions import db
from festival.programme import services as programme


def _cast(codes, films, *grades: str) -> None:
    for code, grade in zip(codes, grades, strict=False):
        vote.cast_ballot(code, {str(f.id): grade for f in films})


def _add_through_the_builder(staff, block, film) -> str:
    """Staff add the film to the séance on the programme page; the page they land on."""
    added = staff.post_form(
        f"/equipe/programme/seances/{block.id}/films",
        {"film_id": str(film.id)},
        token_page="/equipe/programme",
        follow_redirects=True,
    )
    return added.get_data(as_text=True)


def _audience_award(edition):
    return next(a for a in prizes.awards_of(edition) if a.kind == AwardKind.AUDIENCE)


def test_a_late_film_is_judged_by_every_ballot_its_missing_grades_counting_a_rejeter(
    edition, block, published_ceremony, make_valid_film
):
    early = published_ceremony("Aube")
    vote.set_vote_status(edition, VoteStatus.OPEN)
    codes = vote.generate_codes(edition, 5)
    db.session.commit()
    _cast(codes[:3], early, "bien", "bien", "bien")
    late = make_valid_film("Zénith")
    programme.add_film(block, late)
    db.session.commit()
    # Its two fans gave it Excellent: on two ballots it would beat Aube's Bien, but the three
    # earlier ballots count « À rejeter » for it, so its majority grade is À rejeter.
    for code in codes[3:]:
        vote.cast_ballot(code, {str(early[0].id): "bien", str(late.id): "excellent"})
    results = vote.vote_results(edition)
    by_title = {v.film.title: v for v in results.films}
    assert results.ballots == 5
    assert by_title["Aube"].rank == 1 and by_title["Aube"].missing == 0
    zenith = by_title["Zénith"]
    assert zenith.rank == 2 and zenith.median == Grade.A_REJETER and zenith.missing == 3
    assert zenith.profile[Grade.EXCELLENT] == 2 and zenith.profile[Grade.A_REJETER] == 3


def test_staff_are_warned_when_a_film_joins_an_open_vote_and_see_how_it_is_counted(
    edition, block, published_ceremony, make_valid_film, login_as
):
    early = published_ceremony("Aube", "Brume")
    vote.set_vote_status(edition, VoteStatus.OPEN)
    codes = vote.generate_codes(edition, 3)
    db.session.commit()
    _cast(codes, early, "bien", "passable")
    late = make_valid_film("Zénith")
    staff = login_as(Role.STAFF)
    html = _add_through_the_builder(staff, block, late)
    assert "Le vote du public est ouvert : « Zénith » y entre maintenant." in html
    assert "Les 2 bulletins déjà reçus ne l&#39;ont pas noté" in html
    results = staff.get("/equipe/prix").get_data(as_text=True)
    assert "2 bulletins votés avant l'ajout de ce film : comptés « À rejeter » pour lui" in results


def test_no_warning_when_the_vote_is_not_open(
    edition, block, published_ceremony, make_valid_film, login_as
):
    published_ceremony("Aube")
    late = make_valid_film("Zénith")
    staff = login_as(Role.STAFF)
    assert "Le vote du public est ouvert" not in _add_through_the_builder(staff, block, late)


def test_each_closing_and_reopening_gives_the_audience_prize_again(edition, published_ceremony):
    aube, brume = published_ceremony("Aube", "Brume")
    vote.set_vote_status(edition, VoteStatus.OPEN)
    codes = vote.generate_codes(edition, 6)
    db.session.commit()
    for code in codes[:2]:
        vote.cast_ballot(code, {str(aube.id): "excellent", str(brume.id): "passable"})
    vote.set_vote_status(edition, VoteStatus.CLOSED)
    db.session.commit()
    assert _audience_award(edition).film_id == aube.id

    vote.set_vote_status(edition, VoteStatus.OPEN)
    db.session.commit()
    assert _audience_award(edition).film_id is None, "the vote runs again: no winner yet"
    for code in codes[2:]:
        vote.cast_ballot(code, {str(aube.id): "a_rejeter", str(brume.id): "excellent"})
    vote.set_vote_status(edition, VoteStatus.CLOSED)
    db.session.commit()
    assert _audience_award(edition).film_id == brume.id


def test_a_tie_on_the_majority_grade_says_how_it_was_broken(edition, published_ceremony, login_as):
    aube, brume = published_ceremony("Aube", "Brume")
    vote.set_vote_status(edition, VoteStatus.OPEN)
    codes = vote.generate_codes(edition, 3)
    db.session.commit()
    # Both have Très bien as majority grade; once it is removed, Aube keeps Bien, Brume Passable.
    for code, (a, b) in zip(
        codes,
        [("tres_bien", "excellent"), ("tres_bien", "tres_bien"), ("bien", "passable")],
        strict=True,
    ):
        vote.cast_ballot(code, {str(aube.id): a, str(brume.id): b})
    first, second = vote.vote_results(edition).films
    assert (first.film, first.rank, second.film, second.rank) == (aube, 1, brume, 2)
    assert first.median == second.median == Grade.TRES_BIEN
    assert not first.after_tie_break and second.after_tie_break
    html = login_as(Role.STAFF).get("/equipe/prix").get_data(as_text=True)
    assert "même mention médiane que le film au-dessus" in html
