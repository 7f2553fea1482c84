"""A notification: something one person should look at, with a link to it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..communities.models import Community
from ..extensions import db
from ..timeutil import utcnow


class Notification(db.Model):
    """``title`` names the thing (a thread title, a community name), never quotes a post.

    So a post deleted or hidden later cannot live on in someone's list; the
    page behind ``url`` decides afresh what the reader may see.
    """

    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_user_id", "user_id", "id"),           # the list, newest first
        Index("ix_notifications_unread", "user_id", "read_at"),      # the unread count
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(30))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    community_id: Mapped[int | None] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(nullable=True)
    #: ``"post:42"`` while the item it is about is hidden from this reader (``moderation.hiding``).
    hidden_by: Mapped[str | None] = mapped_column(String(40), nullable=True)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
    community: Mapped[Community | None] = relationship()

    @property
    def read(self) -> bool:
        return self.read_at is not None
