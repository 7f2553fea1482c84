"""Threads and their posts, stored as a materialized-path tree.

Each post keeps ``path``: the ids of its ancestors and itself, each written
as a fixed-width, zero-padded base-36 segment (``SEGMENT`` characters). Because
the segments have one width and base-36 digits sort like numbers in plain
byte order, ``ORDER BY path`` is depth-first tree order with siblings oldest
first: a whole thread comes back in display order from one indexed range
scan of ``(thread_id, path)``, with no recursion. ``depth`` is stored too, so
indentation needs no string arithmetic, and ``body_html`` is rendered once on
write, never on read.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..communities.models import Community
from ..extensions import db
from ..timeutil import utcnow

SEGMENT = 7  # 36**7 ≈ 78 billion post ids before paths would stop sorting
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def path_segment(post_id: int) -> str:
    """``post_id`` as a fixed-width base-36 string, e.g. 1295 -> ``"00000zz"``."""
    if post_id < 0 or post_id >= 36**SEGMENT:
        raise ValueError(f"post id {post_id} does not fit a path segment")
    digits = []
    for _ in range(SEGMENT):
        post_id, rest = divmod(post_id, 36)
        digits.append(_DIGITS[rest])
    return "".join(reversed(digits))


def path_ids(path: str) -> list[int]:
    """The post ids along ``path``, root first."""
    return [int(path[i:i + SEGMENT], 36) for i in range(0, len(path), SEGMENT)]


class Thread(db.Model):
    __tablename__ = "threads"
    __table_args__ = (
        # The community's thread list: pinned first, then latest activity (keyset pages).
        Index("ix_threads_listing", "community_id", "pinned", "last_activity_at", "id"),
        Index("ix_threads_newest", "community_id", "created_at", "id"),  # a community's newest (the feed)
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(Text)
    pinned: Mapped[bool] = mapped_column(default=False)
    locked: Mapped[bool] = mapped_column(default=False)
    reply_count: Mapped[int] = mapped_column(default=0)  # replies not deleted; the first post is not one
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_activity_at: Mapped[datetime] = mapped_column(default=utcnow)
    hidden_at: Mapped[datetime | None] = mapped_column(nullable=True)  # hidden by a moderator (see access.shown)

    community: Mapped[Community] = relationship()
    author: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<Thread {self.id} {self.title!r}>"


class ThreadTag(db.Model):
    __tablename__ = "thread_tags"
    __table_args__ = (Index("ix_thread_tags_tag", "tag", "thread_id"),)

    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"), primary_key=True)
    tag: Mapped[str] = mapped_column(String(30), primary_key=True)
    position: Mapped[int] = mapped_column(default=0)  # tags keep the order they were given in


class Post(db.Model):
    __tablename__ = "posts"
    __table_args__ = (
        UniqueConstraint("thread_id", "path", name="uq_posts_thread_id_path"),
        Index("ix_posts_author_id", "author_id"),
        Index("ix_posts_parent_id", "parent_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Byte order ("C") on PostgreSQL, so that no locale's collation can reorder the tree.
    path: Mapped[str] = mapped_column(String(400).with_variant(String(400, collation="C"), "postgresql"))
    depth: Mapped[int] = mapped_column(default=0)
    body: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(nullable=True)
    edited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    deleted_at: Mapped[datetime | None] = mapped_column(nullable=True)
    hidden_at: Mapped[datetime | None] = mapped_column(nullable=True)  # hidden by a moderator (see access.shown)

    thread: Mapped[Thread] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None

    def __repr__(self) -> str:
        return f"<Post {self.id} in thread {self.thread_id}>"


class PostRevision(db.Model):
    """An earlier version of a post, kept when it is edited or deleted.

    ``created_at`` is when that version was written and ``editor_id`` who
    wrote it, so the list reads as the post's history.
    """

    __tablename__ = "post_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    replaced_at: Mapped[datetime] = mapped_column(default=utcnow)

    editor: Mapped[User | None] = relationship()


class Reaction(db.Model):
    """One person's one emoji on one post; the unique key makes reacting idempotent."""

    __tablename__ = "reactions"
    __table_args__ = (
        UniqueConstraint("post_id", "user_id", "emoji", name="uq_reactions_post_id_user_id_emoji"),
        Index("ix_reactions_user_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    emoji: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ThreadFollow(db.Model):
    __tablename__ = "thread_follows"
    __table_args__ = (Index("ix_thread_follows_user_id", "user_id"),)

    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
