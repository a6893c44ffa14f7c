"""The edition's certificates are drawn by a background job: its state, and the PDF it made;
files prepared in the background tell their steps in the language of whoever asked

Revision ID: f3a8b0c2d4e6
Revises: e2c7a9b1d3f5
Create Date: 2026-12-03 22:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f3a8b0c2d4e6'
down_revision = 'e2c7a9b1d3f5'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('certificate_batches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('edition_id', sa.Integer(), nullable=False),
    sa.Column('pages', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('queued', 'running', 'done', 'failed', name='certificate_batch_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('progress', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('step', sa.String(length=200), nullable=False),
    sa.Column('error', sa.String(length=2000), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['edition_id'], ['editions.id'], name=op.f('fk_certificate_batches_edition_id_editions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate_batches'))
    )
    with op.batch_alter_table('certificate_batches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certificate_batches_edition_id'), ['edition_id'], unique=False)
    with op.batch_alter_table('screening_packs') as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=8), nullable=False, server_default='fr'))


def downgrade():
    with op.batch_alter_table('screening_packs') as batch_op:
        batch_op.drop_column('language')
    with op.batch_alter_table('certificate_batches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_certificate_batches_edition_id'))
    op.drop_table('certificate_batches')
