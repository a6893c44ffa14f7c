"""The migrations make the whole schema, match the models, and go down again, on both databases."""

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from festival import create_app
from festival.extensions import db
from tests.databases import empty_postgres_schema


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
        return
    with empty_postgres_schema("migration_check") as url:
        yield url


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


def test_upgrading_keeps_every_row_already_stored(empty_database, tmp_path):
    """Each migration runs over a database full of data and loses none of it."""
    from alembic.script import ScriptDirectory

    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": empty_database,
            "MEDIA_ROOT": str(tmp_path / "media"),
        }
    )
    with app.app_context():
        config = app.extensions["migrate"].migrate.get_config()
        revisions = list(reversed(list(ScriptDirectory.from_config(config).walk_revisions())))
        upgrade(revision=revisions[0].revision)
        with db.engine.begin() as connection:
            connection.execute(
                sa.text(
                    "INSERT INTO editions (id, year, title, starts_on, ends_on, age_min, age_max, "
                    "ceremony_at, ceremony_venue, upload_deadline, behind_missed_threshold, "
                    "is_current, created_at) VALUES (1, 2027, 'E', '2026-09-01', '2027-03-27', 14, "
                    "19, '2027-03-27 18:00:00', '', '2027-02-27 23:59:00', 3, TRUE, "
                    "'2026-09-01 00:00:00')"
                )
            )
            connection.execute(
                sa.text(
                    "INSERT INTO workshops (id, edition_id, number, title, theme, description, "
                    "starts_at, ends_at, room) VALUES (1, 1, 1, 'W', '', '', "
                    "'2026-09-05 14:00:00', '2026-09-05 17:00:00', '')"
                )
            )
            connection.execute(
                sa.text(
                    "INSERT INTO participants (id, edition_id, first_name, last_name, status, "
                    "registered_online, created_at) VALUES (1, 1, 'Léa', 'Martin', 'confirmed', "
                    "FALSE, '2026-09-01 00:00:00')"
                )
            )
            connection.execute(
                sa.text(
                    "INSERT INTO attendances (id, workshop_id, participant_id, status, "
                    "recorded_at) VALUES (1, 1, 1, 'present', '2026-09-05 14:05:00')"
                )
            )
        upgrade()
        with db.engine.connect() as connection:
            counts = {
                table.name: connection.execute(
                    sa.select(sa.func.count()).select_from(table)
                ).scalar()
                for table in (
                    db.metadata.tables[name]
                    for name in ("editions", "workshops", "participants", "attendances")
                )
            }
            rule = connection.execute(
                sa.text("SELECT max_film_seconds, film_duration_tolerance FROM editions")
            ).one()
        assert counts == {"editions": 1, "workshops": 1, "participants": 1, "attendances": 1}
        assert tuple(rule) == (300.0, 0.25)
        db.engine.dispose()
