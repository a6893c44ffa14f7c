"""Names that explain themselves: the awards' state of an edition is `awards_progress`

The table `ceremonies` never held a ceremony (its place and time belong to the edition): it
says where the deliberation, the audience vote and the palmarès stand. A new table under the
right name takes its rows (constraint names follow the table's on every database).

Revision ID: a9c3e5f7b1d2
Revises: d7e1f5a9b3c4
Create Date: 2026-12-03 11:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a9c3e5f7b1d2'
down_revision = 'd7e1f5a9b3c4'
branch_labels = None
depends_on = None

COLUMNS = ('id', 'edition_id', 'deliberation_closed_at', 'vote_status', 'vote_opened_at',
           'vote_closed_at', 'palmares_published_at')


def _create(name):
    op.create_table(name,
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('edition_id', sa.Integer(), nullable=False),
    sa.Column('deliberation_closed_at', sa.DateTime(), nullable=True),
    sa.Column('vote_status', sa.Enum('not_open', 'open', 'closed', name='vote_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('vote_opened_at', sa.DateTime(), nullable=True),
    sa.Column('vote_closed_at', sa.DateTime(), nullable=True),
    sa.Column('palmares_published_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['edition_id'], ['editions.id'], name=op.f(f'fk_{name}_edition_id_editions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{name}')),
    sa.UniqueConstraint('edition_id', name=op.f(f'uq_{name}_edition_id'))
    )


def _move(source, target):
    _create(target)
    columns = ', '.join(COLUMNS)
    op.execute(f'INSERT INTO {target} ({columns}) SELECT {columns} FROM {source}')
    op.drop_table(source)
    if op.get_bind().dialect.name == 'postgresql':
        # The ids came along: the new table's sequence starts after them.
        op.execute(
            f"SELECT setval(pg_get_serial_sequence('{target}', 'id'), "
            f"COALESCE((SELECT MAX(id) FROM {target}), 0) + 1, false)"
        )


def upgrade():
    _move('ceremonies', 'awards_progress')


def downgrade():
    _move('awards_progress', 'ceremonies')
