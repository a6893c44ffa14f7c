"""What several test modules share: the test password, birth dates for an age."""

from __future__ import annotations

from datetime import date, timedelta

from festival.editions.models import Edition

PASSWORD = "correct-horse-battery"


def birth_date_for(edition: Edition, age: int, days_after_birthday: int = 30) -> date:
    """A birth date giving exactly `age` on the edition's reference date."""
    reference = edition.age_reference_date
    birthday = reference - timedelta(days=days_after_birthday)
    return birthday.replace(year=birthday.year - age)


def ceremony_started(edition: Edition, minutes_ago: int = 10) -> None:
    """The ceremony began a few minutes ago: the palmarès may be published."""
    from festival.clock import local_now

    edition.ceremony_at = local_now().replace(second=0, microsecond=0) - timedelta(
        minutes=minutes_ago
    )


def edition_certificates(staff) -> bytes:
    """The edition's certificates as staff get them: the button on the prizes page (its job
    runs at once in tests), then the download."""
    staff.post_form("/equipe/prix/attestations", token_page="/equipe/prix")
    response = staff.get("/equipe/prix/attestations.pdf")
    assert response.status_code == 200, response.status_code
    return response.data
