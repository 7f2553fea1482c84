"""Notifications of a cohort's lifecycle, after the commit.

A follow-up prompt posted and a cohort entering its follow-up phase tell
every active member. ``notify`` still leaves out the actor and anyone who
may not read the community.
"""

from __future__ import annotations

from sqlalchemy import select

from .. import events
from ..cohorts.events import FollowUpPosted, PhaseChanged
from ..communities.models import Community, Membership
from ..extensions import db
from ..urls import site_path
from .service import notify


def _active_members(community_id: int) -> set[int]:
    return set(db.session.scalars(select(Membership.user_id).where(
        Membership.community_id == community_id, Membership.state == "active")))


@events.listen(FollowUpPosted)
def follow_up_posted(event: FollowUpPosted) -> None:
    notify(_active_members(event.community_id), "follow_up", event.actor_id, event.community_id, event.title,
           site_path("discussions.show_thread", thread_id=event.thread_id))


@events.listen(PhaseChanged)
def phase_changed(event: PhaseChanged) -> None:
    """Entering ``follow_up`` (the training is over) is told; the other phases are there for listeners to come."""
    if event.new != "follow_up":
        return
    community = db.session.get(Community, event.community_id)
    if community is None:
        return
    notify(_active_members(community.id), "phase_changed", None, community.id, community.name,
           site_path("communities.show", slug=community.slug))
