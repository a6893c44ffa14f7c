"""Messages: the edition they are about and its sender address, and a calendar file attached

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
        batch_op.add_column(sa.Column('edition_id', sa.Integer(), nullable=True))
        batch_op.create_index('ix_outgoing_emails_edition_id', ['edition_id'], unique=False)
        batch_op.create_foreign_key('fk_outgoing_emails_edition_id_editions', 'editions', ['edition_id'], ['id'], ondelete='SET NULL')
        batch_op.add_column(sa.Column('sender', sa.String(length=300), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('calendar_name', sa.String(length=120), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('calendar_ics', sa.Text(), nullable=False, server_default=''))


def downgrade():
    with op.batch_alter_table('outgoing_emails', schema=None) as batch_op:
        batch_op.drop_column('calendar_ics')
        batch_op.drop_column('calendar_name')
        batch_op.drop_column('sender')
        batch_op.drop_constraint('fk_outgoing_emails_edition_id_editions', type_='foreignkey')
        batch_op.drop_index('ix_outgoing_emails_edition_id')
        batch_op.drop_column('edition_id')
    with op.batch_alter_table('editions', schema=None) as batch_op:
        batch_op.drop_column('mail_from')
