"""The contract's chat message object, the same over Socket.IO and HTTP."""

from __future__ import annotations

from ..content.authors import Authors
from ..timeutil import iso
from .events import message_url
from .models import ChatMessage


def message_json(message: ChatMessage, community_slug: str, authors: Authors | None = None) -> dict:
    """Built once per message and request: the broadcast and the sender's ack carry the same object."""
    cached = message.__dict__.get("_payload")
    if cached is not None and cached[0] == message.deleted_at:
        return cached[1]
    authors = authors or Authors()
    payload = {
        "id": message.id,
        "community": community_slug,
        "author": authors(message.author),
        "body": message.body,
        "body_html": message.body_html,
        "created_at": iso(message.created_at),
        "client_id": message.client_id,
        "deleted": message.deleted,
        "url": message_url(community_slug, message.id),
    }
    message.__dict__["_payload"] = (message.deleted_at, payload)
    return payload


def messages_json(messages: list[ChatMessage], community_slug: str) -> list[dict]:
    authors = Authors()
    return [message_json(m, community_slug, authors) for m in messages]
