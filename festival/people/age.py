"""The age rules: exact age on a day, the edition's bounds, who is a minor."""

from __future__ import annotations

import calendar
from datetime import date
from typing import TYPE_CHECKING

from flask_babel import format_date
from flask_babel import gettext as _

from festival.clock import local_today
from festival.editions.models import Edition
from festival.errors import ValidationError

if TYPE_CHECKING:  # the models read the age rules
    from festival.people.models import Participant

AGE_OF_MAJORITY = 18


def age_on(birth_date: date, on: date) -> int:
    """Exact age in whole years on a given day.

    Someone born on 29 February has their birthday on 1 March in common years, as in
    French civil practice: they are still 13 on 28 February of the year they turn 14.
    """
    years = on.year - birth_date.year
    birthday_month, birthday_day = birth_date.month, birth_date.day
    if (birthday_month, birthday_day) == (2, 29) and not calendar.isleap(on.year):
        birthday_month, birthday_day = 3, 1
    if (on.month, on.day) < (birthday_month, birthday_day):
        years -= 1
    return years


def age_problem(edition: Edition, birth_date: date) -> str | None:
    """The French sentence that says why this birth date is refused, or None when it is fine."""
    reference = edition.age_reference_date
    if birth_date > local_today():
        return _("La date de naissance est dans le futur : vérifiez l'année.")
    age = age_on(birth_date, reference)
    if age < edition.age_min:
        return _(
            "Le festival est ouvert aux jeunes de %(min)s à %(max)s ans : vous aurez %(age)s ans "
            "le %(day)s, date de référence de l'édition. Il faut avoir au moins %(min)s ans ce "
            "jour-là.",
            min=edition.age_min,
            max=edition.age_max,
            age=age,
            day=format_date(reference, "d MMMM y"),
        )
    if age > edition.age_max:
        return _(
            "Le festival est ouvert aux jeunes de %(min)s à %(max)s ans : vous aurez %(age)s ans "
            "le %(day)s, date de référence de l'édition, soit plus que l'âge maximum.",
            min=edition.age_min,
            max=edition.age_max,
            age=age,
            day=format_date(reference, "d MMMM y"),
        )
    return None


def check_age(edition: Edition, birth_date: date) -> int:
    problem = age_problem(edition, birth_date)
    if problem:
        raise ValidationError(problem, field="birth_date", code="age_out_of_bounds")
    return age_on(birth_date, edition.age_reference_date)


def is_minor(birth_date: date, on: date | None = None) -> bool:
    return age_on(birth_date, on or local_today()) < AGE_OF_MAJORITY


def participant_age(participant: Participant) -> int | None:
    if participant.birth_date is None:
        return participant.age_on_reference_date
    return age_on(participant.birth_date, participant.edition.age_reference_date)
