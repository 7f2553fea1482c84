"""Thread-level permission rules, built on ``community.access.decide``.

``access`` answers for the community (read, write, moderate); this module
adds only what threads add on top: a locked thread refuses replies and
author edits except from moderators, authors may change their own posts,
deleted posts take no new replies, edits or reactions. Every refusal is a
domain error carrying the contract's code.

Reading is all-or-nothing: whoever may not read the community gets 404 for
its threads and posts, so nothing confirms that they exist. Writing refuses
with the reason (``banned``, ``forbidden``, ``muted``, ``locked``) once the
caller may know the thread exists (banned members of a public community do).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_

from ..access import Action
from ..content.context import (
    ContentContext,
    context_query,
    is_author,
    is_moderator,
    load_context,
    require_moderate,
    require_write,
    user_id,
)
from ..errors import Forbidden, NotFound
from .models import Post, Thread, ThreadFollow


class ThreadContext(ContentContext):
    """A thread (``item``) with its community, the caller's membership and whether they follow it."""

    @property
    def thread(self) -> Thread:
        return self.item

    @property
    def following(self) -> bool:
        return self.extra[0] is not None


def _context_query(user):
    return (context_query(user, Thread).add_columns(ThreadFollow.user_id)
            .outerjoin(ThreadFollow, and_(ThreadFollow.thread_id == Thread.id, ThreadFollow.user_id == user_id(user))))


def _thread_context(ctx: ContentContext) -> ThreadContext:
    return ThreadContext(ctx.item, ctx.community, ctx.membership, ctx.extra[:1])


def thread_context(user, thread_id: int, *, writing: bool = False) -> ThreadContext:
    """The thread if ``user`` may read it, else ``NotFound`` (also when it does not exist).

    ``writing``: the caller is about to check a write, so a banned member gets
    ``banned`` instead of ``NotFound``; the write rules still apply after this.
    """
    return _thread_context(load_context(user, _context_query(user).where(Thread.id == thread_id), writing=writing))


def post_context(user, post_id: int, *, writing: bool = False) -> tuple[Post, ThreadContext]:
    """The post and its thread if ``user`` may read them, else ``NotFound`` (see ``thread_context``)."""
    stmt = _context_query(user).add_columns(Post).join(Post, Post.thread_id == Thread.id).where(Post.id == post_id)
    ctx = load_context(user, stmt, writing=writing)
    return ctx.extra[1], _thread_context(ctx)


def _require_not_locked(user, ctx: ThreadContext) -> None:
    if ctx.thread.locked and not is_moderator(user, ctx):
        raise Forbidden(_l("This thread is locked."), code="locked")


def require_reply(user, ctx: ThreadContext) -> None:
    """Write access, and the thread not locked (moderators may still post)."""
    require_write(user, ctx)
    _require_not_locked(user, ctx)


def _require_alive(post: Post) -> None:
    if post.deleted:
        raise NotFound(_l("This post was deleted."))


def require_edit_post(user, ctx: ThreadContext, post: Post) -> None:
    """Moderators edit any post; authors their own, with write access, unless the thread is locked."""
    _require_alive(post)
    if is_moderator(user, ctx):
        return
    require_write(user, ctx)
    if not is_author(user, post):
        raise Forbidden(_l("Only the author or a moderator may edit this post."))
    _require_not_locked(user, ctx)


def require_delete_post(user, ctx: ThreadContext, post: Post) -> None:
    """Moderators delete any post; authors their own, even in a locked thread."""
    if is_moderator(user, ctx):
        return
    require_write(user, ctx)
    if not is_author(user, post):
        raise Forbidden(_l("Only the author or a moderator may delete this post."))


def require_react(user, ctx: ThreadContext, post: Post) -> None:
    """Reacting is writing; a locked thread still takes reactions, a deleted post does not."""
    require_write(user, ctx)
    _require_alive(post)


def require_change_thread(user, ctx: ThreadContext, *, content: bool, flags: bool) -> None:
    """Title and tags: the author or a moderator; pinned and locked: moderators only.

    A change that names neither counts as a content change, so an empty
    request tells a stranger nothing they could not do.
    """
    if is_moderator(user, ctx):
        return
    if not content and not flags:
        content = True
    if flags:
        require_moderate(user, ctx)
    if content:
        require_write(user, ctx)
        if not is_author(user, ctx.thread):
            raise Forbidden(_l("Only the author or a moderator may change this thread."))
        _require_not_locked(user, ctx)


def may_see_revisions(user, ctx: ThreadContext, post: Post) -> bool:
    """Earlier versions are for the post's author and moderators only.

    A moderator who edits out a phone number, or an author who deletes a
    post, must not leave the old text readable by everyone.
    """
    return is_moderator(user, ctx) or (is_author(user, post) and not post.deleted)


@dataclass(frozen=True)
class Abilities:
    """What a page may offer one reader on one thread, decided once for all its posts.

    The same rules as the ``require_*`` functions above, as plain booleans,
    because a thousand-post page cannot afford three raised exceptions per
    post. The services still check every action; a test keeps the two
    forms in agreement.
    """

    user_id: int
    moderator: bool
    write: bool
    locked: bool

    @property
    def reply(self) -> bool:
        return self.moderator or (self.write and not self.locked)

    @property
    def moderate(self) -> bool:
        return self.moderator

    def edit(self, post: Post) -> bool:
        return not post.deleted and (self.moderator or (
            self.write and not self.locked and post.author_id == self.user_id))

    def delete(self, post: Post) -> bool:
        return not post.deleted and (self.moderator or (self.write and post.author_id == self.user_id))

    def react(self, post: Post) -> bool:
        return self.write and not post.deleted

    def flag(self, post: Post) -> bool:
        """Any reader flags someone else's post (muted members too: reading is enough)."""
        return self.user_id > 0 and not post.deleted and post.author_id != self.user_id

    def change_thread(self, thread: Thread) -> bool:
        return self.moderator or (self.write and not self.locked and thread.author_id == self.user_id)


def abilities(user, ctx: ThreadContext) -> Abilities:
    return Abilities(user_id=user_id(user), moderator=is_moderator(user, ctx),
                     write=ctx.decide(user, Action.WRITE).allowed, locked=ctx.thread.locked)
