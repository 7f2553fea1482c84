"""Turn what happened into notifications, after the commit.

Each post notifies a person at most once, by the strongest reason:
a mention, else a reply to their own post, else a reply in a thread they
follow. ``notify`` drops the actor and anyone who may not read the community.
"""

from __future__ import annotations

from sqlalchemy import select

from .. import events
from ..access import moderator_ids
from ..accounts.models import User
from ..communities.models import Community
from ..content.events import ContentWritten
from ..discussions.events import PostReplied
from ..discussions.reading import followers as thread_followers
from ..extensions import db
from ..urls import site_path
from .service import mark_handled, notify, notify_by_reason

#: Mentions beyond this many in one post notify nobody more: a post is not a mailing list.
MENTIONS_MAX = 20


def _user_ids(usernames) -> set[int]:
    names = [name.lower() for name in usernames][:MENTIONS_MAX]
    if not names:
        return set()
    return set(db.session.scalars(select(User.id).where(User.username_key.in_(names))))


@events.listen(ContentWritten)
def mentions(event: ContentWritten) -> None:
    """Whatever was written (a thread, a question, an answer, a chat message), its mentions."""
    if event.mentions and not event.mentions_notified_elsewhere:
        notify(_user_ids(event.mentions), "mention", event.actor_id, event.community_id, event.title, event.url)


@events.listen(PostReplied)
def reply_notifications(event: PostReplied) -> None:
    notify_by_reason([("mention", _user_ids(event.mentions)), ("reply", {event.parent_author_id}),
                      ("thread_reply", thread_followers(event.thread_id))],
                     event.actor_id, event.community_id, event.title, event.url)


@events.listen(events.JoinRequested)
def join_request(event: events.JoinRequested) -> None:
    """Moderators and owners hear of each request to join, with a link to the pending list."""
    community = db.session.get(Community, event.community_id)
    if community is None:
        return
    notify(moderator_ids(community.id), "join_request", event.user_id, community.id, community.name,
           site_path("communities.members", slug=community.slug, state="pending"))


#: What a moderator did to a join request, and what the person who asked hears of it.
#: A refusal is told too: otherwise the request just vanishes and the person cannot tell it
#: from one still waiting. ``notify`` still tells only those who may read the community, so
#: nobody refused by a private community is told its name.
JOIN_OUTCOMES = {"approved": "join_approved", "refused": "join_refused"}


@events.listen(events.MembershipChanged)
def join_request_handled(event: events.MembershipChanged) -> None:
    if event.action not in (*JOIN_OUTCOMES, "banned"):
        return
    community = db.session.get(Community, event.community_id)
    if community is None:
        return
    mark_handled("join_request", community.id, event.user_id)
    if event.action in JOIN_OUTCOMES:
        notify({event.user_id}, JOIN_OUTCOMES[event.action], event.actor_id, community.id, community.name,
               site_path("communities.show", slug=community.slug), commit=False)
    events.commit(db.session)


@events.listen(events.MemberJoined)
@events.listen(events.MemberLeft)
def join_request_settled(event: events.MemberJoined | events.MemberLeft) -> None:
    """Joined with an invite, or withdrawn: a request that was waiting needs no moderator any more."""
    mark_handled("join_request", event.community_id, event.user_id)
    events.commit(db.session)
