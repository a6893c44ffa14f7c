"""The age rule: exact birthday arithmetic on the edition's reference date."""

from datetime import date, datetime

import pytest

from festival.editions.models import Edition
from festival.errors import ValidationError
from festival.people.age import age_on, age_problem, check_age


@pytest.mark.parametrize(
    ("birth", "on", "expected"),
    [
        (date(2013, 3, 27), date(2027, 3, 27), 14),  # fourteenth birthday on the day
        (date(2013, 3, 28), date(2027, 3, 27), 13),  # one day short
        (date(2007, 3, 27), date(2027, 3, 27), 20),  # twentieth birthday on the day
        (date(2007, 3, 28), date(2027, 3, 27), 19),  # still 19 the day before turning 20
        (date(2008, 2, 29), date(2022, 2, 28), 13),  # leap-day birth, common year: not yet
        (date(2008, 2, 29), date(2022, 3, 1), 14),  # ... birthday counted on 1 March
        (date(2008, 2, 29), date(2024, 2, 29), 16),  # leap year: on the day itself
        (date(2008, 2, 29), date(2024, 2, 28), 15),
        (date(2010, 12, 31), date(2027, 1, 1), 16),
    ],
)
def test_age_on_counts_whole_years_exactly(birth, on, expected):
    assert age_on(birth, on) == expected


def _edition(reference: date, age_min: int = 14, age_max: int = 19) -> Edition:
    return Edition(
        year=reference.year,
        title="t",
        starts_on=reference,
        ends_on=reference,
        ceremony_at=datetime.combine(reference, datetime.min.time()),
        upload_deadline=datetime.combine(reference, datetime.min.time()),
        age_min=age_min,
        age_max=age_max,
    )


def test_turning_14_on_the_reference_date_is_accepted(app):
    assert age_problem(_edition(date(2027, 3, 27)), date(2013, 3, 27)) is None


def test_turning_14_the_day_after_is_refused_with_a_french_reason(app):
    problem = age_problem(_edition(date(2027, 3, 27)), date(2013, 3, 28))
    assert "13 ans" in problem and "au moins 14 ans" in problem and "27 mars 2027" in problem


def test_turning_20_on_the_reference_date_is_refused(app):
    problem = age_problem(_edition(date(2027, 3, 27)), date(2007, 3, 27))
    assert "20 ans" in problem and "âge maximum" in problem


def test_the_day_before_turning_20_is_accepted(app):
    assert age_problem(_edition(date(2027, 3, 27)), date(2007, 3, 28)) is None


def test_leap_day_birth_is_checked_against_1_march_in_common_years(app):
    assert "13 ans" in age_problem(_edition(date(2022, 2, 28)), date(2008, 2, 29))
    assert age_problem(_edition(date(2022, 3, 1)), date(2008, 2, 29)) is None
    assert age_problem(_edition(date(2024, 2, 29)), date(2010, 2, 28)) is None


def test_reference_date_defaults_to_the_ceremony_day(app):
    edition = _edition(date(2027, 3, 27))
    assert edition.age_reference_date == date(2027, 3, 27)
    edition.reference_date = date(2026, 12, 31)
    assert edition.age_reference_date == date(2026, 12, 31)


def test_age_bounds_are_edition_settings(app):
    edition = _edition(date(2027, 3, 27), age_min=12, age_max=15)
    assert check_age(edition, date(2015, 1, 1)) == 12
    with pytest.raises(ValidationError) as refused:
        check_age(edition, date(2011, 1, 1))
    assert refused.value.fields.keys() == {"birth_date"}


def test_a_birth_date_in_the_future_is_refused(app):
    problem = age_problem(_edition(date(2027, 3, 27)), date(2100, 1, 1))
    assert "futur" in problem
