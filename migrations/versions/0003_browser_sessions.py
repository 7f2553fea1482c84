"""browser sessions kept on the server, so that signing out ends them

Revision ID: 0003_browser_sessions
Revises: 0002_discussions
Create Date: 2026-12-01 12:00:00

Written by hand to match BrowserSession in community/accounts/models.py;
tests/unit/test_migrations.py checks that autogenerate finds no difference.
Sessions signed in before this migration carry no key and so end once: their
users sign in again.
"""
from alembic import op
import sqlalchemy as sa


revision = '0003_browser_sessions'
down_revision = '0002_discussions'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('browser_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_browser_sessions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_browser_sessions')),
    sa.UniqueConstraint('key_hash', name=op.f('uq_browser_sessions_key_hash'))
    )
    with op.batch_alter_table('browser_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_browser_sessions_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('browser_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_browser_sessions_user_id'))

    op.drop_table('browser_sessions')
