"""The migrations make the whole schema, match the models, and go down again, on both databases."""

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from festival import create_app
from festival.extensions import db
from tests.conftest import IN_CI, TEST_POSTGRES_URL

SCHEMA = "migration_check"


def _postgres_url() -> str:
    engine = sa.create_engine(TEST_POSTGRES_URL)
    try:
        with engine.begin() as connection:
            connection.execute(sa.text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
            connection.execute(sa.text(f"CREATE SCHEMA {SCHEMA}"))
    except sa.exc.OperationalError as error:
        if IN_CI:
            raise
        pytest.skip(f"PostgreSQL is not reachable at {TEST_POSTGRES_URL}: {error.orig}")
    finally:
        engine.dispose()
    separator = "&" if "?" in TEST_POSTGRES_URL else "?"
    return f"{TEST_POSTGRES_URL}{separator}options=-csearch_path%3D{SCHEMA}"


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
    else:
        url = _postgres_url()
        yield url
        engine = sa.create_engine(TEST_POSTGRES_URL)
        with engine.begin() as connection:
            connection.execute(sa.text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        engine.dispose()


def test_migrations_go_up_match_the_models_and_go_down(empty_database, tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": empty_database,
            "MEDIA_ROOT": str(tmp_path / "media"),
        }
    )
    with app.app_context():
        upgrade()
        tables = set(sa.inspect(db.engine).get_table_names())
        assert {t.name for t in db.metadata.sorted_tables} <= tables
        with db.engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
        assert differences == [], "models and migrations differ: add a migration"

        downgrade(revision="base")
        left = set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert left == set()
        upgrade()  # and back up again, as after a rollback
        db.engine.dispose()
