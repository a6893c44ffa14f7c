"""Messages: a sender address per edition, and a calendar file attached to a message

Revision ID: a8e1c3d5f6b7
Revises: f7d0b2c4e5a6
Create Date: 2026-11-23 16:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a8e1c3d5f6b7'
down_revision = 'f7d0b2c4e5a6'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('editions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mail_from', sa.String(length=254), nullable=False, server_default=''))
    with op.batch_alter_table('outgoing_emails', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sender', sa.String(length=300), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('calendar_name', sa.String(length=120), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('calendar_ics', sa.Text(), nullable=False, server_default=''))


def downgrade():
    with op.batch_alter_table('outgoing_emails', schema=None) as batch_op:
        batch_op.drop_column('calendar_ics')
        batch_op.drop_column('calendar_name')
        batch_op.drop_column('sender')
    with op.batch_alter_table('editions', schema=None) as batch_op:
        batch_op.drop_column('mail_from')
