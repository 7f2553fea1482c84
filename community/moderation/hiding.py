"""Hide an item from everyone but the community's moderators, and show it again.

Hiding sets the item's ``hidden_at`` (a thread's first post hides the
thread), which every reader drops through ``access.shown``; it takes the
item out of the counters that name it (a thread's replies, a question's
answers), so not even a count gives it away; and it marks the
notifications about it (``Notification.hidden_by``) for everyone but the
moderators. ``ContentHidden`` after the commit takes it out of the search
index, writes the audit log and tells the chat room.
"""

from __future__ import annotations

from sqlalchemy import or_, select, update

from .. import events
from ..access import moderator_ids
from ..content.events import ContentHidden
from ..content.targets import Target
from ..discussions.models import Post, Thread
from ..extensions import db
from ..notifications.models import Notification
from ..qa.models import Question
from ..timeutil import utcnow


def _count_change(target: Target, step: int) -> None:
    """A reply leaves its thread's ``reply_count`` while hidden, an answer its question's ``answer_count``."""
    if target.type == "post" and not target.whole_thread and not target.item.deleted:
        db.session.execute(update(Thread).where(Thread.id == target.thread.id)
                           .values(reply_count=Thread.reply_count + step))
    elif target.type == "answer":
        db.session.execute(update(Question).where(Question.id == target.question.id)
                           .values(answer_count=Question.answer_count + step))


def _about(target: Target):
    """The notifications that point at the item (a whole thread or question: at anything on its page)."""
    path = target.url.partition("#")[0] if target.type in ("question", "resource") or target.whole_thread else None
    if path is None:
        return Notification.url == target.url
    return or_(Notification.url == path, Notification.url.startswith(path + "#", autoescape=True))


def _parent_key(target: Target) -> str | None:
    """The key of a hidden thread or question this item sits in, if any: its notifications stay hidden by that."""
    parent = target.parent
    if parent is None or parent[1].hidden_at is None:
        return None
    kind, item = parent
    return f"post:{_first_post_id(item)}" if kind == "thread" else f"question:{item.id}"


def _first_post_id(thread: Thread) -> int:
    return db.session.scalar(select(Post.id).where(Post.thread_id == thread.id, Post.depth == 0))


def _notifications(target: Target, hidden: bool) -> None:
    key = target.key
    if hidden:
        readers = Notification.user_id.not_in(sorted(moderator_ids(target.community.id)) or [-1])
        stmt = (update(Notification).where(Notification.community_id == target.community.id,
                                           Notification.hidden_by.is_(None), _about(target), readers)
                .values(hidden_by=key))
    else:
        stmt = update(Notification).where(Notification.hidden_by == key).values(hidden_by=_parent_key(target))
    db.session.execute(stmt.execution_options(synchronize_session=False))


def set_hidden(actor, target: Target, hidden: bool, reason: str = "") -> bool:
    """Hide or show ``target`` in the caller's transaction; False if it already was so (nothing changes)."""
    item = target.item
    if (item.hidden_at is not None) == hidden:
        return False
    now = utcnow() if hidden else None
    item.hidden_at = now
    if target.whole_thread:
        target.thread.hidden_at = now
    _count_change(target, -1 if hidden else 1)
    _notifications(target, hidden)
    events.record(db.session, ContentHidden(
        community_id=target.community.id, actor_id=actor.id, target_type=target.type, target_id=item.id,
        hidden=hidden, thread_id=target.thread.id if target.thread else None, whole_thread=target.whole_thread,
        question_id=target.question.id if target.question else None, label=target.label, reason=reason))
    return True
