"""Repeat registrations: a second online form for someone registered, shown to staff

Revision ID: 9e5a2c7d3b81
Revises: 8d4f0b6c1e27
Create Date: 2026-11-23 11:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9e5a2c7d3b81'
down_revision = '8d4f0b6c1e27'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'repeat_registrations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('participant_id', sa.Integer(), nullable=False),
        sa.Column('matched_on', sa.String(length=20), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('seen_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['participant_id'], ['participants.id'],
                                name=op.f('fk_repeat_registrations_participant_id_participants'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_repeat_registrations')),
    )
    with op.batch_alter_table('repeat_registrations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_repeat_registrations_participant_id'),
                              ['participant_id'], unique=False)


def downgrade():
    with op.batch_alter_table('repeat_registrations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_repeat_registrations_participant_id'))
    op.drop_table('repeat_registrations')
