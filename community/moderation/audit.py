"""Write the audit log from domain events, after their commit: one listener per kind of action.

Each listener copies the names it needs (the actor's username, the target's
username or title) into the entry, so the log still reads right after an
account or a thread is gone. A person deleting their own content is not
moderation and is not logged; a moderator deleting someone else's is.
"""

from __future__ import annotations

from sqlalchemy import select

from .. import events
from ..accounts.models import User
from ..chat.events import MessageDeleted
from ..communities.models import Community
from ..discussions.events import PostDeleted, ThreadChanged
from ..discussions.models import Thread
from ..extensions import db
from ..resources.events import ResourceDeleted
from .models import AuditEntry

#: Every action the log knows, in the contract's words (the ``action`` filter checks against it).
ACTIONS = ("approved", "refused", "banned", "unbanned", "muted", "unmuted", "role_changed",
           "pinned", "unpinned", "locked", "unlocked", "content_deleted", "invite_created",
           "archived", "unarchived", "settings_changed")
LABEL_MAX = 300


def _username(user_id: int | None) -> str | None:
    return None if user_id is None else db.session.scalar(select(User.username).where(User.id == user_id))


def _thread_title(thread_id: int) -> str:
    return db.session.scalar(select(Thread.title).where(Thread.id == thread_id)) or ""


def record(community_id: int, actor_id: int | None, action: str, target_type: str, target_id: int | None,
           label: str = "", detail: str = "") -> AuditEntry:
    """One entry, committed on its own: the action it records is committed already."""
    entry = AuditEntry(community_id=community_id, actor_id=actor_id, actor_name=_username(actor_id),
                       action=action, target_type=target_type, target_id=target_id,
                       target_label=(label or "")[:LABEL_MAX], detail=detail or "")
    db.session.add(entry)
    events.commit(db.session)
    return entry


@events.listen(events.MembershipChanged)
def membership_changed(event: events.MembershipChanged) -> None:
    action = "role_changed" if event.action == "role" else event.action
    record(event.community_id, event.actor_id, action, "user", event.user_id, _username(event.user_id) or "",
           event.detail)


@events.listen(ThreadChanged)
def thread_flags(event: ThreadChanged) -> None:
    for flag in event.flags:
        record(event.community_id, event.actor_id, flag, "thread", event.thread_id, _thread_title(event.thread_id))


@events.listen(PostDeleted)
def post_deleted(event: PostDeleted) -> None:
    if event.by_moderator:
        record(event.community_id, event.actor_id, "content_deleted", "post", event.post_id,
               _thread_title(event.thread_id))


@events.listen(MessageDeleted)
def message_deleted(event: MessageDeleted) -> None:
    if event.by_moderator:
        record(event.community_id, event.actor_id, "content_deleted", "message", event.message_id)


@events.listen(ResourceDeleted)
def resource_deleted(event: ResourceDeleted) -> None:
    if event.by_moderator:
        record(event.community_id, event.actor_id, "content_deleted", "resource", event.resource_id, event.title)


@events.listen(events.InviteCreated)
def invite_created(event: events.InviteCreated) -> None:
    record(event.community_id, event.actor_id, "invite_created", "invite", event.invite_id,
           detail=f"expires {event.expires_at}")


@events.listen(events.CommunityChanged)
def community_changed(event: events.CommunityChanged) -> None:
    community = db.session.get(Community, event.community_id)
    if community is None:
        return
    if "archived" in event.changes:
        record(community.id, event.actor_id, "archived" if community.archived_at else "unarchived",
               "community", community.id, community.name)
    settings = [change for change in event.changes if change != "archived"]
    if settings:
        record(community.id, event.actor_id, "settings_changed", "community", community.id, community.name,
               ", ".join(settings))
