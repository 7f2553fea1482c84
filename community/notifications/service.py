"""Notifications: create them for whoever may see the place, list them, mark them read.

``notify`` is the one way any capability (discussions, Q&A, chat,
moderation) tells people about something. It asks ``community.access``
whether each recipient may read the community, never notifies the actor,
and records ``NotificationCreated`` for every row so live pushes (the chat
capability's Socket.IO listener) follow the commit.

Lists and counts apply the same rule again when read, through
``access.readable_filter``: someone who loses access to a community (banned,
removed, the community turned private) stops seeing its notifications at once.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import joinedload

from .. import events
from ..access import Action, decide, readable_filter
from ..accounts.models import User
from ..communities.models import Community, Membership
from ..extensions import db
from ..pagination import Page, paginate
from ..timeutil import utcnow
from ..validation import MISSING, Fields
from .events import NotificationCreated
from .models import Notification

TITLE_MAX = 300


def _readers(user_ids: set[int], community_id: int | None) -> list[int]:
    """Those of ``user_ids`` who may read the community, in two queries for any number."""
    if not user_ids:
        return []
    users = db.session.scalars(select(User).where(User.id.in_(user_ids))).all()
    if community_id is None:
        return sorted(u.id for u in users)
    community = db.session.get(Community, community_id)
    if community is None:
        return []
    memberships = {m.user_id: m for m in db.session.scalars(select(Membership).where(
        Membership.community_id == community_id, Membership.user_id.in_(user_ids)))}
    return sorted(u.id for u in users
                  if decide(u, community, Action.READ, memberships.get(u.id)).allowed)


def notify(user_ids: Iterable[int], kind: str, actor_id: int | None, community_id: int | None,
           title: str, url: str, *, commit: bool = True) -> list[Notification]:
    """Notify each of ``user_ids`` who may read ``community_id``, except the actor.

    ``title`` names the thing (a thread's title, a community's name), ``url``
    is its site path (``/threads/7#post-42``). With ``commit=False`` the rows
    join the caller's transaction and its ``events.commit`` delivers the
    ``NotificationCreated`` events. Returns the notifications created.
    """
    return notify_by_reason([(kind, user_ids)], actor_id, community_id, title, url, commit=commit)


def notify_by_reason(reasons: list[tuple[str, Iterable[int]]], actor_id: int | None, community_id: int | None,
                     title: str, url: str, *, commit: bool = True) -> list[Notification]:
    """Like ``notify``, with a kind per group: each person once, by the first group they are in.

    ``[("mention", mentioned), ("reply", {parent_author}), ("thread_reply", followers)]``
    tells everyone about one post by their strongest reason, with one access
    check for all of them.
    """
    kind_of: dict[int, str] = {}
    for kind, user_ids in reasons:
        for uid in user_ids:
            if uid is not None and uid != actor_id:
                kind_of.setdefault(uid, kind)
    recipients = _readers(set(kind_of), community_id)
    now = utcnow()
    rows = [Notification(user_id=uid, kind=kind_of[uid], actor_id=actor_id, community_id=community_id,
                         title=(title or "")[:TITLE_MAX], url=url, created_at=now) for uid in recipients]
    if rows:
        db.session.add_all(rows)
        db.session.flush()
        for row in rows:
            events.record(db.session, NotificationCreated(row.id, row.user_id, row.kind))
    if commit:
        events.commit(db.session)
    return rows


def mark_handled(kind: str, community_id: int, actor_id: int) -> int:
    """Mark read, for everyone who got one, the unread ``kind`` notifications about ``actor_id`` here.

    For requests that one person deals with for all (a join request): once it
    is handled, the others' notifications have nothing left to act on.
    Recipients are members, so the update goes through their unread index.
    Joins the caller's transaction; returns how many changed.
    """
    members = select(Membership.user_id).where(Membership.community_id == community_id)
    return db.session.execute(update(Notification).where(
        Notification.user_id.in_(members), Notification.read_at.is_(None), Notification.kind == kind,
        Notification.community_id == community_id, Notification.actor_id == actor_id)
        .values(read_at=utcnow())).rowcount


def _visible(user):
    """Condition: notifications of ``user`` that they may still see (not about an item hidden since)."""
    return and_(Notification.user_id == user.id, Notification.hidden_by.is_(None),
                or_(Notification.community_id.is_(None),
                    Notification.community_id.in_(select(Community.id).where(readable_filter(user)))))


def list_notifications(user, *, unread: bool = False, limit: int = 20, cursor: str | None = None) -> Page:
    """Newest first, with actor and community loaded for the whole page in the same query."""
    stmt = (select(Notification).where(_visible(user))
            .options(joinedload(Notification.actor), joinedload(Notification.community)))
    if unread:
        stmt = stmt.where(Notification.read_at.is_(None))
    return paginate(stmt, (Notification.id,), lambda n: (n.id,), limit=limit, cursor=cursor, descending=True)


def unread_count(user) -> int:
    return db.session.scalar(select(func.count()).select_from(Notification)
                             .where(_visible(user), Notification.read_at.is_(None))) or 0


def unread_count_for_current_user() -> int:
    """For templates (the badge in the header): 0 when nobody is signed in."""
    if not current_user or not current_user.is_authenticated:
        return 0
    return unread_count(current_user)


def mark_read(user, data: dict, *, from_form: bool = False) -> int:
    """Mark ``ids`` (the caller's own; others are ignored) or ``all`` as read; returns how many changed."""
    fields = Fields(data, from_form=from_form)
    mark_all = fields.boolean("all")
    ids = fields.integers("ids", minimum=1)
    if ids is MISSING:
        ids = None
    if mark_all is not True and not ids:
        fields.problem("ids", _l("Give the ids to mark as read, or all: true."))
    fields.check()
    stmt = update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    if mark_all is not True:
        stmt = stmt.where(Notification.id.in_(ids))
    changed = db.session.execute(stmt.values(read_at=utcnow())).rowcount
    events.commit(db.session)
    return changed


def open_notification(user, notification_id: int) -> str | None:
    """Mark one notification read and return where it points; None if it is not theirs to see."""
    notification = db.session.scalar(select(Notification).where(_visible(user), Notification.id == notification_id))
    if notification is None:
        return None
    if notification.read_at is None:
        notification.read_at = utcnow()
        events.commit(db.session)
    return notification.url
