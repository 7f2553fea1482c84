"""The feed's one order (``community.feed.ranking.feed_key``) as a table of cases."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from community.feed.ranking import Candidate, order, tier

NOW = datetime(2026, 12, 8, 12, 0)
EXPERTISE, FOLLOWED = {"kassa"}, {"heftruck"}


def q(i, hours_ago=0, tags=(), unanswered=True, useful=0):
    return Candidate("question", i, NOW - timedelta(hours=hours_ago), tuple(tags), unanswered, useful)


def t(i, hours_ago=0, tags=(), useful=0):
    return Candidate("thread", i, NOW - timedelta(hours=hours_ago), tuple(tags), False, useful)


CASES = [
    # (what it shows, items, the expected order of (type, id))
    ("an unanswered question in my expertise comes before anything newer",
     [t(1, 0), q(2, 0, ["heftruck"]), q(3, 48, ["kassa"])], [("question", 3), ("question", 2), ("thread", 1)]),
    ("an answered question in my expertise is only 'on my tags'",
     [q(1, 0, ["kassa"], unanswered=False), q(2, 5, ["heftruck"])], [("question", 1), ("question", 2)]),
    ("a followed tag beats my communities' newer items",
     [t(1, 0), t(2, 30, ["heftruck"])], [("thread", 2), ("thread", 1)]),
    ("within a tier newest first",
     [t(1, 5), t(2, 1), t(3, 3)], [("thread", 2), ("thread", 3), ("thread", 1)]),
    ("usefulness counts as newer: 6 hours a point",
     [t(1, 0), t(2, 10, useful=2)], [("thread", 2), ("thread", 1)]),
    ("usefulness stops at 8 points: a week-old hit does not push today aside",
     [t(1, 0), t(2, 24 * 7, useful=100)], [("thread", 1), ("thread", 2)]),
    ("equal items go by id, newest first",
     [t(1, 2), t(2, 2)], [("thread", 2), ("thread", 1)]),
    ("the same item from two sources is there once",
     [t(1, 2), t(1, 2), q(1, 2)], [("question", 1), ("thread", 1)]),
]


@pytest.mark.parametrize(("why", "items", "expected"), CASES, ids=[case[0] for case in CASES])
def test_feed_order(why, items, expected):
    assert [(i.type, i.id) for i in order(items, EXPERTISE, FOLLOWED)] == expected


def test_tiers_name_the_reason():
    assert tier(q(1, tags=["kassa"]), EXPERTISE, FOLLOWED) == 0
    assert tier(t(1, tags=["kassa"]), EXPERTISE, FOLLOWED) == 1
    assert tier(t(1, tags=["overig"]), EXPERTISE, FOLLOWED) == 2
