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
