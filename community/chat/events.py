"""What happens in chat, for listeners after the commit (live pushes, search, mentions)."""

from __future__ import annotations

from dataclasses import dataclass

from ..content.events import ContentWritten
from ..events import DomainEvent
from ..urls import site_path


def message_url(community_slug: str, message_id: int) -> str:
    """The site path of a message in its community's chat (``?at=`` opens the chat around it)."""
    return site_path("communities.show", slug=community_slug, tab="chat", at=message_id,
                     _anchor=f"message-{message_id}")


@dataclass(frozen=True)
class MessagePosted(ContentWritten):
    message_id: int
    community_id: int
    community_slug: str
    actor_id: int
    title: str  # the community's name: what a mention's notification names
    mentions: tuple[str, ...] = ()

    @property
    def url(self) -> str:
        return message_url(self.community_slug, self.message_id)


@dataclass(frozen=True)
class MessageDeleted(DomainEvent):
    message_id: int
    community_id: int
    community_slug: str
    actor_id: int
    by_moderator: bool = False
