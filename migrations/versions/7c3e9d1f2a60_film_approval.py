"""Films: what staff approved for the public, and consents that outlive a credit

Revision ID: 7c3e9d1f2a60
Revises: 5d1e0c7a2b43
Create Date: 2026-11-23 11:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7c3e9d1f2a60'
down_revision = '5d1e0c7a2b43'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'film_consent_holds',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('film_id', sa.Integer(), nullable=False),
        sa.Column('participant_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['film_id'], ['films.id'],
                                name=op.f('fk_film_consent_holds_film_id_films'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['participant_id'], ['participants.id'],
                                name=op.f('fk_film_consent_holds_participant_id_participants'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_film_consent_holds')),
        sa.UniqueConstraint('film_id', 'participant_id',
                            name=op.f('uq_film_consent_holds_film_id_participant_id')),
    )
    with op.batch_alter_table('film_consent_holds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_film_consent_holds_film_id'), ['film_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_film_consent_holds_participant_id'), ['participant_id'],
                              unique=False)

    with op.batch_alter_table('films', schema=None) as batch_op:
        batch_op.add_column(sa.Column('approved_version_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('approved_thumbnail_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('approved_title', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('approved_synopsis', sa.Text(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_films_approved_version_id_film_versions'),
                                    'film_versions', ['approved_version_id'], ['id'],
                                    ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_films_approved_thumbnail_id_thumbnails'),
                                    'thumbnails', ['approved_thumbnail_id'], ['id'],
                                    ondelete='SET NULL')

    # Films already retained stay public as they are: what visitors saw is what staff approved.
    films = sa.table('films', sa.column('id', sa.Integer), sa.column('decision', sa.String),
                     sa.column('title', sa.String), sa.column('synopsis', sa.Text),
                     sa.column('chosen_thumbnail_id', sa.Integer),
                     sa.column('approved_version_id', sa.Integer),
                     sa.column('approved_thumbnail_id', sa.Integer),
                     sa.column('approved_title', sa.String),
                     sa.column('approved_synopsis', sa.Text))
    versions = sa.table('film_versions', sa.column('id', sa.Integer),
                        sa.column('film_id', sa.Integer), sa.column('number', sa.Integer),
                        sa.column('status', sa.String))
    latest_valid = (
        sa.select(versions.c.id)
        .where(versions.c.film_id == films.c.id, versions.c.status == 'valid')
        .order_by(versions.c.number.desc())
        .limit(1)
        .scalar_subquery()
    )
    op.execute(
        films.update()
        .where(films.c.decision == 'selected')
        .values(approved_version_id=latest_valid, approved_title=films.c.title,
                approved_synopsis=films.c.synopsis,
                approved_thumbnail_id=films.c.chosen_thumbnail_id)
    )


def downgrade():
    with op.batch_alter_table('films', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_films_approved_thumbnail_id_thumbnails'),
                                 type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_films_approved_version_id_film_versions'),
                                 type_='foreignkey')
        batch_op.drop_column('approved_synopsis')
        batch_op.drop_column('approved_title')
        batch_op.drop_column('approved_thumbnail_id')
        batch_op.drop_column('approved_version_id')
    with op.batch_alter_table('film_consent_holds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_film_consent_holds_participant_id'))
        batch_op.drop_index(batch_op.f('ix_film_consent_holds_film_id'))
    op.drop_table('film_consent_holds')
