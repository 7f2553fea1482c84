"""The trainer's figures about one community: who takes part, what waits for an answer, who knows what.

Everything is counted from the facts in a fixed number of grouped queries,
whatever the size of the community: one pass over each kind of content
(posts, questions, answers, resources) groups it by author (totals, the
last time each person wrote, who broke their silence), and one UNION ALL
of the last ``WEEKS`` weeks of all four kinds, grouped by a single CASE
for the week, gives the weekly series (portable: no date functions, which
SQLite and PostgreSQL spell differently). Each pass starts from the
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

from sqlalchemy import case, distinct, func, select, union_all

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


def _week_of(column, starts: list[datetime]):
    """Which of the weeks ``column`` falls in (0 the oldest): one CASE, the newest week tried first."""
    return case(*[(column >= starts[i], i) for i in reversed(range(len(starts)))], else_=-1)


@dataclass
class _Authors:
    """Per author: how much they wrote and when they last wrote."""

    count: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    last: dict[int, datetime] = field(default_factory=dict)

    def add(self, rows) -> None:
        for author_id, count, last in rows:
            self.count[author_id] += count
            if author_id not in self.last or last > self.last[author_id]:
                self.last[author_id] = last


def _grouped(column_author, column_created, stmt):
    return db.session.execute(stmt.add_columns(column_author, func.count(), func.max(column_created))
                              .where(column_author.is_not(None)).group_by(column_author))


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


def _contributions(community: Community) -> tuple[_Authors, set[int]]:
    """Posts (not deleted), questions, answers and resources of the community, by author; and who
    wrote any of the first three (what breaks a member's silence: sharing a link does not)."""
    totals, speakers = _Authors(), set()
    for author, created, stmt, breaks_silence in _passes(community):
        rows = list(_grouped(author, created, stmt))
        totals.add(rows)
        if breaks_silence:
            speakers.update(row[0] for row in rows)
    return totals, speakers


def _weekly_activity(community: Community, starts: list[datetime]) -> dict[int, tuple[int, int]]:
    """Week index -> (contributions, distinct people) over all four kinds, in one statement."""
    arms = [stmt.add_columns(author.label("author_id"), created.label("created_at"))
            .where(author.is_not(None), created >= starts[0]) for author, created, stmt, _s in _passes(community)]
    rows = union_all(*arms).subquery()
    week = _week_of(rows.c.created_at, starts).label("week")
    return {i: (n, people) for i, n, people in db.session.execute(
        select(week, func.count(), func.count(distinct(rows.c.author_id))).group_by(week))}


def _chatted_since(community: Community, since: datetime) -> set[int]:
    return set(db.session.scalars(select(ChatMessage.author_id).distinct().where(
        ChatMessage.community_id == community.id, ChatMessage.created_at >= since,
        ChatMessage.deleted_at.is_(None), ChatMessage.hidden_at.is_(None), ChatMessage.author_id.is_not(None))))


def _active_members(community: Community) -> list[int]:
    """The active members' ids, longest-standing first."""
    return list(db.session.scalars(
        select(Membership.user_id).where(Membership.community_id == community.id, Membership.state == "active")
        .order_by(Membership.joined_at, Membership.user_id)))


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
    return dict(db.session.execute(select(User.id, User.username).where(User.id.in_(ids))).all())


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

    totals, speakers = _contributions(community)
    active = {uid for uid, last in totals.last.items() if last >= since} | _chatted_since(community, since)
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
        weeks=_weeks(starts, _weekly_activity(community, starts), questions),
    )


def recent_threads(community: Community, limit: int = RECENT_THREADS) -> list[tuple[int, str]]:
    """(id, title) of the threads a silent member could be invited into: as the thread list orders them."""
    return list(db.session.execute(
        select(Thread.id, Thread.title).where(Thread.community_id == community.id, Thread.locked.is_(False))
        .order_by(Thread.pinned.desc(), Thread.last_activity_at.desc(), Thread.id.desc()).limit(limit)).all())
