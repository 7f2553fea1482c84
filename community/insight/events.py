"""What the insight capability makes happen, for listeners after the commit."""

from __future__ import annotations

from dataclasses import dataclass

from ..events import DomainEvent


@dataclass(frozen=True)
class MembersInvitedToThread(DomainEvent):
    """A moderator asked ``user_ids`` (active members) to join the conversation in a thread."""

    thread_id: int
    community_id: int
    actor_id: int
    user_ids: tuple[int, ...]
    title: str  # the thread's title
