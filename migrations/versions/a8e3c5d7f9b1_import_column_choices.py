"""Spreadsheet columns staff mapped by hand, remembered for the next import

Revision ID: a8e3c5d7f9b1
Revises: b0d4f6a8c2e3
Create Date: 2026-12-03 16:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a8e3c5d7f9b1'
down_revision = 'b0d4f6a8c2e3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'import_column_choices',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('title_key', sa.String(length=200), nullable=False),
        sa.Column('field', sa.String(length=40), nullable=False),
        sa.Column('chosen_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('title_key'),
    )


def downgrade():
    op.drop_table('import_column_choices')
