"""What happens in discussions, for listeners after the commit.

Notifications, search indexing, live pushes (``thread_post``) and learning
records subscribe to these; each carries plain ids and values, enough for a
listener to act without reloading the post when it does not need to.
``mentions`` are lowercased usernames as written, not yet checked against
accounts or access: the notification capability does that.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..content.events import ContentWritten
from ..events import DomainEvent
from ..urls import site_path


def _post_url(thread_id: int, post_id: int) -> str:
    return site_path("discussions.show_thread", thread_id=thread_id, _anchor=f"post-{post_id}")


@dataclass(frozen=True)
class ThreadStarted(ContentWritten):
    thread_id: int
    post_id: int
    community_id: int
    actor_id: int
    title: str
    mentions: tuple[str, ...] = ()

    @property
    def url(self) -> str:
        return _post_url(self.thread_id, self.post_id)


@dataclass(frozen=True)
class PostReplied(ContentWritten):
    """A reply; ``parent_author_id`` is who wrote the post replied to (None if gone).

    Its mentions are told by the reply listener, with the parent's author and
    the thread's followers, each person once by their strongest reason.
    """

    mentions_notified_elsewhere = True

    thread_id: int
    post_id: int
    parent_id: int
    parent_author_id: int | None
    community_id: int
    actor_id: int
    title: str  # the thread's title
    mentions: tuple[str, ...] = ()

    @property
    def url(self) -> str:
        return _post_url(self.thread_id, self.post_id)


@dataclass(frozen=True)
class PostEdited(ContentWritten):
    """``mentions``: names mentioned now that the previous version did not mention."""

    thread_id: int
    post_id: int
    community_id: int
    actor_id: int
    title: str
    mentions: tuple[str, ...] = ()

    @property
    def url(self) -> str:
        return _post_url(self.thread_id, self.post_id)


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
    flags: tuple[str, ...] = ()  # how pinned or locked changed: pinned, unpinned, locked, unlocked


@dataclass(frozen=True)
class ReactionChanged(DomainEvent):
    post_id: int
    thread_id: int
    community_id: int
    actor_id: int
    emoji: str
    added: bool
