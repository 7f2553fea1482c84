"""A follow-up prompt: a thread a moderator writes now, for the scheduler to post in a cohort later."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..extensions import db
from ..timeutil import utcnow

#: ``scheduled`` until its day; then ``posted`` (with its thread), or ``failed`` when the moderator who
#: wrote it may no longer write there (left, demoted, muted, banned): nobody else's name goes on it.
STATES = ("scheduled", "posted", "failed")


class FollowUpPrompt(db.Model):
    __tablename__ = "follow_up_prompts"
    __table_args__ = (
        Index("ix_follow_up_prompts_due", "state", "post_on"),          # the scheduler's look for due ones
        Index("ix_follow_up_prompts_community", "community_id", "id"),  # a community's list
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    post_on: Mapped[date]
    state: Mapped[str] = mapped_column(String(10), default="scheduled")
    thread_id: Mapped[int | None] = mapped_column(ForeignKey("threads.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    posted_at: Mapped[datetime | None] = mapped_column(nullable=True)

    created_by: Mapped[User | None] = relationship()
