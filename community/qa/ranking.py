"""Who answers best on a tag: the one ranking of experts.

Routing (who hears of a new question first), escalation (who next), the
tag's experts in the API and on the tag page all order people with
``rank_experts``; nothing else sorts experts. It is a pure function of
``ExpertStats`` so that a table of cases can pin it down
(tests/unit/test_expert_ranking.py); ``expertise.expert_stats`` gathers the
figures from the database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

#: Expertise levels, weakest first (the contract's order).
LEVELS = ("declared", "endorsed", "proven", "recognized")
_STRENGTH = {level: i for i, level in enumerate(LEVELS)}


@dataclass(frozen=True)
class ExpertStats:
    """What the ranking weighs for one person on one tag (or a question's tags together)."""

    user_id: int
    username: str
    level: str
    accepted_answers: int = 0
    endorsements: int = 0
    #: Median seconds from being asked to a first answer; None when they never answered a request.
    median_response_seconds: float | None = None
    #: Their latest answer anywhere; None when they never answered.
    last_active_at: datetime | None = None


def level_of(*, recognized: bool, accepted_answers: int, endorsements: int, declared: bool,
             proven_after: int) -> str | None:
    """The strongest level that holds: recognized > proven > endorsed > declared; None: no expert.

    ``proven`` needs ``proven_after`` accepted answers in the tag (the
    ``EXPERT_PROVEN_AFTER`` setting, default 1).
    """
    if recognized:
        return "recognized"
    if accepted_answers >= max(proven_after, 1):
        return "proven"
    if endorsements > 0:
        return "endorsed"
    if declared:
        return "declared"
    return None


def stronger(a: str, b: str) -> str:
    """The stronger of two levels."""
    return a if _STRENGTH[a] >= _STRENGTH[b] else b


def _key(expert: ExpertStats):
    response = expert.median_response_seconds
    active = expert.last_active_at
    return (
        -_STRENGTH[expert.level],
        -expert.accepted_answers,
        -expert.endorsements,
        response is None, response if response is not None else 0.0,  # faster first, unknown last
        active is None, -(active.timestamp()) if active is not None else 0.0,  # recent first, never last
        expert.username.lower(), expert.user_id,  # a stable order between equals
    )


def rank_experts(experts: Iterable[ExpertStats]) -> list[ExpertStats]:
    """Experts best first.

    In this order of importance: level (recognized, proven, endorsed,
    declared); accepted answers in the tag, more first; endorsements, more
    first; median response time to expert requests, faster first, unknown
    last; most recent answer, recent first, never last. Equals stay in
    username order, so the same data always gives the same list.
    """
    return sorted(experts, key=_key)
