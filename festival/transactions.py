"""Committing when other requests write the same rows at the same moment."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import IntegrityError, OperationalError

from festival.extensions import db

T = TypeVar("T")


def commit_retrying(operation: Callable[[], T], *, attempts: int = 3) -> T:
    """Run `operation` and commit; if a concurrent writer got there first (two roll calls of
    the same workshop inserting the same marks), roll back and run it again on fresh data."""
    for attempt in range(1, attempts + 1):
        try:
            result = operation()
            db.session.commit()
            return result
        except (IntegrityError, OperationalError):
            db.session.rollback()
            if attempt == attempts:
                raise
    raise AssertionError("unreachable")
