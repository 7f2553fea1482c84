"""Who hears of a flag: the community's moderators, told once when it opens, with a link to the queue."""

from __future__ import annotations

from .. import events
from ..access import moderator_ids
from ..notifications.service import notify
from ..urls import site_path
from .flags import FlagRaised


@events.listen(FlagRaised)
def flag_raised(event: FlagRaised) -> None:
    notify(moderator_ids(event.community_id), "flag", event.actor_id, event.community_id, event.label,
           site_path("communities.show", slug=event.community_slug, tab="flags", state="open"))
