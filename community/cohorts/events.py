"""What happens in a cohort's life, for listeners after the commit."""

from __future__ import annotations

from dataclasses import dataclass

from ..events import DomainEvent


@dataclass(frozen=True)
class FollowUpPosted(DomainEvent):
    """A scheduled follow-up prompt became thread ``thread_id``, in the name of ``actor_id`` (who wrote it)."""

    prompt_id: int
    community_id: int
    thread_id: int
    actor_id: int
    title: str


@dataclass(frozen=True)
class PhaseChanged(DomainEvent):
    """The calendar moved a cohort from phase ``old`` to ``new`` (``Community.phase``); told once.

    ``old`` is None the first time the scheduler sees a community: then it only remembers the phase
    and records no event, so this is never None in a delivered event.
    """

    community_id: int
    old: str
    new: str
