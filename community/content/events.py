"""``ContentWritten``: the base of every event that puts user text somewhere.

Threads, replies, edits, questions, answers and chat messages all mention
people; their events subclass this, and one notifications listener turns
the mentions of any of them into ``mention`` notifications, checked against
access there. An event whose own listener already tells the mentioned (a
reply tells each person once, by their strongest reason) sets
``mentions_notified_elsewhere``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..events import DomainEvent


@dataclass(frozen=True)
class ContentWritten(DomainEvent):
    """Subclasses are frozen dataclasses with at least these fields, in their own order:

    ``community_id``, ``actor_id``, ``title`` (of the thread or question:
    what a notification names) and ``mentions`` (lowercased usernames as
    written, not yet checked; for an edit, only those the earlier version did
    not mention), and a ``url`` property: the site path.
    """

    #: True where the event's own listener notifies the mentioned people.
    mentions_notified_elsewhere = False


@dataclass(frozen=True)
class ContentHidden(DomainEvent):
    """A moderator hid an item (``hidden``) or showed it again: every reader drops it or brings it back.

    ``target_type`` is a flag's: ``post``, ``question``, ``answer``,
    ``message`` or ``resource``. A thread's first post stands for the whole
    thread (``whole_thread``), a question for its answers too. Search
    listens (the item leaves the index and every total), and so do the
    audit log, the notifications and the chat room.
    """

    community_id: int
    actor_id: int | None
    target_type: str
    target_id: int
    hidden: bool
    thread_id: int | None = None     # a post's thread
    whole_thread: bool = False
    question_id: int | None = None   # an answer's question
    label: str = ""                  # what the item is called (a thread's or question's title)
    reason: str = ""

    def ids(self, target_type: str) -> list[int]:
        """``[target_id]`` when the event is about a ``target_type``: for the search registrations."""
        return [self.target_id] if self.target_type == target_type else []
