"""Empty databases for tests that build a schema of their own (migrations, restores)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from tests.conftest import IN_CI, TEST_POSTGRES_URL


def _run(*statements: str) -> None:
    engine = sa.create_engine(TEST_POSTGRES_URL)
    try:
        with engine.begin() as connection:
            for statement in statements:
                connection.execute(sa.text(statement))
    finally:
        engine.dispose()


@contextlib.contextmanager
def empty_postgres_schema(name: str) -> Iterator[str]:
    """The test PostgreSQL database seen through a fresh, empty schema; dropped afterwards.

    One per test process: two processes running the two migration tests at once each dropped
    the other's tables (« relation alembic_version does not exist »).
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    schema = f"{name}_{worker}" if worker.isalnum() else name
    try:
        _run(f"DROP SCHEMA IF EXISTS {schema} CASCADE", f"CREATE SCHEMA {schema}")
    except sa.exc.OperationalError as error:
        if IN_CI:
            raise
        pytest.skip(f"PostgreSQL is not reachable at {TEST_POSTGRES_URL}: {error.orig}")
    separator = "&" if "?" in TEST_POSTGRES_URL else "?"
    try:
        yield f"{TEST_POSTGRES_URL}{separator}options=-csearch_path%3D{schema}"
    finally:
        _run(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
