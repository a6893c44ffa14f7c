"""One person is told by her name and birth date whatever the case of its accented letters:
SQLite's lower() folds ASCII only, so « Élodie Ñúñez » and « ÉLODIE ÑÚÑEZ » were two people
there: a list imported twice registered her twice, and erasing her left her other edition."""

from __future__ import annotations

from datetime import timedelta

from festival.editions.services import create_edition
from festival.extensions import db
from festival.people.models import ConsentKind
from festival.people.privacy import same_person
from festival.people.registration import RegistrationData, find_registered, register_participant
from tests.helpers import birth_date_for


def _data(edition, first: str, last: str) -> RegistrationData:
    return RegistrationData(
        first_name=first,
        last_name=last,
        birth_date=birth_date_for(edition, 19),
        consents={kind: True for kind in ConsentKind},
    )


def test_accented_capitals_are_the_same_person(edition):
    elodie = register_participant(edition, _data(edition, "Élodie", "Ñúñez"), recorded_by=None)
    db.session.commit()
    found, matched_on = find_registered(edition, _data(edition, "ÉLODIE", "ÑÚÑEZ"))
    assert found == elodie and matched_on == "name_birth_date"
    found, _ = find_registered(edition, _data(edition, " élodie ", "ñúñez"))
    assert found == elodie
    assert find_registered(edition, _data(edition, "Elodie", "Nunez")) == (None, None)


def test_erasure_finds_her_whatever_the_case(edition):
    earlier = create_edition(
        year=edition.year - 1,
        title="L'an dernier",
        starts_on=edition.starts_on - timedelta(days=365),
        ends_on=edition.ends_on - timedelta(days=365),
        ceremony_at=edition.ceremony_at - timedelta(days=365),
        upload_deadline=edition.upload_deadline - timedelta(days=365),
        make_current=False,
    )
    first = register_participant(earlier, _data(edition, "ÁNH", "NGUYỄN"), recorded_by=None)
    second = register_participant(edition, _data(edition, "Ánh", "Nguyễn"), recorded_by=None)
    db.session.commit()
    assert {p.id for p in same_person(second)} == {first.id, second.id}
