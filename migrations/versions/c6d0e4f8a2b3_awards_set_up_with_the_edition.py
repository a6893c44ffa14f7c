"""Every edition has its awards record, grid and prizes from its creation (no page writes them)

Until now the first visit to an awards page created them, in the visitor's language. Editions
that never had that visit get them here, named in French as the festival speaks.

Revision ID: c6d0e4f8a2b3
Revises: b5c9d3e7f1a2
Create Date: 2026-12-03 08:20:00

"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c6d0e4f8a2b3'
down_revision = 'b5c9d3e7f1a2'
branch_labels = None
depends_on = None

CRITERIA = ["Scénario", "Image", "Son", "Montage", "Interprétation", "Originalité"]
AWARDS = [
    ("Grand prix du jury", "jury"),
    ("Prix du public", "audience"),
    ("Prix du scénario", "jury"),
    ("Prix de la bande-son", "jury"),
]


def upgrade():
    connection = op.get_bind()
    editions = sa.table('editions', sa.column('id', sa.Integer))
    ceremonies = sa.table(
        'ceremonies', sa.column('edition_id', sa.Integer), sa.column('vote_status', sa.String)
    )
    criteria = sa.table(
        'jury_criteria',
        sa.column('edition_id', sa.Integer),
        sa.column('name', sa.String),
        sa.column('weight', sa.Float),
        sa.column('position', sa.Integer),
    )
    awards = sa.table(
        'awards',
        sa.column('edition_id', sa.Integer),
        sa.column('name', sa.String),
        sa.column('kind', sa.String),
        sa.column('position', sa.Integer),
        sa.column('mention', sa.Text),
        sa.column('created_at', sa.DateTime),
    )
    without = connection.execute(
        sa.select(editions.c.id).where(
            ~sa.exists().where(ceremonies.c.edition_id == editions.c.id)
        )
    ).scalars().all()
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    for edition_id in without:
        connection.execute(ceremonies.insert().values(edition_id=edition_id, vote_status='not_open'))
        has_grid = connection.execute(
            sa.select(sa.func.count()).select_from(criteria).where(criteria.c.edition_id == edition_id)
        ).scalar()
        if not has_grid:
            connection.execute(criteria.insert(), [
                {'edition_id': edition_id, 'name': name, 'weight': 1.0, 'position': position}
                for position, name in enumerate(CRITERIA)
            ])
        has_awards = connection.execute(
            sa.select(sa.func.count()).select_from(awards).where(awards.c.edition_id == edition_id)
        ).scalar()
        if not has_awards:
            connection.execute(awards.insert(), [
                {'edition_id': edition_id, 'name': name, 'kind': kind, 'position': position,
                 'mention': '', 'created_at': now}
                for position, (name, kind) in enumerate(AWARDS)
            ])


def downgrade():
    pass  # the rows stay: they are the editions' own from now on
