"""cohort lifecycle: follow-up prompts, the phase last seen, mute reasons, revoked invite links

Revision ID: 0010_follow_ups
Revises: 0009_flags
Create Date: 2026-12-07 23:00:00

Written from community/cohorts/models.py and community/communities/models.py.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010_follow_ups'
down_revision = '0009_flags'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('follow_up_prompts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('post_on', sa.Date(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('thread_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('posted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_follow_up_prompts_community_id_communities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_follow_up_prompts_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['thread_id'], ['threads.id'], name=op.f('fk_follow_up_prompts_thread_id_threads'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_follow_up_prompts'))
    )
    with op.batch_alter_table('follow_up_prompts', schema=None) as batch_op:
        batch_op.create_index('ix_follow_up_prompts_community', ['community_id', 'id'], unique=False)
        batch_op.create_index('ix_follow_up_prompts_due', ['state', 'post_on'], unique=False)

    with op.batch_alter_table('communities', schema=None) as batch_op:
        batch_op.add_column(sa.Column('phase_seen', sa.String(length=10), nullable=True))
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mute_reason', sa.Text(), nullable=False, server_default=''))
    with op.batch_alter_table('invites', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revoked_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('invites', schema=None) as batch_op:
        batch_op.drop_column('revoked_at')
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_column('mute_reason')
    with op.batch_alter_table('communities', schema=None) as batch_op:
        batch_op.drop_column('phase_seen')

    with op.batch_alter_table('follow_up_prompts', schema=None) as batch_op:
        batch_op.drop_index('ix_follow_up_prompts_due')
        batch_op.drop_index('ix_follow_up_prompts_community')

    op.drop_table('follow_up_prompts')
