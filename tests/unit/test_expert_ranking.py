"""The one expert ranking, as a table of cases: who comes first, and why."""

from __future__ import annotations

from datetime import datetime

import pytest

from community.qa.ranking import ExpertStats, level_of, rank_experts

EARLY, LATE = datetime(2026, 1, 1), datetime(2026, 6, 1)


def e(name, level="declared", accepted=0, endorsements=0, response=None, active=None):
    return ExpertStats(user_id=sum(map(ord, name)), username=name, level=level, accepted_answers=accepted,
                       endorsements=endorsements, median_response_seconds=response, last_active_at=active)


RANKING_CASES = [
    ("level comes first, before any count",
     [e("declared", "declared", accepted=0, endorsements=9), e("recognized", "recognized"),
      e("proven", "proven", accepted=1), e("endorsed", "endorsed", endorsements=1)],
     ["recognized", "proven", "endorsed", "declared"]),
    ("within a level, more accepted answers first",
     [e("one", "proven", accepted=1), e("three", "proven", accepted=3)],
     ["three", "one"]),
    ("then more endorsements",
     [e("few", "endorsed", endorsements=1), e("many", "endorsed", endorsements=4)],
     ["many", "few"]),
    ("accepted answers weigh more than endorsements",
     [e("liked", "proven", accepted=1, endorsements=10), e("helpful", "proven", accepted=2)],
     ["helpful", "liked"]),
    ("then the faster median response time",
     [e("slow", response=3600), e("fast", response=60)],
     ["fast", "slow"]),
    ("an unknown response time comes after every known one",
     [e("unknown"), e("slowest", response=86_400)],
     ["slowest", "unknown"]),
    ("then the most recent activity",
     [e("old", active=EARLY), e("recent", active=LATE), e("never")],
     ["recent", "old", "never"]),
    ("response time weighs more than recent activity",
     [e("busy", response=600, active=LATE), e("quick", response=30, active=EARLY)],
     ["quick", "busy"]),
    ("equals are in username order",
     [e("bert"), e("Anna"), e("carla")],
     ["Anna", "bert", "carla"]),
]


@pytest.mark.parametrize(("rule", "experts", "expected"), RANKING_CASES, ids=[c[0] for c in RANKING_CASES])
def test_rank_experts_orders_by_level_then_accepted_endorsed_response_activity(rule, experts, expected):
    assert [x.username for x in rank_experts(experts)] == expected, rule


LEVEL_CASES = [
    # recognized, accepted, endorsements, declared, proven_after -> level
    (True, 0, 0, False, 1, "recognized"),
    (False, 1, 5, True, 1, "proven"),
    (False, 1, 0, False, 2, None),
    (False, 2, 0, False, 2, "proven"),
    (False, 1, 1, False, 2, "endorsed"),
    (False, 0, 0, True, 1, "declared"),
    (False, 0, 0, False, 1, None),
]


@pytest.mark.parametrize(("recognized", "accepted", "endorsements", "declared", "proven_after", "level"),
                         LEVEL_CASES)
def test_level_is_the_strongest_that_holds(recognized, accepted, endorsements, declared, proven_after, level):
    assert level_of(recognized=recognized, accepted_answers=accepted, endorsements=endorsements,
                    declared=declared, proven_after=proven_after) == level
