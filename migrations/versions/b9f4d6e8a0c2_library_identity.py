"""The médiathèque's identity on its documents: name, town, signatory, logo and signature

Revision ID: b9f4d6e8a0c2
Revises: a8e3c5d7f9b1
Create Date: 2026-12-03 17:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b9f4d6e8a0c2'
down_revision = 'a8e3c5d7f9b1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'library_identity',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('library_name', sa.String(length=200), nullable=False),
        sa.Column('town', sa.String(length=100), nullable=False),
        sa.Column('signatory_name', sa.String(length=200), nullable=False),
        sa.Column('signatory_title', sa.String(length=200), nullable=False),
        sa.Column('has_logo', sa.Boolean(), nullable=False),
        sa.Column('has_signature', sa.Boolean(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )


def downgrade():
    op.drop_table('library_identity')
