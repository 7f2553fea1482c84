"""Every discussion action: one function per thing a person does.

The JSON API and the HTML pages call these alike. Each loads what it acts
on through ``rules`` (which asks ``community.access``), validates with
``Fields``, writes, records a domain event and commits; listeners
(notifications, search, live pushes) run after the commit.

Counters are updated with ``SET n = n + 1`` and reactions and follows are
inserted with ``ON CONFLICT DO NOTHING``, so racing requests neither lose
updates nor fail on the unique keys (see FIELD-NOTES on SQLite).
"""

from __future__ import annotations

import secrets
import unicodedata

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select, update

from .. import events
from ..access import Action, readable_filter, require
from ..accounts.models import User
from ..accounts.service import stat_provider
from ..communities.models import Community
from ..content.checks import check_post_like
from ..database import insert_ignore
from ..extensions import db
from ..markup import find_mentions, render_with_mentions
from ..timeutil import utcnow
from ..validation import MISSING, Fields
from . import rules
from .events import PostDeleted, PostEdited, PostReplied, ReactionChanged, ThreadChanged, ThreadStarted
from .models import Post, PostRevision, Reaction, Thread, ThreadFollow, ThreadTag, path_segment
from .reading import reaction_set, reaction_summary, thread_tags

#: Replies to a post this deep become replies to its parent: paths stay
#: bounded (``Post.path`` is 400 characters) and pages stay readable.
MAX_DEPTH = 50


def _mentions(body: str) -> tuple[str, ...]:
    """Mentions of an earlier version (rendering again costs a millisecond; most have none)."""
    return tuple(find_mentions(body)) if "@" in body else ()


def _follow(thread_id: int, user_id: int) -> bool:
    return insert_ignore(ThreadFollow, thread_id=thread_id, user_id=user_id, created_at=utcnow())


def _set_tags(thread: Thread, tags: list[str]) -> None:
    db.session.execute(delete(ThreadTag).where(ThreadTag.thread_id == thread.id))
    db.session.add_all(ThreadTag(thread_id=thread.id, tag=tag, position=i) for i, tag in enumerate(tags))


def _insert_post(thread: Thread, parent: Post | None, author: User, body: str,
                 now) -> tuple[Post, tuple[str, ...]]:
    """Add a post with its rendered HTML and its place in the tree; also return its mentions.

    The path ends in the post's own id, known only after the insert, so the
    row goes in with a unique placeholder and gets its path in the same
    transaction.
    """
    body_html, mentions = render_with_mentions(body)
    post = Post(thread_id=thread.id, parent_id=parent.id if parent else None, author_id=author.id,
                depth=parent.depth + 1 if parent else 0, path="~" + secrets.token_hex(8),
                body=body, body_html=body_html, created_at=now)
    db.session.add(post)
    db.session.flush()
    post.path = (parent.path if parent else "") + path_segment(post.id)
    return post, tuple(mentions)


def start_thread(user: User, community: Community, title: str, body: str, tags: list[str] = MISSING) -> Thread:
    """A new thread with its first post; the author follows it."""
    require(user, community, Action.WRITE)
    clean = check_post_like(title=title, body=body, tags=tags, title_required=True, body_required=True)
    title, body, tags = clean["title"], clean["body"], clean.get("tags", MISSING)
    now = utcnow()
    thread = Thread(community_id=community.id, author_id=user.id, title=title, pinned=False, locked=False,
                    reply_count=0, created_at=now, last_activity_at=now)
    db.session.add(thread)
    db.session.flush()
    _set_tags(thread, [] if tags is MISSING else tags)
    post, mentions = _insert_post(thread, None, user, body, now)
    _follow(thread.id, user.id)
    events.record(db.session, ThreadStarted(thread.id, post.id, community.id, user.id, title, mentions))
    events.commit(db.session)
    return thread


def _parent(thread: Thread, parent_id, fields: Fields) -> Post:
    if parent_id in (MISSING, None):
        return db.session.scalar(select(Post).where(Post.thread_id == thread.id, Post.depth == 0))
    parent = db.session.scalar(select(Post).where(Post.id == parent_id, Post.thread_id == thread.id))
    if parent is None or parent.hidden_at is not None:  # a hidden post is not there for a reply (moderators' neither)
        fields.problem("parent_id", _l("There is no such post in this thread."))
    elif parent.deleted and parent.depth > 0:
        fields.problem("parent_id", _l("This post was deleted; reply to another one."))
    fields.check()
    if parent.depth >= MAX_DEPTH:
        parent = db.session.get(Post, parent.parent_id)
    return parent


