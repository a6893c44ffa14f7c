"""Majority judgment (jugement majoritaire, Balinski and Laraki): plain Python, no database.

Every voter grades every film. A film's majority grade is the best grade that a majority of
its voters gave it or better: with its grades sorted from best to worst, the one at index
n // 2 (the lower middle when n is even). Films are ranked by majority grade; a tie is broken
by removing one majority grade from each tied film and comparing again, as many times as it
takes. Films still equal when their grades run out share their rank.

A voter who gave a film no grade (a ballot cast before the film joined the vote) gave it the
lowest grade, the method's standard rule: every film is judged by the same voters.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from functools import cmp_to_key


@dataclass(frozen=True)
class Ranked:
    key: Hashable
    rank: int  # 1 for the winner; equal films share a rank
    median: int | None  # the majority grade (0 is the best), None without any grade
    profile: tuple[int, ...]  # how many voters gave each grade, best first


def majority_grade(sorted_grades: Sequence[int]) -> int | None:
    """The majority grade of grades sorted best (0) first."""
    return sorted_grades[len(sorted_grades) // 2] if sorted_grades else None


def compare(first: Sequence[int], second: Sequence[int]) -> int:
    """-1 when `first` ranks before `second`, 1 after, 0 when nothing separates them.

    Grades are sorted best (0) first. Ties are broken by removing one majority grade from
    each and comparing the majority grades of what remains.
    """
    a, b = list(first), list(second)
    while a and b:
        grade_a, grade_b = majority_grade(a), majority_grade(b)
        if grade_a != grade_b:
            return -1 if grade_a < grade_b else 1
        a.pop(len(a) // 2)
        b.pop(len(b) // 2)
    return 0


def rank(
    grades_by_key: Mapping[Hashable, Sequence[int]], levels: int, *, voters: int | None = None
) -> list[Ranked]:
    """Rank every key by majority judgment; `levels` is how many grades there are. With
    `voters`, a key graded by fewer gets the lowest grade (levels - 1) for each one missing."""
    sorted_grades = {
        key: sorted([*grades, *[levels - 1] * max(0, (voters or 0) - len(grades))])
        for key, grades in grades_by_key.items()
    }
    order = sorted(
        sorted_grades,
        key=cmp_to_key(lambda x, y: compare(sorted_grades[x], sorted_grades[y])),
    )
    ranked: list[Ranked] = []
    for position, key in enumerate(order, start=1):
        grades = sorted_grades[key]
        if ranked and compare(sorted_grades[ranked[-1].key], grades) == 0:
            place = ranked[-1].rank
        else:
            place = position
        profile = tuple(grades.count(level) for level in range(levels))
        ranked.append(Ranked(key, place, majority_grade(grades), profile))
    return ranked
