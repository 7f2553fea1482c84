"""Shared resources: a link, a Markdown note or an uploaded file, with tags.

``description_html`` is rendered once on write, never on read. A file's
``filename`` is the client's name, kept for display and for the download's
``Content-Disposition`` only; the file itself lives in storage under
``stored_name``, chosen by the server (see ``storage.py``), and its
``content_type`` comes from its first bytes (``extract.sniff``), never from
the client. ``extracted_text`` is what search indexes besides title,
description and tags; ``None`` when the type has no text or the file could
not be read within the limits (stored, but found by its title only).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..communities.models import Community
from ..extensions import db
from ..timeutil import utcnow

KINDS = ("link", "note", "file")


class Resource(db.Model):
    __tablename__ = "resources"
    __table_args__ = (
        # The community's list, newest first (keyset pages).
        Index("ix_resources_newest", "community_id", "created_at", "id"),
        Index("ix_resources_author_id", "author_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str | None] = mapped_column(Text, nullable=True)
    filename: Mapped[str | None] = mapped_column(Text, nullable=True)
    stored_name: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)
    size: Mapped[int | None] = mapped_column(nullable=True)
    content_type: Mapped[str | None] = mapped_column(String(100), nullable=True)
    extracted_text: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    hidden_at: Mapped[datetime | None] = mapped_column(nullable=True)  # hidden by a moderator (see access.shown)

    community: Mapped[Community] = relationship()
    author: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<Resource {self.id} {self.kind} {self.title!r}>"


class ResourceTag(db.Model):
    __tablename__ = "resource_tags"
    __table_args__ = (Index("ix_resource_tags_tag", "tag", "resource_id"),)

    resource_id: Mapped[int] = mapped_column(ForeignKey("resources.id", ondelete="CASCADE"), primary_key=True)
    tag: Mapped[str] = mapped_column(String(30), primary_key=True)
    position: Mapped[int] = mapped_column(default=0)  # tags keep the order they were given in
