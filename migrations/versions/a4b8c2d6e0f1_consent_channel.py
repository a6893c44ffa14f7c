"""Consent records say who decided and how: a channel per decision, the teen's own ticks on
the online form attributed to her (they had been recorded as her guardian's)

Revision ID: a4b8c2d6e0f1
Revises: f3d6b8c0e1a2
Create Date: 2026-12-03 05:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a4b8c2d6e0f1'
down_revision = 'f3d6b8c0e1a2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('consents', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                'channel',
                sa.Enum('form', 'link', 'paper', name='consent_channel', native_enum=False,
                        create_constraint=True, length=5),
                nullable=False,
                server_default='paper',
            )
        )
    consents = sa.table(
        'consents',
        sa.column('channel', sa.String),
        sa.column('given_by', sa.String),
        sa.column('recorded_by_id', sa.Integer),
        sa.column('guardian_link_id', sa.Integer),
        sa.column('participant_id', sa.Integer),
    )
    participants = sa.table(
        'participants', sa.column('id', sa.Integer), sa.column('registered_online', sa.Boolean)
    )
    op.execute(
        consents.update().where(consents.c.guardian_link_id.is_not(None)).values(channel='link')
    )
    # Ticked on the public form by the teen: hers, never her guardian's.
    online = sa.select(participants.c.id).where(participants.c.registered_online.is_(True))
    op.execute(
        consents.update()
        .where(
            consents.c.guardian_link_id.is_(None),
            consents.c.recorded_by_id.is_(None),
            consents.c.participant_id.in_(online),
        )
        .values(channel='form', given_by='participant')
    )


def downgrade():
    with op.batch_alter_table('consents', schema=None) as batch_op:
        batch_op.drop_constraint('consent_channel', type_='check')
        batch_op.drop_column('channel')
