"""A community's figures, kept for a short while in each process and forgotten on any write there: opt-in.

Counting them reads all of the community's content: p95 46 ms for the
page of a community of 2,000 members with 10,000 posts
(``benchmarks/insight.py``), so by default (``INSIGHT_CACHE_SECONDS=0``)
they are counted on every request and never behind any process's write.
A much larger community may set seconds: each process then keeps a
community's figures, per viewer (the experts depend on what the viewer
may read), for that long (8 ms for the page, 2 ms for the API). Any domain
event about the community that commits in this process (a reply, a
deletion, a join, a ban, a hidden post …) forgets them at once, and a
change of someone's expertise or an accepted answer forgets every
community's (expertise counts across communities): within one
process the figures are never behind a write. Another process's may be,
by at most those seconds.
"""

from __future__ import annotations

import threading
import time

from flask import current_app, has_app_context

from .. import events
from ..qa.events import AnswerAccepted, ExpertiseChanged

COMMUNITIES_MAX = 200
_lock = threading.Lock()


def _store() -> dict:
    """``{community_id: {viewer_id: (expires, figures)}}``: forgetting a community is one ``pop``."""
    return current_app.extensions.setdefault("insight_figures", {})


def figures_for(viewer, community, count):
    """``count(viewer, community)``, or what it gave within the last seconds with no write since."""
    seconds = float(current_app.config["INSIGHT_CACHE_SECONDS"])
    if seconds <= 0:
        return count(viewer, community)
    store = _store()
    kept = store.get(community.id, {}).get(viewer.id)
    if kept is not None and kept[0] > time.monotonic():
        return kept[1]
    found = count(viewer, community)
    with _lock:  # requests in other threads add and forget entries meanwhile
        if community.id not in store and len(store) >= COMMUNITIES_MAX:
            store.pop(next(iter(store)), None)  # the oldest: a dict keeps its insertion order
        store.setdefault(community.id, {})[viewer.id] = (time.monotonic() + seconds, found)
    return found


#: Events that change the experts by tag of every community: expertise counts across communities.
EVERY_COMMUNITY = (ExpertiseChanged, AnswerAccepted)


@events.listen(events.DomainEvent)
def forget(event: events.DomainEvent) -> None:
    """Any event about a community forgets its figures; those of ``EVERY_COMMUNITY`` forget all of them.

    Other events that name no community (a notification made, an account
    registered) change no figure: a new account is in no community yet.
    Every event passes here (a chat message too), so this costs one lookup.
    """
    if not has_app_context():
        return
    store = _store()
    if not store:
        return
    if isinstance(event, EVERY_COMMUNITY):
        with _lock:
            store.clear()
        return
    community_id = getattr(event, "community_id", None)
    if community_id in store:
        with _lock:
            store.pop(community_id, None)
