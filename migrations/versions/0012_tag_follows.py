"""tag follows: the tags a person follows, for their feed; threads newest first per community

Revision ID: 0012_tag_follows
Revises: 0011_bookmarks
Create Date: 2026-12-08 00:30:00

Written from community/feed/models.py and the ``ix_threads_newest`` index of
community/discussions/models.py (questions and resources have theirs).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012_tag_follows'
down_revision = '0011_bookmarks'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('tag_follows',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('tag', sa.String(length=30), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'tag')
    )
    with op.batch_alter_table('threads', schema=None) as batch_op:
        batch_op.create_index('ix_threads_newest', ['community_id', 'created_at', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('threads', schema=None) as batch_op:
        batch_op.drop_index('ix_threads_newest')
    op.drop_table('tag_follows')