def post_reply(user: User, thread_id: int, body: str, parent_id: int | None = None) -> Post:
    """A reply to the thread (its first post) or to any post in ``parent_id``; the author follows the thread."""
    ctx = rules.thread_context(user, thread_id, writing=True)
    rules.require_reply(user, ctx)
    body = check_post_like(body=body, body_required=True)["body"]
    fields = Fields({"parent_id": parent_id})
    parent_id = fields.integer("parent_id", minimum=1, nullable=True)
    fields.check()
    thread = ctx.thread
    parent = _parent(thread, parent_id, fields)
    now = utcnow()
    post, mentions = _insert_post(thread, parent, user, body, now)
    db.session.execute(update(Thread).where(Thread.id == thread.id)
                       .values(reply_count=Thread.reply_count + 1, last_activity_at=now))
    _follow(thread.id, user.id)
    events.record(db.session, PostReplied(thread.id, post.id, parent.id, parent.author_id, thread.community_id,
                                          user.id, thread.title, mentions))
    events.commit(db.session)
    return post


def _keep_revision(post: Post, now) -> None:
    db.session.add(PostRevision(post_id=post.id, editor_id=post.edited_by_id or post.author_id,
                                body=post.body, body_html=post.body_html,
                                created_at=post.edited_at or post.created_at, replaced_at=now))


def edit_post(user: User, post_id: int, body: str) -> Post:
    """New text for a post (author or moderator); the earlier version is kept as a revision."""
    post, ctx = rules.post_context(user, post_id, writing=True)
    rules.require_edit_post(user, ctx, post)
    body = check_post_like(body=body, body_required=True)["body"]
    if body == post.body:
        return post
    now = utcnow()
    before = set(_mentions(post.body))
    _keep_revision(post, now)
    post.body_html, mentions = render_with_mentions(body)
    post.body = body
    post.edited_at, post.edited_by_id = now, user.id
    new_mentions = tuple(name for name in mentions if name not in before)
    events.record(db.session, PostEdited(ctx.thread.id, post.id, ctx.thread.community_id, user.id,
                                         ctx.thread.title, new_mentions))
    events.commit(db.session)
    return post


def delete_post(user: User, post_id: int) -> None:
    """Soft delete: the post stays in the tree, empty; its text is kept as a revision for moderators."""
    post, ctx = rules.post_context(user, post_id, writing=True)
    rules.require_delete_post(user, ctx, post)
    if post.deleted:
        return
    now = utcnow()
    _keep_revision(post, now)
    post.body, post.body_html, post.deleted_at = "", "", now
    db.session.execute(delete(Reaction).where(Reaction.post_id == post.id))
    if post.depth > 0 and post.hidden_at is None:  # a hidden reply left the count when it was hidden
        db.session.execute(update(Thread).where(Thread.id == ctx.thread.id)
                           .values(reply_count=Thread.reply_count - 1))
    by_moderator = post.author_id != user.id
    events.record(db.session, PostDeleted(ctx.thread.id, post.id, ctx.thread.community_id, user.id,
                                          by_moderator))
    events.commit(db.session)


def _bare(emoji: str) -> str:
    return unicodedata.normalize("NFC", emoji).replace("\ufe0f", "")


def _read_emoji(emoji: str) -> str:
    """One of the configured reactions; ❤ without its variation selector counts as ❤️."""
    fields = Fields({} if emoji is MISSING else {"emoji": emoji})
    emoji = fields.text("emoji", required=True, max_len=32)
    fields.check()
    allowed = reaction_set()
    emoji = {_bare(e): e for e in allowed}.get(_bare(emoji), emoji)
    if emoji not in allowed:
        fields.problem("emoji", _l("Choose one of: %(options)s.", options=" ".join(allowed)))
    fields.check()
    return emoji


def react(user: User, post_id: int, emoji: str) -> tuple[dict[str, int], list[str]]:
    """Add the caller's reaction (again is a no-op); returns the post's reactions and the caller's."""
    post, ctx = rules.post_context(user, post_id, writing=True)
    rules.require_react(user, ctx, post)
    emoji = _read_emoji(emoji)
    if insert_ignore(Reaction, post_id=post.id, user_id=user.id, emoji=emoji, created_at=utcnow()):
        events.record(db.session, ReactionChanged(post.id, ctx.thread.id, ctx.thread.community_id,
                                                  user.id, emoji, True))
    events.commit(db.session)
    return post_reactions(post.id, user)


