"""The library's film collection: titles, what they are attached to, loans; the catalogue link

Revision ID: d1b6f8a0c2e4
Revises: c0a5e7f9b1d3
Create Date: 2026-12-03 19:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd1b6f8a0c2e4'
down_revision = 'c0a5e7f9b1d3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'collection_titles',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('record_id', sa.String(length=64), nullable=False),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('director', sa.String(length=200), nullable=False),
        sa.Column('year', sa.Integer(), nullable=True),
        sa.Column('shelf_mark', sa.String(length=100), nullable=False),
        sa.Column('search_text', sa.String(length=520), nullable=False),
        sa.Column('source', sa.String(length=20), nullable=False),
        sa.Column('imported_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_collection_titles')),
        sa.UniqueConstraint('record_id', name=op.f('uq_collection_titles_record_id')),
    )
    with op.batch_alter_table('collection_titles') as batch_op:
        batch_op.create_index(batch_op.f('ix_collection_titles_search_text'), ['search_text'], unique=False)
    op.create_table(
        'collection_attachments',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('title_id', sa.Integer(), nullable=False),
        sa.Column('edition_id', sa.Integer(), nullable=False),
        sa.Column('workshop_id', sa.Integer(), nullable=True),
        sa.Column('note', sa.String(length=200), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['edition_id'], ['editions.id'], name=op.f('fk_collection_attachments_edition_id_editions'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['title_id'], ['collection_titles.id'], name=op.f('fk_collection_attachments_title_id_collection_titles'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_collection_attachments_workshop_id_workshops'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_collection_attachments')),
        sa.UniqueConstraint('title_id', 'edition_id', 'workshop_id', name=op.f('uq_collection_attachments_title_id_edition_id_workshop_id')),
    )
    with op.batch_alter_table('collection_attachments') as batch_op:
        batch_op.create_index('ix_collection_attachments_edition', ['edition_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_collection_attachments_title_id'), ['title_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_collection_attachments_workshop_id'), ['workshop_id'], unique=False)
    op.create_table(
        'collection_loans',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('title_id', sa.Integer(), nullable=False),
        sa.Column('loaned_on', sa.Date(), nullable=False),
        sa.Column('loans', sa.Integer(), nullable=False),
        sa.CheckConstraint('loans >= 1', name=op.f('ck_collection_loans_loans_positive')),
        sa.ForeignKeyConstraint(['title_id'], ['collection_titles.id'], name=op.f('fk_collection_loans_title_id_collection_titles'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_collection_loans')),
        sa.UniqueConstraint('title_id', 'loaned_on', name=op.f('uq_collection_loans_title_id_loaned_on')),
    )
    with op.batch_alter_table('collection_loans') as batch_op:
        batch_op.create_index(batch_op.f('ix_collection_loans_loaned_on'), ['loaned_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_collection_loans_title_id'), ['title_id'], unique=False)
    with op.batch_alter_table('library_identity') as batch_op:
        batch_op.add_column(sa.Column('catalogue_permalink', sa.String(length=300), nullable=False, server_default=''))


def downgrade():
    with op.batch_alter_table('library_identity') as batch_op:
        batch_op.drop_column('catalogue_permalink')
    op.drop_table('collection_loans')
    op.drop_table('collection_attachments')
    op.drop_table('collection_titles')
