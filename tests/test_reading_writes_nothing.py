"""No GET writes: every page of the access matrix, opened by every role, leaves the database
as it was (what a reader sees is never made by reading it)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from festival.extensions import db
from tests.test_access import PAGES, _fill, world  # noqa: F401 - the access matrix's world

# Counted on purpose: opening a film's video counts a viewing (the report's figure).
COUNTERS = ("UPDATE films SET online_views",)


@pytest.fixture
def writes():
    seen: list[str] = []

    def listen(_conn, _cursor, statement, *_args):
        verb = statement.lstrip().split(" ", 1)[0].upper()
        if verb in {"INSERT", "UPDATE", "DELETE"} and not statement.startswith(COUNTERS):
            seen.append(" ".join(statement.split())[:90])

    sa.event.listen(db.engine, "before_cursor_execute", listen)
    yield seen
    sa.event.remove(db.engine, "before_cursor_execute", listen)


def test_no_page_writes_when_it_is_read(world, writes):  # noqa: F811 - the fixture above
    found = []
    for template, _expected in PAGES:
        url = _fill(template, world)
        for name, client in world["clients"].items():
            writes.clear()
            client.get(url)
            found.extend(f"{name} GET {url}: {statement}" for statement in writes)
    assert found == []
    # The listener hears the app's writes: a POST that changes something is seen.
    writes.clear()
    world["clients"]["staff"].post_form(_fill("/equipe/participants/{a}/code", world))
    assert writes, "the check would hear a write"
