"""Questions, answers, votes, tags and expertise: the Stack Exchange shape, plus routing.

``score`` and ``answer_count`` are counters kept with ``SET n = n + :d`` so that
racing votes and answers never lose an update; a vote is one row per person
and target (unique key), so voting twice changes the row instead of adding
one. ``body_html`` is rendered once on write, never on read.

Expertise is per person and tag, across communities: ``declared`` by the
person, ``recognized`` by a moderator; endorsements are their own rows and
accepted answers are counted from the answers themselves, so no counter can
drift from the facts (see ``expertise.py``). ``ExpertRequest`` remembers who was
asked to answer which question, in which round: routing never asks anyone
twice, escalation asks the next ones, and the time to a first answer gives
each expert's median response time.

``Question.accepted_answer_id`` has no foreign key: questions and answers
would reference each other, which SQLite's batch migrations and PostgreSQL's
table order make awkward, and answers are never deleted; the service only
ever sets it to an answer of the same question.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..communities.models import Community
from ..extensions import db
from ..timeutil import utcnow

VOTE_KINDS = ("question", "answer")


class Question(db.Model):
    __tablename__ = "questions"
    __table_args__ = (
        # The community's question list, one index per sort (keyset pages, newest first).
        Index("ix_questions_newest", "community_id", "created_at", "id"),
        Index("ix_questions_votes", "community_id", "score", "id"),
        Index("ix_questions_active", "community_id", "last_activity_at", "id"),
        Index("ix_questions_author_id", "author_id"),
        # The scheduler's look for due escalations.
        Index("ix_questions_next_escalation_at", "next_escalation_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    score: Mapped[int] = mapped_column(default=0)
    answer_count: Mapped[int] = mapped_column(default=0)
    accepted_answer_id: Mapped[int | None] = mapped_column(nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_activity_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(nullable=True)
    hidden_at: Mapped[datetime | None] = mapped_column(nullable=True)  # hidden by a moderator (see access.shown)
    #: 0: only the first experts were asked; 1: the next ones too; 2: the moderators as well.
    escalation_round: Mapped[int] = mapped_column(default=0)
    #: When the scheduler offers it to the next round; None once answered or out of rounds.
    next_escalation_at: Mapped[datetime | None] = mapped_column(nullable=True)

    community: Mapped[Community] = relationship()
    author: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<Question {self.id} {self.title!r}>"


class QuestionTag(db.Model):
    __tablename__ = "question_tags"
    __table_args__ = (Index("ix_question_tags_tag", "tag", "question_id"),)

    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"), primary_key=True)
    tag: Mapped[str] = mapped_column(String(30), primary_key=True)
    position: Mapped[int] = mapped_column(default=0)  # tags keep the order they were given in


class Answer(db.Model):
    __tablename__ = "answers"
    __table_args__ = (
        Index("ix_answers_question_id", "question_id", "score", "id"),
        Index("ix_answers_author_id", "author_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    score: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(nullable=True)
    hidden_at: Mapped[datetime | None] = mapped_column(nullable=True)  # hidden by a moderator (see access.shown)

    question: Mapped[Question] = relationship()
    author: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<Answer {self.id} to question {self.question_id}>"


class Vote(db.Model):
    """One person's vote on one question or answer: ``kind`` says which, ``target_id`` its id.

    One table for both targets, so that one unique key makes voting
    race-safe for both; withdrawing a vote deletes the row.
    """

    __tablename__ = "votes"
    __table_args__ = (
        UniqueConstraint("user_id", "kind", "target_id", name="uq_votes_user_id_kind_target_id"),
        CheckConstraint("value IN (-1, 1)", name="value")  # named ck_votes_value by convention,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))
    target_id: Mapped[int] = mapped_column()
    value: Mapped[int] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Expertise(db.Model):
    """A person's standing on a tag: ``declared`` by themselves, ``recognized`` by a moderator.

    A row with neither flag is removed; endorsements and accepted answers
    make someone an expert without a row (see ``expertise.py`` for levels).
    """

    __tablename__ = "expertise"
    __table_args__ = (Index("ix_expertise_tag", "tag", "user_id"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    tag: Mapped[str] = mapped_column(String(30), primary_key=True)
    declared: Mapped[bool] = mapped_column(default=False)
    recognized: Mapped[bool] = mapped_column(default=False)
    recognized_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Endorsement(db.Model):
    """``endorser_id`` vouches for ``user_id`` on ``tag``; once per endorser, person and tag."""

    __tablename__ = "endorsements"
    __table_args__ = (
        UniqueConstraint("endorser_id", "user_id", "tag", name="uq_endorsements_endorser_id_user_id_tag"),
        Index("ix_endorsements_tag", "tag", "user_id"),
        Index("ix_endorsements_user_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    endorser_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    tag: Mapped[str] = mapped_column(String(30))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ExpertRequest(db.Model):
    """``user_id`` was asked to answer ``question_id`` in ``round`` (0 on asking, 1, 2 escalated,
    ``DIRECT`` when someone asked them from the question page); ``answered_at`` is their first answer."""

    __tablename__ = "expert_requests"
    __table_args__ = (
        UniqueConstraint("question_id", "user_id", name="uq_expert_requests_question_id_user_id"),
        Index("ix_expert_requests_user_id", "user_id", "answered_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    round: Mapped[int] = mapped_column(default=0)
    asked_at: Mapped[datetime] = mapped_column(default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(nullable=True)


DIRECT = -1  # ExpertRequest.round of a request made by a person from the question page
