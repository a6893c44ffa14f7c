"""A version is valid before its browser rendition: when the rendition was ready

Revision ID: d1b4f6a8c9e0
Revises: c0a3e5f7b8d9
Create Date: 2026-11-23 20:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd1b4f6a8c9e0'
down_revision = 'c0a3e5f7b8d9'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('film_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rendition_ready_at', sa.DateTime(), nullable=True))
    # Until now a version became valid only once its rendition was made.
    op.execute(
        "UPDATE film_versions SET rendition_ready_at = processed_at WHERE status = 'valid'"
    )


def downgrade():
    with op.batch_alter_table('film_versions', schema=None) as batch_op:
        batch_op.drop_column('rendition_ready_at')
