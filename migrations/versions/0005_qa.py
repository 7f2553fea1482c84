"""questions and answers, with experts: votes, expertise, endorsements, expert requests

Revision ID: 0005_qa
Revises: 0004_idempotency
Create Date: 2026-12-02 06:22:58

Generated from community/qa/models.py; tests/unit/test_migrations.py checks that
autogenerate finds no difference between these tables and the models.
"""
from alembic import op
import sqlalchemy as sa


revision = '0005_qa'
down_revision = '0004_idempotency'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('endorsements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('endorser_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('tag', sa.String(length=30), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['endorser_id'], ['users.id'], name=op.f('fk_endorsements_endorser_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_endorsements_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_endorsements')),
    sa.UniqueConstraint('endorser_id', 'user_id', 'tag', name='uq_endorsements_endorser_id_user_id_tag')
    )
    with op.batch_alter_table('endorsements', schema=None) as batch_op:
        batch_op.create_index('ix_endorsements_tag', ['tag', 'user_id'], unique=False)
        batch_op.create_index('ix_endorsements_user_id', ['user_id'], unique=False)

    op.create_table('expertise',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('tag', sa.String(length=30), nullable=False),
    sa.Column('declared', sa.Boolean(), nullable=False),
    sa.Column('recognized', sa.Boolean(), nullable=False),
    sa.Column('recognized_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['recognized_by_id'], ['users.id'], name=op.f('fk_expertise_recognized_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_expertise_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'tag', name=op.f('pk_expertise'))
    )
    with op.batch_alter_table('expertise', schema=None) as batch_op:
        batch_op.create_index('ix_expertise_tag', ['tag', 'user_id'], unique=False)

    op.create_table('votes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('value IN (-1, 1)', name=op.f('ck_votes_value')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_votes_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_votes')),
    sa.UniqueConstraint('user_id', 'kind', 'target_id', name='uq_votes_user_id_kind_target_id')
    )
    op.create_table('questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('answer_count', sa.Integer(), nullable=False),
    sa.Column('accepted_answer_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_activity_at', sa.DateTime(), nullable=False),
    sa.Column('edited_at', sa.DateTime(), nullable=True),
    sa.Column('escalation_round', sa.Integer(), nullable=False),
    sa.Column('next_escalation_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_questions_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_questions_community_id_communities'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_questions'))
    )
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.create_index('ix_questions_active', ['community_id', 'last_activity_at', 'id'], unique=False)
        batch_op.create_index('ix_questions_author_id', ['author_id'], unique=False)
        batch_op.create_index('ix_questions_newest', ['community_id', 'created_at', 'id'], unique=False)
        batch_op.create_index('ix_questions_next_escalation_at', ['next_escalation_at'], unique=False)
        batch_op.create_index('ix_questions_votes', ['community_id', 'score', 'id'], unique=False)

    op.create_table('answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('edited_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_answers_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['question_id'], ['questions.id'], name=op.f('fk_answers_question_id_questions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_answers'))
    )
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.create_index('ix_answers_author_id', ['author_id', 'created_at'], unique=False)
        batch_op.create_index('ix_answers_question_id', ['question_id', 'score', 'id'], unique=False)

    op.create_table('expert_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('asked_at', sa.DateTime(), nullable=False),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['question_id'], ['questions.id'], name=op.f('fk_expert_requests_question_id_questions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_expert_requests_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_expert_requests')),
    sa.UniqueConstraint('question_id', 'user_id', name='uq_expert_requests_question_id_user_id')
    )
    with op.batch_alter_table('expert_requests', schema=None) as batch_op:
        batch_op.create_index('ix_expert_requests_user_id', ['user_id', 'answered_at'], unique=False)

    op.create_table('question_tags',
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('tag', sa.String(length=30), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['questions.id'], name=op.f('fk_question_tags_question_id_questions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('question_id', 'tag', name=op.f('pk_question_tags'))
    )
    with op.batch_alter_table('question_tags', schema=None) as batch_op:
        batch_op.create_index('ix_question_tags_tag', ['tag', 'question_id'], unique=False)



def downgrade():
    with op.batch_alter_table('question_tags', schema=None) as batch_op:
        batch_op.drop_index('ix_question_tags_tag')

    op.drop_table('question_tags')
    with op.batch_alter_table('expert_requests', schema=None) as batch_op:
        batch_op.drop_index('ix_expert_requests_user_id')

    op.drop_table('expert_requests')
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.drop_index('ix_answers_question_id')
        batch_op.drop_index('ix_answers_author_id')

    op.drop_table('answers')
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.drop_index('ix_questions_votes')
        batch_op.drop_index('ix_questions_next_escalation_at')
        batch_op.drop_index('ix_questions_newest')
        batch_op.drop_index('ix_questions_author_id')
        batch_op.drop_index('ix_questions_active')

    op.drop_table('questions')
    op.drop_table('votes')
    with op.batch_alter_table('expertise', schema=None) as batch_op:
        batch_op.drop_index('ix_expertise_tag')

    op.drop_table('expertise')
    with op.batch_alter_table('endorsements', schema=None) as batch_op:
        batch_op.drop_index('ix_endorsements_user_id')
        batch_op.drop_index('ix_endorsements_tag')

    op.drop_table('endorsements')
