"""Chat messages in search: the one registration chat makes.

A message is found by its text; a hit shows the community's chat as its
title and opens the chat at that message. New messages are indexed in
batches (``indexer._Batcher``): a busy room sends many a second, and one
index write each would hold up every connection. A deleted message is not
loaded, so deleting one takes it out of the index at once.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ..communities.models import Community
from ..content.events import ContentHidden
from ..extensions import db
from ..markup import plain_text
from ..search.registry import Entry, SearchType, id_batches, searchable
from .events import MessageDeleted, MessagePosted, message_url
from .models import ChatMessage

#: A message is indexed while it is neither deleted nor hidden.
_SHOWN = (ChatMessage.deleted_at.is_(None), ChatMessage.hidden_at.is_(None))


def load_messages(ids: list[int]) -> dict[int, Entry]:
    rows = db.session.execute(
        select(ChatMessage, Community.slug, Community.name).join(Community, Community.id == ChatMessage.community_id)
        .where(ChatMessage.id.in_(ids), *_SHOWN).options(joinedload(ChatMessage.author)))
    return {m.id: Entry(type="chat", id=m.id, community_id=m.community_id, community_slug=slug,
                        title=str(_l("Chat in %(community)s", community=name)), indexed_title="",
                        body=plain_text(m.body_html), url=message_url(slug, m.id), author=m.author,
                        created_at=m.created_at)
            for m, slug, name in rows}


searchable(SearchType(
    name="chat", load=load_messages,
    batches=id_batches(select(ChatMessage.id).where(*_SHOWN), ChatMessage.id),
    count=lambda: db.session.scalar(select(func.count()).select_from(ChatMessage)
                                    .where(*_SHOWN)) or 0,
    events={MessagePosted: lambda e: [e.message_id], MessageDeleted: lambda e: [e.message_id],
            ContentHidden: lambda e: e.ids("message")},
    batched=(MessagePosted,),  # findable within SEARCH_BATCH_SECONDS; a deletion is out at once
))
