"""What happens in discussions, for listeners after the commit.

Notifications, search indexing, live pushes (``thread_post``) and learning
records subscribe to these; each carries plain ids and values, enough for a
listener to act without reloading the post when it does not need to.
``mentions`` are lowercased usernames as written, not yet checked against
accounts or access: the notification capability does that.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..events import DomainEvent


@dataclass(frozen=True)
class ThreadStarted(DomainEvent):
    thread_id: int
    post_id: int
    community_id: int
    actor_id: int
    title: str
    mentions: tuple[str, ...] = ()


@dataclass(frozen=True)
class PostReplied(DomainEvent):
    """A reply; ``parent_author_id`` is who wrote the post replied to (None if gone)."""

    thread_id: int
    post_id: int
    parent_id: int
    parent_author_id: int | None
    community_id: int
    actor_id: int
    title: str  # the thread's title
    mentions: tuple[str, ...] = ()


@dataclass(frozen=True)
class PostEdited(DomainEvent):
    """``new_mentions``: names mentioned now that the previous version did not mention."""

    thread_id: int
    post_id: int
    community_id: int
    actor_id: int
    title: str
    new_mentions: tuple[str, ...] = ()


@dataclass(frozen=True)
class PostDeleted(DomainEvent):
    thread_id: int
    post_id: int
    community_id: int
    actor_id: int
    by_moderator: bool = False


@dataclass(frozen=True)
class ThreadChanged(DomainEvent):
    """Title, tags, pinned or locked changed; ``changes`` names which."""

    thread_id: int
    community_id: int
    actor_id: int
    changes: tuple[str, ...]


@dataclass(frozen=True)
class ReactionChanged(DomainEvent):
    post_id: int
    thread_id: int
    community_id: int
    actor_id: int
    emoji: str
    added: bool
