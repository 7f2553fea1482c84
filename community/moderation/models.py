"""The audit log: one row per moderation action, written once and never changed.

Names are copied when the action happens (``actor_name``, ``target_label``)
and nothing points at a person or a piece of content with a foreign key: an
entry outlives the account and the content it is about, and no cascade can
touch it. Only the community is a key, and communities are archived, never
deleted.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..timeutil import utcnow


class AuditEntry(db.Model):
    __tablename__ = "audit_entries"
    __table_args__ = (
        Index("ix_audit_entries_community", "community_id", "id"),  # a community's log, newest first
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    actor_id: Mapped[int | None]
    actor_name: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(30))
    target_type: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[int | None]
    target_label: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    detail: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


FLAG_TARGETS = ("post", "question", "answer", "message", "resource")
FLAG_STATES = ("open", "dismissed", "hidden")


class Flag(db.Model):
    """One queue entry per flagged item, however many members flagged it (``count``).

    A dismissed flag opens again when someone new flags the item; the
    members who flagged it are ``FlagReport`` rows, one each.
    """

    __tablename__ = "flags"
    __table_args__ = (
        UniqueConstraint("target_type", "target_id"),
        Index("ix_flags_queue", "community_id", "state", "id"),  # a community's open flags, newest first
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    target_type: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[int]
    reason: Mapped[str] = mapped_column(Text, default="")  # the first reason given
    state: Mapped[str] = mapped_column(String(10), default="open")
    count: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    flagged_at: Mapped[datetime] = mapped_column(default=utcnow)  # the latest report
    resolved_at: Mapped[datetime | None] = mapped_column(nullable=True)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class FlagReport(db.Model):
    """One member's flag of an item: a member flags an item once."""

    __tablename__ = "flag_reports"

    flag_id: Mapped[int] = mapped_column(ForeignKey("flags.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
