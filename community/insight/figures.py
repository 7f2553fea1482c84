"""The trainer's figures about one community: who takes part, what waits for an answer, who knows what.

Everything is counted from the facts in a fixed number of grouped queries,
whatever the size of the community: one UNION ALL of the four kinds of
content (posts, questions, answers, resources) reads each item's author
and moment once, and counting them in Python gives at once the totals,
the last time each person wrote, who broke their silence and the weekly
series (portable: no date functions, which SQLite and PostgreSQL spell
differently). Each pass starts from the
community's own index (threads, questions, resources, chat by
``community_id``) and reaches the rows through their foreign key indexes:
no table is read whole (``benchmarks/insight.py`` prints the plans).

Deleted posts and chat messages do not count (resources are deleted for
real), nor does anything a moderator hid (``hidden_at``): hidden is
moderated away. Only the figures leave this module; who may see them is decided by
the doors (moderators, through ``access``).
"""

from __future__ import annotations

import statistics
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import Text, cast, func, literal, select, union_all

from ..accounts.models import User
from ..chat.models import ChatMessage
from ..communities.models import Community, Membership
from ..discussions.models import Post, Thread
from ..extensions import db
from ..qa import reading as qa_reading
from ..qa.models import Answer, Question, QuestionTag
from ..resources.models import Resource
from ..timeutil import utcnow

WEEKS = 12
ACTIVE_DAYS = 7
TOP_CONTRIBUTORS = 10
EXPERT_TAGS = 10
EXPERTS_PER_TAG = 5
UNANSWERED_SHOWN = 20
RECENT_THREADS = 10


@dataclass(frozen=True)
class Week:
    """One week (Monday to Sunday, UTC); the last one is the week now under way."""

    starts_on: date
    contributions: int          # posts, questions, answers and resources written in it
    active_members: int         # people who wrote any of them
    questions: int              # questions asked in it
    median_first_answer_minutes: float | None  # of the questions asked in it and answered since


@dataclass(frozen=True)
class Waiting:
    """A question without an answer, and for how long it has waited."""

    id: int
    title: str
    created_at: datetime
    waited_minutes: int


@dataclass
class Figures:
    members: int
    active_members_7d: int
    questions: int
    unanswered: int
    median_first_answer_minutes: float | None
    top_contributors: list[tuple[str, int]]
    experts_by_tag: list[tuple[str, list[str]]]
    silent_members: list[str]
    unanswered_questions: list[Waiting]
    weeks: list[Week] = field(default_factory=list)


def week_starts(now: datetime) -> list[datetime]:
    """Midnight on the Monday of each of the last ``WEEKS`` weeks, oldest first."""
    monday = datetime(now.year, now.month, now.day) - timedelta(days=now.weekday())
    return [monday - timedelta(weeks=WEEKS - 1 - i) for i in range(WEEKS)]


@dataclass
class _Authors:
    """Per author: how much they wrote; who wrote since a moment; per week: how much, and by how many."""

    count: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    recent: set[int] = field(default_factory=set)
    week_count: list[int] = field(default_factory=lambda: [0] * WEEKS)
    week_people: list[set[int]] = field(default_factory=lambda: [set() for _ in range(WEEKS)])

    def weekly(self) -> dict[int, tuple[int, int]]:
        return {week: (n, len(self.week_people[week])) for week, n in enumerate(self.week_count) if n}


def _passes(community: Community) -> list[tuple]:
    """(author column, created column, the community's rows of one kind, whether it breaks a silence)."""
    return [
        (Post.author_id, Post.created_at, select().select_from(Thread).join(Post, Post.thread_id == Thread.id)
         .where(Thread.community_id == community.id, Post.deleted_at.is_(None), Post.hidden_at.is_(None),
                Thread.hidden_at.is_(None)), True),
        (Question.author_id, Question.created_at, select().select_from(Question)
         .where(Question.community_id == community.id, Question.hidden_at.is_(None)), True),
        (Answer.author_id, Answer.created_at, select().select_from(Question)
         .join(Answer, Answer.question_id == Question.id)
         .where(Question.community_id == community.id, Question.hidden_at.is_(None), Answer.hidden_at.is_(None)),
         True),
        (Resource.author_id, Resource.created_at, select().select_from(Resource)
         .where(Resource.community_id == community.id, Resource.hidden_at.is_(None)), False),
    ]


def _text(moment: datetime) -> str:
    """A moment as the database writes a timestamp cast to text (SQLite and PostgreSQL alike): they sort as text."""
    return f"{moment:%Y-%m-%d %H:%M:%S}"


def _plain_rows(stmt) -> list[tuple]:
    """The rows as the driver gives them, for a statement of plain values (ints, text) and many rows.

    SQLAlchemy's ``Row`` objects cost as much as the query itself here (measured: 14.4 ms against 7.8 ms
    for the 9,500 posts of ``benchmarks/insight.py``); the columns need no conversion, so none is lost.
    """
    return db.session.connection().execute(stmt).cursor.fetchall()


def _contributions(community: Community, starts: list[datetime], since: datetime) -> tuple[_Authors, set[int]]:
    """Posts (not deleted), questions, answers and resources of the community, by author and by week; and
    who wrote any of the first three (what breaks a member's silence: sharing a link does not).

    One statement reads each item's author and moment (a UNION ALL of the four kinds, each through its
    community's index), the moment as text: turning 13,700 timestamps into ``datetime`` objects took
    longer than all the counting (``benchmarks/insight.py``).
    """
    arms = [stmt.add_columns(author.label("author_id"), cast(created, Text).label("created_at"),
                             literal(breaks_silence).label("speaks")).where(author.is_not(None))
            for author, created, stmt, breaks_silence in _passes(community)]
    totals, speakers = _Authors(), set()
    count, recent, week_count, week_people = totals.count, totals.recent, totals.week_count, totals.week_people
    bounds = [_text(start) for start in starts]
    first_week, since_text = bounds[0], _text(since)
    for author_id, created, speaks in _plain_rows(union_all(*arms)):
        count[author_id] += 1
        if speaks:
            speakers.add(author_id)
        if created >= first_week:
            week = bisect_right(bounds, created) - 1
            week_count[week] += 1
            week_people[week].add(author_id)
            if created >= since_text:
                recent.add(author_id)
    return totals, speakers


