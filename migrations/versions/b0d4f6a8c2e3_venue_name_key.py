"""One name, one place: venues are told apart by their folded name

SQL's lower() folds ASCII only: « École » and « école » made two places. Each venue now keeps
its name folded (case, accents, hyphens and spaces left out), unique. Places that already
share a folded name become one: the ceremonies and séances of the later ones move to the
first.

Revision ID: b0d4f6a8c2e3
Revises: a9c3e5f7b1d2
Create Date: 2026-12-03 11:10:00

"""
import re
import unicodedata

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b0d4f6a8c2e3'
down_revision = 'a9c3e5f7b1d2'
branch_labels = None
depends_on = None


def _folded(text):
    # festival.text.folded as of this revision: migrations keep their own copy.
    decomposed = unicodedata.normalize('NFKD', text or '')
    plain = ''.join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return ' '.join(word for word in re.split(r'[\W_]+', plain) if word)


def upgrade():
    with op.batch_alter_table('venues', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_key', sa.String(length=200), nullable=True))
    connection = op.get_bind()
    venues = sa.table('venues', sa.column('id', sa.Integer), sa.column('name', sa.String),
                      sa.column('name_key', sa.String))
    editions = sa.table('editions', sa.column('ceremony_venue_id', sa.Integer))
    blocks = sa.table('screening_blocks', sa.column('venue_id', sa.Integer))
    first_of = {}
    for venue_id, name in connection.execute(
        sa.select(venues.c.id, venues.c.name).order_by(venues.c.id)
    ).all():
        key = _folded(name)
        if key in first_of:
            kept = first_of[key]
            connection.execute(editions.update().where(editions.c.ceremony_venue_id == venue_id)
                               .values(ceremony_venue_id=kept))
            connection.execute(blocks.update().where(blocks.c.venue_id == venue_id)
                               .values(venue_id=kept))
            connection.execute(venues.delete().where(venues.c.id == venue_id))
            continue
        first_of[key] = venue_id
        connection.execute(venues.update().where(venues.c.id == venue_id).values(name_key=key))
    with op.batch_alter_table('venues', schema=None) as batch_op:
        batch_op.alter_column('name_key', existing_type=sa.String(length=200), nullable=False)
        batch_op.drop_constraint('uq_venues_name', type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_venues_name_key'), ['name_key'])


def downgrade():
    with op.batch_alter_table('venues', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_venues_name_key'), type_='unique')
        batch_op.create_unique_constraint('uq_venues_name', ['name'])
        batch_op.drop_column('name_key')
