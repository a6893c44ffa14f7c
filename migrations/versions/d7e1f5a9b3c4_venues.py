"""Places are data: a venues table that the ceremony and each séance point to

The ceremony's place moves from columns of its edition into a venue (one per distinct name),
and a séance's typed place becomes a venue of its own, unless it named the ceremony's.

Revision ID: d7e1f5a9b3c4
Revises: c6d0e4f8a2b3
Create Date: 2026-12-03 09:00:00

"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd7e1f5a9b3c4'
down_revision = 'c6d0e4f8a2b3'
branch_labels = None
depends_on = None

PLACE_COLUMNS = ('venue_street', 'venue_postcode', 'venue_town', 'venue_latitude',
                 'venue_longitude', 'venue_step_free', 'venue_access_notes')


def upgrade():
    op.create_table('venues',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('street', sa.String(length=200), nullable=False),
    sa.Column('postcode', sa.String(length=10), nullable=False),
    sa.Column('town', sa.String(length=100), nullable=False),
    sa.Column('latitude', sa.Double(), nullable=True),
    sa.Column('longitude', sa.Double(), nullable=True),
    sa.Column('step_free', sa.Boolean(), nullable=True),
    sa.Column('access_notes', sa.Text(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=True),
    sa.Column('map_link', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('capacity IS NULL OR capacity > 0', name=op.f('ck_venues_venue_capacity_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_venues')),
    sa.UniqueConstraint('name', name=op.f('uq_venues_name'))
    )
    with op.batch_alter_table('editions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ceremony_venue_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_editions_ceremony_venue_id'), ['ceremony_venue_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_editions_ceremony_venue_id_venues'), 'venues', ['ceremony_venue_id'], ['id'], ondelete='SET NULL')
    with op.batch_alter_table('screening_blocks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('venue_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_screening_blocks_venue_id'), ['venue_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_screening_blocks_venue_id_venues'), 'venues', ['venue_id'], ['id'], ondelete='SET NULL')

    connection = op.get_bind()
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    venues = sa.table('venues', *(sa.column(c) for c in (
        'id', 'name', 'street', 'postcode', 'town', 'latitude', 'longitude', 'step_free',
        'access_notes', 'capacity', 'map_link', 'created_at')))
    editions = sa.table('editions', *(sa.column(c) for c in (
        'id', 'year', 'ceremony_venue', 'ceremony_venue_id') + PLACE_COLUMNS))
    blocks = sa.table('screening_blocks', sa.column('id'), sa.column('edition_id'),
                      sa.column('venue'), sa.column('venue_id'))
    by_name = {}

    def venue_id(name, **place):
        key = name.strip().lower()
        if key not in by_name:
            values = {'name': name.strip(), 'street': '', 'postcode': '', 'town': '',
                      'latitude': None, 'longitude': None, 'step_free': None,
                      'access_notes': '', 'capacity': None, 'map_link': '', 'created_at': now}
            values.update({k: v for k, v in place.items() if v is not None})
            connection.execute(venues.insert().values(**values))
            by_name[key] = connection.execute(
                sa.select(venues.c.id).where(venues.c.name == values['name'])
            ).scalar_one()
        return by_name[key]

    ceremony_of = {}
    for row in connection.execute(sa.select(editions).order_by(editions.c.year.desc())).mappings():
        has_place = row['ceremony_venue'] or any(row[c] not in (None, '') for c in PLACE_COLUMNS)
        if not has_place:
            continue
        name = row['ceremony_venue'] or row['venue_town'] or f"Lieu de la cérémonie {row['year']}"
        chosen = venue_id(
            name,
            street=row['venue_street'] or '', postcode=row['venue_postcode'] or '',
            town=row['venue_town'] or '', latitude=row['venue_latitude'],
            longitude=row['venue_longitude'], step_free=row['venue_step_free'],
            access_notes=row['venue_access_notes'] or '',
        )
        ceremony_of[row['id']] = (name.strip().lower(), chosen)
        connection.execute(editions.update().where(editions.c.id == row['id']).values(ceremony_venue_id=chosen))
    for row in connection.execute(sa.select(blocks)).mappings():
        typed = (row['venue'] or '').strip()
        if not typed or (ceremony_of.get(row['edition_id'], ('',))[0] == typed.lower()):
            continue  # the ceremony's place: the séance keeps no place of its own
        connection.execute(blocks.update().where(blocks.c.id == row['id']).values(venue_id=venue_id(typed)))

    with op.batch_alter_table('screening_blocks', schema=None) as batch_op:
        batch_op.drop_column('venue')
    with op.batch_alter_table('editions', schema=None) as batch_op:
        batch_op.drop_column('ceremony_venue')
        for column in PLACE_COLUMNS:
            batch_op.drop_column(column)


def downgrade():
    with op.batch_alter_table('editions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ceremony_venue', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('venue_street', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('venue_postcode', sa.String(length=10), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('venue_town', sa.String(length=100), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('venue_latitude', sa.Double(), nullable=True))
        batch_op.add_column(sa.Column('venue_longitude', sa.Double(), nullable=True))
        batch_op.add_column(sa.Column('venue_step_free', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('venue_access_notes', sa.Text(), nullable=False, server_default=''))
    with op.batch_alter_table('screening_blocks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('venue', sa.String(length=200), nullable=False, server_default=''))
    connection = op.get_bind()
    connection.execute(sa.text(
        "UPDATE editions SET ceremony_venue = COALESCE((SELECT name FROM venues WHERE venues.id = editions.ceremony_venue_id), ''), "
        "venue_street = COALESCE((SELECT street FROM venues WHERE venues.id = editions.ceremony_venue_id), ''), "
        "venue_postcode = COALESCE((SELECT postcode FROM venues WHERE venues.id = editions.ceremony_venue_id), ''), "
        "venue_town = COALESCE((SELECT town FROM venues WHERE venues.id = editions.ceremony_venue_id), '')"
    ))
    connection.execute(sa.text(
        "UPDATE screening_blocks SET venue = COALESCE((SELECT name FROM venues WHERE venues.id = screening_blocks.venue_id), '')"
    ))
    with op.batch_alter_table('screening_blocks', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_screening_blocks_venue_id_venues'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_screening_blocks_venue_id'))
        batch_op.drop_column('venue_id')
    with op.batch_alter_table('editions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_editions_ceremony_venue_id_venues'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_editions_ceremony_venue_id'))
        batch_op.drop_column('ceremony_venue_id')
    op.drop_table('venues')