def _chatted_since(community: Community, since: datetime) -> set[int]:
    return set(db.session.scalars(select(ChatMessage.author_id).distinct().where(
        ChatMessage.community_id == community.id, ChatMessage.created_at >= since,
        ChatMessage.deleted_at.is_(None), ChatMessage.hidden_at.is_(None), ChatMessage.author_id.is_not(None))))


def _active_members(community: Community) -> list[int]:
    """The active members' ids, longest-standing first."""
    return [row[0] for row in _plain_rows(
        select(Membership.user_id).where(Membership.community_id == community.id, Membership.state == "active")
        .order_by(Membership.joined_at, Membership.user_id))]


def _first_answers(community: Community) -> list[tuple[int, datetime, datetime | None]]:
    """(question id, asked at, first answer at or None) for each of the community's questions."""
    return list(db.session.execute(
        select(Question.id, Question.created_at, func.min(Answer.created_at))
        .outerjoin(Answer, (Answer.question_id == Question.id) & Answer.hidden_at.is_(None))
        .where(Question.community_id == community.id, Question.hidden_at.is_(None))
        .group_by(Question.id, Question.created_at)).all())


def _minutes(start: datetime, end: datetime) -> float:
    return max((end - start).total_seconds(), 0.0) / 60


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


def _waiting(questions, now: datetime) -> list[Waiting]:
    oldest = sorted((asked, qid) for qid, asked, first in questions if first is None)[:UNANSWERED_SHOWN]
    if not oldest:
        return []
    titles = dict(db.session.execute(select(Question.id, Question.title)
                                     .where(Question.id.in_([qid for _a, qid in oldest]))).all())
    return [Waiting(qid, titles.get(qid, ""), asked, int(_minutes(asked, now))) for asked, qid in oldest]


def community_tags(community: Community, limit: int = EXPERT_TAGS) -> list[str]:
    """The tags of the community's questions, most used first."""
    n = func.count().label("n")
    return list(db.session.scalars(
        select(QuestionTag.tag).join(Question, Question.id == QuestionTag.question_id)
        .where(Question.community_id == community.id).group_by(QuestionTag.tag)
        .order_by(n.desc(), QuestionTag.tag).limit(limit)))


def _experts(viewer, community: Community) -> list[tuple[str, list[str]]]:
    tags = community_tags(community)
    ranked = qa_reading.experts_by_tag(viewer, tags, community=community) if tags else {}
    return [(tag, [e.username for e in ranked.get(tag, [])[:EXPERTS_PER_TAG]]) for tag in tags]


def _usernames(user_ids) -> dict[int, str]:
    ids = list(set(user_ids))
    if not ids:
        return {}
    return dict(_plain_rows(select(User.id, User.username).where(User.id.in_(ids))))


def _weeks(starts, activity: dict[int, tuple[int, int]], questions) -> list[Week]:
    asked: list[int] = [0] * WEEKS
    answer_minutes: list[list[float]] = [[] for _ in range(WEEKS)]
    for _qid, created, first in questions:
        if created < starts[0]:
            continue
        i = bisect_right(starts, created) - 1
        asked[i] += 1
        if first is not None:
            answer_minutes[i].append(_minutes(created, first))
    return [Week(start.date(), *activity.get(i, (0, 0)), asked[i], _median(answer_minutes[i]))
            for i, start in enumerate(starts)]


def community_figures(viewer, community: Community, *, now: datetime | None = None) -> Figures:
    """All the figures of ``community``; ``viewer`` (a moderator) decides whose expertise counts.

    The caller has checked that ``viewer`` may moderate ``community``.
    """
    now = now or utcnow()
    starts = week_starts(now)
    since = now - timedelta(days=ACTIVE_DAYS)
    members = _active_members(community)
    member_ids = set(members)

    totals, speakers = _contributions(community, starts, since)
    active = totals.recent | _chatted_since(community, since)
    silent_ids = [uid for uid in members if uid not in speakers]
    top = sorted(totals.count.items(), key=lambda item: (-item[1], item[0]))[:TOP_CONTRIBUTORS]

    questions = _first_answers(community)
    answered = [_minutes(asked, first) for _qid, asked, first in questions if first is not None]
    names = _usernames([uid for uid, _n in top] + silent_ids)
    return Figures(
        members=len(members),
        active_members_7d=len(active & member_ids),
        questions=len(questions),
        unanswered=len(questions) - len(answered),
        median_first_answer_minutes=_median(answered),
        top_contributors=[(names[uid], n) for uid, n in top if uid in names],
        experts_by_tag=_experts(viewer, community),
        silent_members=[names[uid] for uid in silent_ids if uid in names],
        unanswered_questions=_waiting(questions, now),
        weeks=_weeks(starts, totals.weekly(), questions),
    )


def recent_threads(community: Community, limit: int = RECENT_THREADS) -> list[tuple[int, str]]:
    """(id, title) of the threads a silent member could be invited into: as the thread list orders them."""
    return list(db.session.execute(
        select(Thread.id, Thread.title).where(Thread.community_id == community.id, Thread.locked.is_(False))
        .order_by(Thread.pinned.desc(), Thread.last_activity_at.desc(), Thread.id.desc()).limit(limit)).all())
