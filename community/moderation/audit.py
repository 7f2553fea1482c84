"""Write the audit log from domain events, after their commit: one listener per kind of action.

Each listener copies the names it needs (the actor's username, the target's
username or title) into the entry, so the log still reads right after an
account or a thread is gone. A person deleting their own content is not
moderation and is not logged; a moderator deleting someone else's is.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from .. import events
from ..accounts.models import User
from ..chat.events import MessageDeleted
from ..communities.models import Community
from ..content.events import ContentHidden
from ..discussions.events import PostDeleted, ThreadChanged
from ..discussions.models import Thread
from ..extensions import db
from ..resources.events import ResourceDeleted
from .flags import FlagDismissed
from .models import AuditEntry

#: Every action the log knows, with what it reads as after the moderator's name on the page
#: ("mod banned sanne"). Its keys are the ``action`` filter's choices.
ACTION_LABELS = {
    "approved": _l("approved the request of"), "refused": _l("refused the request of"),
    "banned": _l("banned"), "unbanned": _l("unbanned"), "muted": _l("muted"), "unmuted": _l("unmuted"),
    "role_changed": _l("changed the role of"), "pinned": _l("pinned"), "unpinned": _l("unpinned"),
    "locked": _l("locked"), "unlocked": _l("unlocked"), "content_deleted": _l("deleted"),
    "invite_created": _l("made an invite link"), "invite_revoked": _l("revoked an invite link"),
    "archived": _l("archived"), "unarchived": _l("unarchived"),
    "settings_changed": _l("changed the settings of"), "hidden": _l("hid"), "unhidden": _l("showed again"),
    "flag_dismissed": _l("dismissed a flag on"),
}
ACTIONS = tuple(ACTION_LABELS)
#: Actions whose ``detail`` is a moment (ISO 8601): a mute's end, an invite link's expiry.
UNTIL = ("muted", "invite_created")
LABEL_MAX = 300


def _username(user_id: int | None) -> str | None:
    return None if user_id is None else db.session.scalar(select(User.username).where(User.id == user_id))


def _thread_title(thread_id: int) -> str:
    return db.session.scalar(select(Thread.title).where(Thread.id == thread_id)) or ""


def _entry(community_id: int, actor_id: int | None, action: str, target_type: str, target_id: int | None,
           label: str = "", detail: str = "", reason: str = "") -> AuditEntry:
    return AuditEntry(community_id=community_id, actor_id=actor_id, actor_name=_username(actor_id),
                      action=action, target_type=target_type, target_id=target_id,
                      target_label=(label or "")[:LABEL_MAX], detail=detail or "", reason=reason or "")


def record(*entries: AuditEntry) -> None:
    """The entries of one event, in one commit of their own: the action they record is committed already."""
    if entries:
        db.session.add_all(entries)
        events.commit(db.session)


@events.listen(events.MembershipChanged)
def membership_changed(event: events.MembershipChanged) -> None:
    action = "role_changed" if event.action == "role" else event.action
    record(_entry(event.community_id, event.actor_id, action, "user", event.user_id,
                  _username(event.user_id) or "", event.detail, event.reason))


@events.listen(ThreadChanged)
def thread_flags(event: ThreadChanged) -> None:
    if event.flags:
        title = _thread_title(event.thread_id)
        record(*(_entry(event.community_id, event.actor_id, flag, "thread", event.thread_id, title)
                 for flag in event.flags))


@events.listen(PostDeleted)
def post_deleted(event: PostDeleted) -> None:
    if event.by_moderator:
        record(_entry(event.community_id, event.actor_id, "content_deleted", "post", event.post_id,
                      _thread_title(event.thread_id)))


@events.listen(MessageDeleted)
def message_deleted(event: MessageDeleted) -> None:
    if event.by_moderator:
        record(_entry(event.community_id, event.actor_id, "content_deleted", "message", event.message_id))


@events.listen(ResourceDeleted)
def resource_deleted(event: ResourceDeleted) -> None:
    if event.by_moderator:
        record(_entry(event.community_id, event.actor_id, "content_deleted", "resource", event.resource_id,
                      event.title))


@events.listen(events.InviteCreated)
def invite_created(event: events.InviteCreated) -> None:
    record(_entry(event.community_id, event.actor_id, "invite_created", "invite", event.invite_id,
                  detail=event.expires_at))


@events.listen(events.CommunityChanged)
def community_changed(event: events.CommunityChanged) -> None:
    community = db.session.get(Community, event.community_id)
    if community is None:
        return
    entries = []
    if "archived" in event.changes:
        entries.append(_entry(community.id, event.actor_id, "archived" if community.archived_at else "unarchived",
                              "community", community.id, community.name))
    settings = [change for change in event.changes if change != "archived"]
    if settings:
        entries.append(_entry(community.id, event.actor_id, "settings_changed", "community", community.id,
                              community.name, ", ".join(settings)))
    record(*entries)


@events.listen(ContentHidden)
def content_hidden(event: ContentHidden) -> None:
    target_type = "thread" if event.whole_thread else event.target_type
    target_id = event.thread_id if event.whole_thread else event.target_id
    record(_entry(event.community_id, event.actor_id, "hidden" if event.hidden else "unhidden", target_type,
                  target_id, event.label, reason=event.reason))


@events.listen(FlagDismissed)
def flag_dismissed(event: FlagDismissed) -> None:
    record(_entry(event.community_id, event.actor_id, "flag_dismissed", event.target_type, event.target_id,
                  event.label, reason=event.reason))


@events.listen(events.InviteRevoked)
def invite_revoked(event: events.InviteRevoked) -> None:
    record(_entry(event.community_id, event.actor_id, "invite_revoked", "invite", event.invite_id))
