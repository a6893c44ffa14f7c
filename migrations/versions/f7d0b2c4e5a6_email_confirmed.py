"""Online registrations confirm their email address: when the teen followed the link

Revision ID: f7d0b2c4e5a6
Revises: e6c9a1b3d4f5
Create Date: 2026-11-23 16:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f7d0b2c4e5a6'
down_revision = 'e6c9a1b3d4f5'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_confirmed_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.drop_column('email_confirmed_at')
