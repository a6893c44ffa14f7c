"""Programme releases: numbered, dated versions of the public programme with their changes

Revision ID: b9f2d4e6a7c8
Revises: a8e1c3d5f6b7
Create Date: 2026-11-23 17:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b9f2d4e6a7c8'
down_revision = 'a8e1c3d5f6b7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'programme_releases',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('edition_id', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('released_at', sa.DateTime(), nullable=False),
        sa.Column('released_by_id', sa.Integer(), nullable=True),
        sa.Column('plan', sa.JSON(), nullable=False),
        sa.Column('changes', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['edition_id'], ['editions.id'], name=op.f('fk_programme_releases_edition_id_editions'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['released_by_id'], ['users.id'], name=op.f('fk_programme_releases_released_by_id_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_programme_releases')),
        sa.UniqueConstraint('edition_id', 'number', name=op.f('uq_programme_releases_edition_id_number')),
    )
    with op.batch_alter_table('programme_releases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programme_releases_edition_id'), ['edition_id'], unique=False)


def downgrade():
    with op.batch_alter_table('programme_releases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programme_releases_edition_id'))
    op.drop_table('programme_releases')
