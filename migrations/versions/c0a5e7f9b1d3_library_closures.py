"""The library's school holiday zone and closures, to check the workshops' dates

Revision ID: c0a5e7f9b1d3
Revises: b9f4d6e8a0c2
Create Date: 2026-12-03 17:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c0a5e7f9b1d3'
down_revision = 'b9f4d6e8a0c2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('library_identity') as batch_op:
        batch_op.add_column(sa.Column('school_zone', sa.String(length=1), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('closed_weekdays', sa.String(length=20), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('closed_dates', sa.Text(), nullable=False, server_default=''))


def downgrade():
    with op.batch_alter_table('library_identity') as batch_op:
        batch_op.drop_column('closed_dates')
        batch_op.drop_column('closed_weekdays')
        batch_op.drop_column('school_zone')
