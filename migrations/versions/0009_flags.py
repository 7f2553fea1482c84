"""flags and hidden content: a queue of flagged items, and the hidden state of each kind of content

Revision ID: 0009_flags
Revises: 0008_audit
Create Date: 2026-12-07 23:30:00

Written from community/moderation/models.py and the ``hidden_at`` column of
each content model; ``notifications.hidden_by`` names the hidden item a
notification is about while it stays hidden.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009_flags'
down_revision = '0008_audit'
branch_labels = None
depends_on = None

HIDDEN = ('threads', 'posts', 'questions', 'answers', 'chat_messages', 'resources')


def upgrade():
    op.create_table('flags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('target_type', sa.String(length=20), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('flagged_at', sa.DateTime(), nullable=False),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['users.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('target_type', 'target_id')
    )
    with op.batch_alter_table('flags', schema=None) as batch_op:
        batch_op.create_index('ix_flags_queue', ['community_id', 'state', 'id'], unique=False)

    op.create_table('flag_reports',
    sa.Column('flag_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['flag_id'], ['flags.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('flag_id', 'user_id')
    )
    for table in HIDDEN:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('hidden_at', sa.DateTime(), nullable=True))
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hidden_by', sa.String(length=40), nullable=True))


def downgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_column('hidden_by')
    for table in reversed(HIDDEN):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('hidden_at')
    op.drop_table('flag_reports')
    with op.batch_alter_table('flags', schema=None) as batch_op:
        batch_op.drop_index('ix_flags_queue')

    op.drop_table('flags')
