"""Reading discussions: a thread with all its posts, thread lists, revisions.

A thread page is a fixed number of queries whatever its size: the thread
with its community, the caller's membership and follow (one query), every
post in tree order (one range scan on ``(thread_id, path)``), their distinct
authors (one query), reaction counts with the caller's own reactions (one
grouped query) and the tags (one query).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload

from ..access import sees_hidden
from ..accounts.models import User
from ..communities.models import Community
from ..content.context import shown_in_list
from ..errors import Forbidden, NotFound
from ..extensions import db
from ..pagination import Page, paginate
from . import rules
from .models import Post, PostRevision, Reaction, Thread, ThreadFollow, ThreadTag


def reaction_set() -> tuple[str, ...]:
    return tuple(current_app.config["REACTIONS"])


@dataclass(slots=True)
class PostRecord:
    """A post read for display: plain attributes, no ORM bookkeeping.

    A thread page reads every post and writes none, and building a thousand
    ORM instances costs several times the query; these carry the same
    attribute names as ``Post``, so serializers and templates take either.
    """

    id: int
    thread_id: int
    parent_id: int | None
    author_id: int | None
    depth: int
    path: str
    body: str
    body_html: str
    created_at: datetime
    edited_at: datetime | None
    deleted_at: datetime | None
    hidden_at: datetime | None = None
    author: User | None = None

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None


_RECORD_COLUMNS = [Post.__table__.c[name] for name in (
    "id", "thread_id", "parent_id", "author_id", "depth", "path", "body", "body_html",
    "created_at", "edited_at", "deleted_at", "hidden_at")]


@dataclass
class PostView:
    post: Post | PostRecord
    reactions: dict[str, int] = field(default_factory=dict)
    my_reactions: list[str] = field(default_factory=list)


@dataclass
class ThreadView:
    ctx: rules.ThreadContext
    tags: list[str]
    posts: list[PostView]

    @property
    def thread(self) -> Thread:
        return self.ctx.thread


@dataclass
class ThreadSummary:
    thread: Thread
    tags: list[str]


def thread_tags(thread_ids: list[int]) -> dict[int, list[str]]:
    """Tags of many threads in one query, each list in the order given."""
    if not thread_ids:
        return {}
    tags: dict[int, list[str]] = {}
    rows = db.session.execute(select(ThreadTag.thread_id, ThreadTag.tag)
                              .where(ThreadTag.thread_id.in_(thread_ids))
                              .order_by(ThreadTag.thread_id, ThreadTag.position))
    for thread_id, tag in rows:
        tags.setdefault(thread_id, []).append(tag)
    return tags


def followers(thread_id: int) -> set[int]:
    """Ids of everyone following the thread (for notifications; access is checked there)."""
    return set(db.session.scalars(select(ThreadFollow.user_id).where(ThreadFollow.thread_id == thread_id)))


def reaction_summary(condition, user) -> dict[int, tuple[dict[str, int], list[str]]]:
    """``{post_id: ({emoji: count}, [the caller's emoji])}`` for the reactions matching ``condition``.

    One grouped query: the caller's own reactions come out of the same rows
    as the counts. Emoji are ordered as configured; any no longer configured last.
    """
    uid = user.id if user is not None and getattr(user, "is_authenticated", False) else -1
    mine = func.max(case((Reaction.user_id == uid, 1), else_=0))
    rows = db.session.execute(select(Reaction.post_id, Reaction.emoji, func.count(), mine)
                              .where(condition).group_by(Reaction.post_id, Reaction.emoji))
    order = {emoji: i for i, emoji in enumerate(reaction_set())}
    summary: dict[int, tuple[dict[str, int], list[str]]] = {}
    for post_id, emoji, count, is_mine in sorted(rows, key=lambda r: (r[0], order.get(r[1], len(order)), r[1])):
        counts, own = summary.setdefault(post_id, ({}, []))
        counts[emoji] = count
        if is_mine:
            own.append(emoji)
    return summary


def thread_posts(thread_id: int) -> list[PostRecord]:
    """Every post of the thread in tree order: one range scan of ``(thread_id, path)``."""
    rows = db.session.execute(select(*_RECORD_COLUMNS).where(Post.thread_id == thread_id).order_by(Post.path))
    return [PostRecord(*row) for row in rows]


def attach_authors(posts: list[PostRecord]) -> None:
    """Set ``author`` on every post from one query for all distinct authors."""
    ids = {p.author_id for p in posts if p.author_id is not None}
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))} if ids else {}
    for post in posts:
        post.author = users.get(post.author_id)


def thread_view(user, thread_id: int) -> ThreadView:
    """The thread as ``user`` sees it; ``NotFound`` if they may not read it."""
    ctx = rules.thread_context(user, thread_id)
    posts = thread_posts(thread_id)
    if not sees_hidden(user, ctx.community, ctx.membership):
        for post in posts:
            if post.hidden_at is not None:  # keeps its place in the tree, as a removed post does
                post.body = post.body_html = ""
                post.deleted_at, post.hidden_at, post.author_id = post.deleted_at or post.hidden_at, None, None
    attach_authors(posts)
    reactions = reaction_summary(Reaction.post_id.in_(select(Post.id).where(Post.thread_id == thread_id)), user)
    views = [PostView(post, *reactions.get(post.id, ({}, []))) for post in posts]
    return ThreadView(ctx, thread_tags([thread_id]).get(thread_id, []), views)


def list_threads(user, community: Community, *, tag: str | None = None, limit: int = 20,
                 cursor: str | None = None) -> Page:
    """Threads of a community, pinned first, then by last activity; items are ``ThreadSummary``."""
    shown = shown_in_list(user, community, Thread.hidden_at)
    stmt = select(Thread).options(joinedload(Thread.author)).where(Thread.community_id == community.id, shown)
    if tag:
        stmt = stmt.where(Thread.id.in_(select(ThreadTag.thread_id).where(ThreadTag.tag == tag.strip().lower())))
    page = paginate(stmt, (Thread.pinned, Thread.last_activity_at, Thread.id),
                    lambda t: (t.pinned, t.last_activity_at, t.id), limit=limit, cursor=cursor,
                    descending=True)
    tags = thread_tags([t.id for t in page.items])
    page.items = [ThreadSummary(t, tags.get(t.id, [])) for t in page.items]
    return page


def popular_tags(community: Community, *, limit: int = 12) -> list[str]:
    """The community's most used thread tags, most used first: the choices of the tag filter."""
    uses = func.count().label("uses")
    rows = db.session.execute(select(ThreadTag.tag, uses).join(Thread, Thread.id == ThreadTag.thread_id)
                              .where(Thread.community_id == community.id)
                              .group_by(ThreadTag.tag).order_by(uses.desc(), ThreadTag.tag).limit(limit))
    return [tag for tag, _uses in rows]


def list_revisions(user, post_id: int, *, limit: int = 20, cursor: str | None = None) -> Page:
    """Earlier versions of a post, newest first: for its author and moderators."""
    post, ctx = rules.post_context(user, post_id)
    if not rules.may_see_revisions(user, ctx, post):
        if post.deleted:
            raise NotFound()
        raise Forbidden()
    stmt = (select(PostRevision).options(joinedload(PostRevision.editor))
            .where(PostRevision.post_id == post.id))
    return paginate(stmt, (PostRevision.id,), lambda r: (r.id,), limit=limit, cursor=cursor, descending=True)

