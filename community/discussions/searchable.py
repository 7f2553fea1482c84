"""Threads and replies in search: the one registration discussions make.

A thread is found by its title, its first post and its tags; a reply by its
text and its thread's tags (its thread's title only labels the result, so a
title match finds the thread once, not every reply in it). Deleted replies
are not returned by ``load``, so they leave the index at once.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ..communities.models import Community
from ..content.events import ContentHidden
from ..extensions import db
from ..markup import plain_text
from ..search.registry import Entry, SearchType, id_batches, searchable
from ..urls import site_path
from .events import PostDeleted, PostEdited, PostReplied, ThreadChanged, ThreadStarted
from .models import Post, Thread, ThreadTag


def _tags(thread_ids) -> dict[int, list[str]]:
    found = defaultdict(list)
    rows = db.session.execute(select(ThreadTag.thread_id, ThreadTag.tag).where(ThreadTag.thread_id.in_(thread_ids))
                              .order_by(ThreadTag.thread_id, ThreadTag.position))
    for thread_id, tag in rows:
        found[thread_id].append(tag)
    return found


def load_threads(ids: list[int]) -> dict[int, Entry]:
    rows = db.session.execute(
        select(Thread, Post.body_html, Community.slug)
        .join(Community, Community.id == Thread.community_id)
        .join(Post, (Post.thread_id == Thread.id) & (Post.depth == 0))
        .where(Thread.id.in_(ids), Thread.hidden_at.is_(None)).options(joinedload(Thread.author)))
    tags = _tags(ids)
    return {thread.id: Entry(type="thread", id=thread.id, community_id=thread.community_id, community_slug=slug,
                             title=thread.title, indexed_title=thread.title, body=plain_text(body_html),
                             url=site_path("discussions.show_thread", thread_id=thread.id), author=thread.author,
                             created_at=thread.created_at,
                             tags=tags.get(thread.id, []))
            for thread, body_html, slug in rows}


def load_replies(ids: list[int]) -> dict[int, Entry]:
    rows = db.session.execute(
        select(Post, Thread.title, Thread.community_id, Community.slug)
        .join(Thread, Thread.id == Post.thread_id).join(Community, Community.id == Thread.community_id)
        .where(Post.id.in_(ids), *_REPLY_SHOWN).options(joinedload(Post.author)))
    rows = list(rows)
    tags = _tags({post.thread_id for post, *_ in rows})
    return {post.id: Entry(type="post", id=post.id, community_id=community_id, community_slug=slug, title=title,
                           indexed_title="", body=plain_text(post.body_html),
                           url=site_path("discussions.show_thread", thread_id=post.thread_id,
                                         _anchor=f"post-{post.id}"), author=post.author,
                           created_at=post.created_at, tags=tags.get(post.thread_id, []))
            for post, title, community_id, slug in rows}


#: A reply is indexed while it is neither deleted nor hidden, nor its thread hidden (the query joins the thread).
_REPLY_SHOWN = (Post.depth > 0, Post.deleted_at.is_(None), Post.hidden_at.is_(None), Thread.hidden_at.is_(None))
_SHOWN_REPLIES = select(Post.id).join(Thread, Thread.id == Post.thread_id).where(*_REPLY_SHOWN)


def _replies_of(thread_id: int) -> list[int]:
    return list(db.session.scalars(select(Post.id).where(Post.thread_id == thread_id, Post.depth > 0,
                                                         Post.deleted_at.is_(None))))


searchable(SearchType(
    name="thread", load=load_threads,
    batches=id_batches(select(Thread.id).where(Thread.hidden_at.is_(None)), Thread.id),
    count=lambda: db.session.scalar(select(func.count()).select_from(Thread).where(Thread.hidden_at.is_(None))) or 0,
    events={ThreadStarted: lambda e: [e.thread_id], ThreadChanged: lambda e: [e.thread_id],
            PostEdited: lambda e: [e.thread_id], PostDeleted: lambda e: [e.thread_id],
            ContentHidden: lambda e: [e.thread_id] if e.whole_thread else []},
))

searchable(SearchType(
    name="post", load=load_replies,
    batches=id_batches(_SHOWN_REPLIES, Post.id),
    count=lambda: db.session.scalar(select(func.count()).select_from(_SHOWN_REPLIES.subquery())) or 0,
    events={PostReplied: lambda e: [e.post_id], PostEdited: lambda e: [e.post_id],
            PostDeleted: lambda e: [e.post_id],
            ThreadChanged: lambda e: _replies_of(e.thread_id) if "tags" in e.changes else [],
            ContentHidden: lambda e: _replies_of(e.thread_id) if e.whole_thread else e.ids("post")},
))
