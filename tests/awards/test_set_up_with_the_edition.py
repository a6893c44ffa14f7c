"""An edition comes with its awards frame (record, grid, prizes) and its usual workshops, named
in the festival's language whoever creates it; reading the awards' pages writes nothing."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
import sqlalchemy as sa

from festival.auth.models import Role
from festival.awards import prizes
from festival.awards.models import AwardsProgress
from festival.clock import local_today
from festival.editions.services import create_edition
from festival.extensions import db


def test_an_edition_created_in_english_gets_french_defaults(app):
    today = local_today()
    with app.test_request_context(headers={"Accept-Language": "en"}):
        edition = create_edition(
            year=today.year + 3,
            title="Created by an English-speaking librarian",
            starts_on=today,
            ends_on=today + timedelta(days=100),
            ceremony_at=datetime.combine(today + timedelta(days=90), time(18)),
            upload_deadline=datetime.combine(today + timedelta(days=60), time(23, 59)),
        )
        db.session.commit()
    names = [c.name for c in prizes.criteria_of(edition)]
    assert names[:2] == ["Scénario", "Image"]
    assert [a.name for a in prizes.awards_of(edition)][:2] == [
        "Grand prix du jury",
        "Prix du public",
    ]
    assert edition.workshops[0].title != "" and edition.workshops[-1].theme == "montage"
    assert db.session.scalar(
        sa.select(AwardsProgress).where(AwardsProgress.edition_id == edition.id)
    )


@pytest.fixture
def statements():
    """Every statement that changes data, as the database receives it."""
    seen: list[str] = []

    def listen(_conn, _cursor, statement, *_args):
        if statement.lstrip().split(" ", 1)[0].upper() in {"INSERT", "UPDATE", "DELETE"}:
            seen.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", listen)
    yield seen
    sa.event.remove(db.engine, "before_cursor_execute", listen)


PAGES = {
    Role.STAFF: ["/equipe/prix", "/equipe/prix/projection", "/equipe/prix/projection/etat.json",
                 "/jury/films", "/jury/deliberation"],
    Role.JURY: ["/jury/films"],
}  # fmt: skip


def test_reading_the_awards_pages_writes_nothing(edition, login_as, statements):
    # An edition from before this rule, whose record was never made: still nothing is written.
    db.session.execute(sa.delete(AwardsProgress).where(AwardsProgress.edition_id == edition.id))
    db.session.commit()
    for role, pages in PAGES.items():
        client = login_as(role)
        statements.clear()
        for page in pages:
            assert client.get(page).status_code == 200, page
        assert statements == [], (role, statements)
    assert (
        db.session.scalar(sa.select(AwardsProgress).where(AwardsProgress.edition_id == edition.id))
        is None
    )
