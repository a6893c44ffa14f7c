"""A page of a long list: staff's lists show a hundred rows at a time, whatever the season."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_sqlalchemy.pagination import Pagination


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
