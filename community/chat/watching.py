"""Watching a thread or a question live: the rooms ``thread_post`` and ``answer`` go to.

Joining one asks the same question as opening its page: may this user
read the item's community (``content.context``)? The room row records the
community, so losing access takes the socket out of these rooms too.
"""

from __future__ import annotations

from ..content.context import context_query, load_context
from ..discussions.models import Thread
from ..errors import Invalid
from ..qa.models import Question
from ..validation import DB_INT_MAX

WATCHABLE = {"thread": Thread, "question": Question}


def room_name(kind: str, item_id: int) -> str:
    return f"{kind}:{item_id}"


def room_for(user, data: dict) -> tuple[str, int]:
    """``(room, community_id)`` for ``{"thread": id}`` or ``{"question": id}``; ``NotFound`` unless readable."""
    for kind, model in WATCHABLE.items():
        item_id = data.get(kind)
        if item_id is None:
            continue
        if type(item_id) is not int or not 1 <= item_id <= DB_INT_MAX:
            break
        ctx = load_context(user, context_query(user, model).where(model.id == item_id))
        return room_name(kind, item_id), ctx.community.id
    raise Invalid({"thread": "Give a thread or question id: {\"thread\": 7} or {\"question\": 7}."})
