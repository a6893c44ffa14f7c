"""The report: commune and library card at registration, the ceremony's audience, online views
of the films, and an edition's budget lines

Revision ID: c0a3e5f7b8d9
Revises: b9f2d4e6a7c8
Create Date: 2026-11-23 17:55:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c0a3e5f7b8d9'
down_revision = 'b9f2d4e6a7c8'
branch_labels = None
depends_on = None

budget_kind = sa.Enum('cost', 'partner', name='budget_kind', native_enum=False, create_constraint=True, length=7)


def upgrade():
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('commune', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('had_library_card', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('library_card_during_festival', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('editions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ceremony_audience', sa.Integer(), nullable=True))
    with op.batch_alter_table('films', schema=None) as batch_op:
        batch_op.add_column(sa.Column('online_views', sa.Integer(), nullable=False, server_default='0'))
    op.create_table(
        'budget_lines',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('edition_id', sa.Integer(), nullable=False),
        sa.Column('kind', budget_kind, nullable=False),
        sa.Column('label', sa.String(length=200), nullable=False),
        sa.Column('amount_cents', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['edition_id'], ['editions.id'], name=op.f('fk_budget_lines_edition_id_editions'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_budget_lines')),
    )
    with op.batch_alter_table('budget_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_budget_lines_edition_id'), ['edition_id'], unique=False)


def downgrade():
    with op.batch_alter_table('budget_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_budget_lines_edition_id'))
    op.drop_table('budget_lines')
    with op.batch_alter_table('films', schema=None) as batch_op:
        batch_op.drop_column('online_views')
    with op.batch_alter_table('editions', schema=None) as batch_op:
        batch_op.drop_column('ceremony_audience')
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.drop_column('library_card_during_festival')
        batch_op.drop_column('had_library_card')
        batch_op.drop_column('commune')
