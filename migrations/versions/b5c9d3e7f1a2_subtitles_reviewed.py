"""Subtitles wait for staff review before the public, the jury or the pack see them

Revision ID: b5c9d3e7f1a2
Revises: a4b8c2d6e0f1
Create Date: 2026-12-03 05:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b5c9d3e7f1a2'
down_revision = 'a4b8c2d6e0f1'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('film_subtitles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reviewed_at', sa.DateTime(), nullable=True))
    # What was already public stays so: the rule applies to files added from now on.
    subtitles = sa.table(
        'film_subtitles', sa.column('reviewed_at', sa.DateTime), sa.column('added_at', sa.DateTime)
    )
    op.execute(subtitles.update().values(reviewed_at=subtitles.c.added_at))


def downgrade():
    with op.batch_alter_table('film_subtitles', schema=None) as batch_op:
        batch_op.drop_column('reviewed_at')
