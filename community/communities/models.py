"""Communities of practice, cohort groups, their members and invites."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..extensions import db
from ..timeutil import today, utcnow

KINDS = ("practice", "cohort")
VISIBILITIES = ("public", "private")
JOIN_POLICIES = ("open", "approval", "invite")
ROLES = ("owner", "moderator", "member")
STATES = ("active", "pending", "banned")


class Community(db.Model):
    __tablename__ = "communities"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(10), default="practice")
    visibility: Mapped[str] = mapped_column(String(10), default="public")
    join_policy: Mapped[str] = mapped_column(String(10), default="open")
    starts_on: Mapped[date | None] = mapped_column(nullable=True)
    ends_on: Mapped[date | None] = mapped_column(nullable=True)
    archived_at: Mapped[datetime | None] = mapped_column(nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: The phase the scheduler last saw (``cohorts.jobs``); None until its first look.
    phase_seen: Mapped[str | None] = mapped_column(String(10), nullable=True)

    @property
    def archived(self) -> bool:
        return self.archived_at is not None

    @property
    def phase(self) -> str:
        """Where a cohort stands relative to its training; practices are ``active``."""
        if self.archived:
            return "archived"
        if self.kind != "cohort" or self.starts_on is None or self.ends_on is None:
            return "active"
        now = today()
        if now < self.starts_on:
            return "upcoming"
        if now <= self.ends_on:
            return "running"
        return "follow_up"

    def __repr__(self) -> str:
        return f"<Community {self.slug}>"


class Membership(db.Model):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("community_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(10), default="member")
    state: Mapped[str] = mapped_column(String(10), default="active")
    muted_until: Mapped[datetime | None] = mapped_column(nullable=True)
    mute_reason: Mapped[str] = mapped_column(Text, default="", server_default="")  # "": none given
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)

    community: Mapped[Community] = relationship()
    user: Mapped[User] = relationship()

    @property
    def is_muted(self) -> bool:
        return self.muted_until is not None and self.muted_until > utcnow()


class Invite(db.Model):
    """An invite link. Only the token's hash is kept, like API tokens."""

    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(nullable=True)
    max_uses: Mapped[int | None] = mapped_column(nullable=True)
    uses: Mapped[int] = mapped_column(default=0)
    revoked_at: Mapped[datetime | None] = mapped_column(nullable=True)

    community: Mapped[Community] = relationship()
    created_by: Mapped[User | None] = relationship()

    @property
    def usable(self) -> bool:
        if self.revoked_at is not None:
            return False
        if self.expires_at is not None and self.expires_at <= utcnow():
            return False
        return self.max_uses is None or self.uses < self.max_uses
