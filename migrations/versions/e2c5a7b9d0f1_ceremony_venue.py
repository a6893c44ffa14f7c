"""Coming to the ceremony: the venue's address, access and entry conditions

Revision ID: e2c5a7b9d0f1
Revises: d1b4f6a8c9e0
Create Date: 2026-11-23 20:05:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e2c5a7b9d0f1'
down_revision = 'd1b4f6a8c9e0'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('editions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('venue_street', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('venue_postcode', sa.String(length=10), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('venue_town', sa.String(length=100), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('venue_latitude', sa.Double(), nullable=True))
        batch_op.add_column(sa.Column('venue_longitude', sa.Double(), nullable=True))
        batch_op.add_column(sa.Column('venue_step_free', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('venue_access_notes', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('entry_free', sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.add_column(sa.Column('entry_booking', sa.String(length=300), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('booking_url', sa.String(length=300), nullable=False, server_default=''))


def downgrade():
    with op.batch_alter_table('editions', schema=None) as batch_op:
        for column in ('booking_url', 'entry_booking', 'entry_free', 'venue_access_notes',
                       'venue_step_free', 'venue_longitude', 'venue_latitude', 'venue_town',
                       'venue_postcode', 'venue_street'):
            batch_op.drop_column(column)
