"""shared resources: links, notes and files, with tags

Revision ID: 0006_resources
Revises: 0005_qa
Create Date: 2026-12-02 09:00:00

Written from community/resources/models.py; tests/unit/test_migrations.py checks that
autogenerate finds no difference between these tables and the models.
"""
from alembic import op
import sqlalchemy as sa


revision = '0006_resources'
down_revision = '0005_qa'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('resources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('description_html', sa.Text(), nullable=False),
    sa.Column('url', sa.Text(), nullable=True),
    sa.Column('filename', sa.Text(), nullable=True),
    sa.Column('stored_name', sa.String(length=64), nullable=True),
    sa.Column('size', sa.Integer(), nullable=True),
    sa.Column('content_type', sa.String(length=100), nullable=True),
    sa.Column('extracted_text', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_resources_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_resources_community_id_communities'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_resources')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_resources_stored_name'))
    )
    with op.batch_alter_table('resources', schema=None) as batch_op:
        batch_op.create_index('ix_resources_author_id', ['author_id'], unique=False)
        batch_op.create_index('ix_resources_newest', ['community_id', 'created_at', 'id'], unique=False)

    op.create_table('resource_tags',
    sa.Column('resource_id', sa.Integer(), nullable=False),
    sa.Column('tag', sa.String(length=30), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['resource_id'], ['resources.id'], name=op.f('fk_resource_tags_resource_id_resources'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('resource_id', 'tag', name=op.f('pk_resource_tags'))
    )
    with op.batch_alter_table('resource_tags', schema=None) as batch_op:
        batch_op.create_index('ix_resource_tags_tag', ['tag', 'resource_id'], unique=False)


def downgrade():
    with op.batch_alter_table('resource_tags', schema=None) as batch_op:
        batch_op.drop_index('ix_resource_tags_tag')

    op.drop_table('resource_tags')
    with op.batch_alter_table('resources', schema=None) as batch_op:
        batch_op.drop_index('ix_resources_newest')
        batch_op.drop_index('ix_resources_author_id')

    op.drop_table('resources')
