"""A partner's role and whether its contribution is in kind, for the report

Revision ID: e2c7a9b1d3f5
Revises: d1b6f8a0c2e4
Create Date: 2026-12-03 19:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e2c7a9b1d3f5'
down_revision = 'd1b6f8a0c2e4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('budget_lines') as batch_op:
        batch_op.add_column(sa.Column('partner_role', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('in_kind', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('budget_lines') as batch_op:
        batch_op.drop_column('in_kind')
        batch_op.drop_column('partner_role')
