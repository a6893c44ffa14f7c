"""Film versions: a worker heartbeat, so that a job whose worker died runs again

Revision ID: 5d1e0c7a2b43
Revises: 9a24015410b1
Create Date: 2026-11-23 00:05:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5d1e0c7a2b43'
down_revision = '9a24015410b1'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('film_versions', sa.Column('heartbeat_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('film_versions') as batch_op:
        batch_op.drop_column('heartbeat_at')
