"""A page of a long list: staff's lists show a hundred rows at a time, whatever the season."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select

from festival.extensions import db


def paginate(stmt: Select, *, page: int, per_page: int, past_the_end: str = "last") -> Pagination:
    """A page of a query's rows. A page past the end is the last one for a person following an
    old link (`past_the_end="last"`: the list shrank since), nothing for a program reading
    every page ("empty")."""
    listed = db.paginate(stmt, page=page, per_page=per_page, error_out=False)
    if past_the_end == "last" and page > 1 and not listed.items and listed.pages:
        return db.paginate(stmt, page=listed.pages, per_page=per_page, error_out=False)
    return listed


class ListPage(Pagination):
    """A page of a list already in memory (computed, not queried), read as Flask-SQLAlchemy's
    pages of a query are (`items`, `page`, `pages`, `total`, `has_next`…). A page past the
    end is the last one."""

    def __init__(self, rows: Sequence[Any], *, page: int, per_page: int):
        self._rows = rows
        last_page = max(1, -(-len(rows) // per_page))
        super().__init__(
            page=min(max(page, 1), last_page), per_page=per_page, max_per_page=None, error_out=False
        )

    def _query_items(self) -> list[Any]:
        return list(self._rows[self._query_offset : self._query_offset + self.per_page])

    def _query_count(self) -> int:
        return len(self._rows)
