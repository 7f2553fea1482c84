"""A moderator's invitation into a thread, as a ``thread_invite`` notification to each member invited."""

from __future__ import annotations

from .. import events
from ..insight.events import MembersInvitedToThread
from ..urls import site_path
from .service import notify


@events.listen(MembersInvitedToThread)
def thread_invitations(event: MembersInvitedToThread) -> None:
    notify(set(event.user_ids), "thread_invite", event.actor_id, event.community_id, event.title,
           site_path("discussions.show_thread", thread_id=event.thread_id))
