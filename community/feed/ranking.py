"""The one order of a person's feed: ``feed_key``, and nothing else decides it.

Three tiers, the first one first:

0. **An unanswered question on a tag the reader is an expert in**: the
   reason the feed exists (someone is waiting for exactly them);
1. anything on a tag the reader **follows or is an expert in**;
2. everything else **from their communities**.

Within a tier, newest and most useful first: an item counts as newer by
``USEFUL_HOURS`` for each point of usefulness (a question's score and its
answers, a thread's replies), at most ``USEFUL_MAX`` points, so a
well-answered item of yesterday stands beside a silent one of today but
a week-old one does not push today's aside. Equal items go by id, newest
first, so the same data always gives the same feed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

USEFUL_HOURS = 6
USEFUL_MAX = 8

EXPERT_WAITING, ON_MY_TAGS, IN_MY_COMMUNITIES = 0, 1, 2
REASONS = {EXPERT_WAITING: "expertise", ON_MY_TAGS: "tag", IN_MY_COMMUNITIES: "community"}


@dataclass(frozen=True)
class Candidate:
    """An item that may go into the feed, with what its place depends on."""

    type: str                 # question, thread, resource
    id: int
    created_at: datetime
    tags: tuple[str, ...] = ()
    unanswered: bool = False  # a question without an answer
    usefulness: int = 0       # score + answers (a question), replies (a thread)
    extra: dict = field(default_factory=dict, compare=False, hash=False)


def tier(item: Candidate, expertise: set[str], followed: set[str]) -> int:
    tags = set(item.tags)
    if item.type == "question" and item.unanswered and tags & expertise:
        return EXPERT_WAITING
    if tags & (expertise | followed):
        return ON_MY_TAGS
    return IN_MY_COMMUNITIES


def feed_key(item: Candidate, expertise: set[str], followed: set[str]) -> tuple:
    """Sort key (ascending) of ``item`` for a reader with these expertise and followed tags."""
    boost = timedelta(hours=USEFUL_HOURS * max(0, min(item.usefulness, USEFUL_MAX)))
    effective = item.created_at + boost
    return (tier(item, expertise, followed), -effective.timestamp(), -item.id, item.type)


def order(items, expertise: set[str], followed: set[str]) -> list[Candidate]:
    """``items`` in feed order, each once (by type and id)."""
    unique = {(item.type, item.id): item for item in items}
    return sorted(unique.values(), key=lambda item: feed_key(item, expertise, followed))
