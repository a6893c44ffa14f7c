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
