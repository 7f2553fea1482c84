"""Chat messages, the per-community room row that orders them, and which sockets are in which room.

``ChatRoom.last_message_id`` is updated before each message is inserted:
that update takes the room row's lock, so in one community the message
that got the lock first also got the lower id and committed first. Ids are
then monotonic per community in commit order, and ``catch_up`` is a plain
range query that never skips a message committed late. (On SQLite the
write transaction orders all writers already; no room row is kept there.)

``client_id`` (unique per author) makes a send idempotent: a phone that
resends after a dropped connection, or after a server restart, gets the
stored message back instead of a second one. A deleted message keeps its
row, without its text, so the same ``client_id`` never writes it again.

``SocketRoom`` lists every socket that is in a community's room (its chat,
or a thread or question it watches), for every process: presence reads it,
and when someone loses access, the sockets to take out are found here
whichever process holds them. Each process refreshes ``seen_at`` for its
own sockets; rows of a process that died stop counting after a while.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..extensions import db
from ..timeutil import utcnow


class ChatRoom(db.Model):
    __tablename__ = "chat_rooms"

    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"), primary_key=True)
    last_message_id: Mapped[int] = mapped_column(default=0)


class ChatMessage(db.Model):
    __tablename__ = "chat_messages"
    __table_args__ = (
        UniqueConstraint("author_id", "client_id"),
        Index("ix_chat_messages_room", "community_id", "id"),
        Index("ix_chat_messages_author_recent", "author_id", "created_at"),  # the rate limit's count
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    client_id: Mapped[str | None] = mapped_column(String(100), nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(nullable=True)
    hidden_at: Mapped[datetime | None] = mapped_column(nullable=True)  # hidden by a moderator (see access.shown)

    author: Mapped[User | None] = relationship()

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None

    def __repr__(self) -> str:
        return f"<ChatMessage {self.id} in {self.community_id}>"


class SocketRoom(db.Model):
    __tablename__ = "socket_rooms"
    __table_args__ = (Index("ix_socket_rooms_community", "community_id", "user_id"),)

    sid: Mapped[str] = mapped_column(String(64), primary_key=True)
    room: Mapped[str] = mapped_column(String(64), primary_key=True)  # chat:<id>, thread:<id>, question:<id>
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    process: Mapped[str] = mapped_column(String(64))
    seen_at: Mapped[datetime] = mapped_column(default=utcnow)
