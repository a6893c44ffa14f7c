"""Majority judgment on hand-made ballots: the majority grade, ties broken round after round."""

from festival.awards.majority import compare, majority_grade, rank

E, TB, B, AB, P, R = range(6)  # Excellent … À rejeter, best first


def test_the_majority_grade_is_the_lower_middle():
    assert majority_grade([E, TB, B]) == TB
    assert majority_grade([E, E, B, P]) == B  # only half gave E: not a majority
    assert majority_grade([]) is None


def test_the_best_majority_grade_wins_whatever_the_averages():
    # "Loved by a few" has the better average on a 0-5 scale, "liked by most" the better median.
    ranked = rank({"loved by a few": [E, E, P, R, R], "liked by most": [B, B, B, AB, AB]}, 6)
    assert [(r.key, r.rank) for r in ranked] == [("liked by most", 1), ("loved by a few", 2)]
    assert ranked[0].median == B and ranked[0].profile == (0, 0, 3, 2, 0, 0)


def test_a_tie_is_broken_at_the_second_round():
    # Both have Très bien as majority grade; without one Très bien each, A keeps Bien, B Passable.
    a, b = [TB, TB, B], [E, TB, P]
    assert majority_grade(sorted(a)) == majority_grade(sorted(b)) == TB
    assert compare(a, b) == -1
    assert [r.key for r in rank({"B": b, "A": a}, 6)] == ["A", "B"]


def test_a_tie_is_broken_at_the_third_round():
    a = [E, TB, B, B, R]  # Bien, then Bien (of E,TB,B,R), then Très bien (of E,TB,R)
    b = [TB, B, B, B, P]  # Bien, then Bien (of TB,B,B,P), then Bien (of TB,B,P)
    rounds_a, rounds_b = list(a), list(b)
    for expected in (True, True):  # two rounds equal…
        assert (majority_grade(rounds_a) == majority_grade(rounds_b)) is expected
        rounds_a.pop(len(rounds_a) // 2)
        rounds_b.pop(len(rounds_b) // 2)
    assert majority_grade(rounds_a) < majority_grade(rounds_b)  # …the third one decides
    assert compare(a, b) == -1 and compare(b, a) == 1


def test_films_with_identical_profiles_share_their_rank():
    ranked = rank({"X": [E, B, P], "Y": [P, B, E], "Z": [R, R, R]}, 6)
    assert [(r.key, r.rank) for r in ranked if r.key != "Z"] in (
        [("X", 1), ("Y", 1)],
        [("Y", 1), ("X", 1)],
    )
    assert ranked[-1].key == "Z" and ranked[-1].rank == 3


def _majority_value(grades: list[int]) -> tuple[int, ...]:
    """Balinski and Laraki's majority value, written independently: the lower median, then
    the lower median of what is left once it is taken out, and so on; best (0) first."""
    remaining = sorted(grades, reverse=True)  # worst first: the lower median sits at (n - 1) // 2
    value = []
    while remaining:
        value.append(remaining.pop((len(remaining) - 1) // 2))
    return tuple(value)


def _reference_ranking(ballots: list[dict[str, int]], films: list[str]) -> dict[str, int]:
    """Each film's rank from the ballots themselves: a film a ballot left out is « À rejeter »
    on that ballot; majority values compared lexicographically; equal values share a rank."""
    values = {film: _majority_value([b.get(film, R) for b in ballots]) for film in films}
    return {film: 1 + sum(1 for other in films if values[other] < values[film]) for film in films}


def test_rankings_match_a_reference_on_random_elections_with_missing_grades():
    import random

    generator = random.Random(27)
    for _election in range(400):
        films = [f"film {n}" for n in range(generator.randint(2, 6))]
        late = set(generator.sample(films, generator.randint(0, len(films) - 1)))
        ballots = []
        for _voter in range(generator.randint(1, 40)):
            # A film added late is missing from the ballots cast before it joined.
            graded = [f for f in films if f not in late or generator.random() < 0.5]
            ballots.append({f: generator.choice([E, TB, B, AB, P, R]) for f in graded})
        given = {f: [b[f] for b in ballots if f in b] for f in films}
        ranked = rank(given, 6, voters=len(ballots))
        assert {r.key: r.rank for r in ranked} == _reference_ranking(ballots, films), ballots
        for r in ranked:
            assert sum(r.profile) == len(ballots)
            assert r.profile[R] >= len(ballots) - len(given[r.key])