def unreact(user: User, post_id: int, emoji: str) -> tuple[dict[str, int], list[str]]:
    """Remove the caller's reaction (absent is a no-op); returns like ``react``."""
    post, ctx = rules.post_context(user, post_id, writing=True)
    rules.require_react(user, ctx, post)
    emoji = _read_emoji(emoji)
    done = db.session.execute(delete(Reaction).where(Reaction.post_id == post.id, Reaction.user_id == user.id,
                                                     Reaction.emoji == emoji))
    if done.rowcount:
        events.record(db.session, ReactionChanged(post.id, ctx.thread.id, ctx.thread.community_id,
                                                  user.id, emoji, False))
    events.commit(db.session)
    return post_reactions(post.id, user)


def toggle_reaction(user: User, post_id: int, emoji: str) -> tuple[dict[str, int], list[str]]:
    """For the HTML page's buttons: add the reaction, or remove it if the caller has it."""
    _, mine = post_reactions(post_id, user)
    return (unreact if emoji in mine else react)(user, post_id, emoji)


def post_reactions(post_id: int, user: User) -> tuple[dict[str, int], list[str]]:
    """Counts per emoji in the configured order, and the caller's own emoji."""
    summary = reaction_summary(Reaction.post_id == post_id, user)
    return summary.get(post_id, ({}, []))


def change_thread(user: User, thread_id: int, *, title: str = MISSING, tags: list[str] = MISSING,
                  pinned: bool = MISSING, locked: bool = MISSING) -> rules.ThreadContext:
    """Change title or tags (author or moderator) and pinned or locked (moderators); MISSING: unchanged."""
    ctx = rules.thread_context(user, thread_id, writing=True)
    given = {name for name, value in (("title", title), ("tags", tags), ("pinned", pinned), ("locked", locked))
             if value is not MISSING and (value is not None or name == "tags")}
    rules.require_change_thread(user, ctx, content=bool(given & {"title", "tags"}),
                                flags=bool(given & {"pinned", "locked"}))
    clean = check_post_like(title=title if "title" in given else MISSING,
                            tags=tags if "tags" in given else MISSING)
    title, tags = clean.get("title", MISSING), clean.get("tags", MISSING)
    flags = Fields({name: value for name, value in (("pinned", pinned), ("locked", locked)) if name in given})
    pinned, locked = flags.boolean("pinned"), flags.boolean("locked")
    flags.check()
    thread, changes = ctx.thread, []
    for name, value in (("title", title), ("pinned", pinned), ("locked", locked)):
        if value is not MISSING and getattr(thread, name) != value:
            setattr(thread, name, value)
            changes.append(name)
    if tags is not MISSING and tags != thread_tags([thread.id]).get(thread.id, []):
        _set_tags(thread, tags)
        changes.append("tags")
    if changes:
        flags = tuple(("" if getattr(thread, name) else "un") + name
                      for name in changes if name in ("pinned", "locked"))
        events.record(db.session, ThreadChanged(thread.id, thread.community_id, user.id, tuple(changes), flags))
    events.commit(db.session)
    return ctx


def follow_thread(user: User, thread_id: int) -> bool:
    """Get notified of every reply in the thread; anyone who may read it may follow."""
    rules.thread_context(user, thread_id)
    _follow(thread_id, user.id)
    events.commit(db.session)
    return True


def unfollow_thread(user: User, thread_id: int) -> bool:
    rules.thread_context(user, thread_id)
    db.session.execute(delete(ThreadFollow).where(ThreadFollow.thread_id == thread_id,
                                                  ThreadFollow.user_id == user.id))
    events.commit(db.session)
    return False


def get_post(user: User, post_id: int) -> tuple[Post, rules.ThreadContext]:
    return rules.post_context(user, post_id)


@stat_provider("posts")
def count_posts(user: User, viewer) -> int:
    """Posts (first posts and replies) ``user`` wrote, did not delete, and ``viewer`` may read."""
    return db.session.scalar(
        select(func.count()).select_from(Post)
        .join(Thread, Thread.id == Post.thread_id).join(Community, Community.id == Thread.community_id)
        .where(Post.author_id == user.id, Post.deleted_at.is_(None), Post.hidden_at.is_(None),
               Thread.hidden_at.is_(None), readable_filter(viewer))) or 0
