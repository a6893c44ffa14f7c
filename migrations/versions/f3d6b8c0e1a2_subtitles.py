"""Subtitles: timed-text tracks of a film, the language spoken in it, burnt in a pack

Revision ID: f3d6b8c0e1a2
Revises: e2c5a7b9d0f1
Create Date: 2026-11-23 20:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f3d6b8c0e1a2'
down_revision = 'e2c5a7b9d0f1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('film_subtitles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('film_id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=True),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('for_deaf', sa.Boolean(), nullable=False),
    sa.Column('cue_count', sa.Integer(), nullable=False),
    sa.Column('last_cue_end', sa.Double(), nullable=False),
    sa.Column('original_filename', sa.String(length=255), nullable=False),
    sa.Column('added_by_id', sa.Integer(), nullable=True),
    sa.Column('added_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['added_by_id'], ['users.id'], name=op.f('fk_film_subtitles_added_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['film_id'], ['films.id'], name=op.f('fk_film_subtitles_film_id_films'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['version_id'], ['film_versions.id'], name=op.f('fk_film_subtitles_version_id_film_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_film_subtitles'))
    )
    with op.batch_alter_table('film_subtitles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_film_subtitles_film_id'), ['film_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_film_subtitles_version_id'), ['version_id'], unique=False)
    with op.batch_alter_table('films', schema=None) as batch_op:
        batch_op.add_column(sa.Column('spoken_language', sa.String(length=8), nullable=False, server_default='fr'))
    with op.batch_alter_table('screening_packs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('burn_subtitles', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('screening_packs', schema=None) as batch_op:
        batch_op.drop_column('burn_subtitles')
    with op.batch_alter_table('films', schema=None) as batch_op:
        batch_op.drop_column('spoken_language')
    with op.batch_alter_table('film_subtitles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_film_subtitles_version_id'))
        batch_op.drop_index(batch_op.f('ix_film_subtitles_film_id'))
    op.drop_table('film_subtitles')
