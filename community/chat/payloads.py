"""The contract's chat message object, the same over Socket.IO and HTTP."""

from __future__ import annotations

import time

from flask import current_app
from flask_login import AnonymousUserMixin

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


#: How long a broadcast reuses an author's public user object (a busy room hears the same few people).
PUBLIC_AUTHOR_SECONDS = 10.0


class _PublicAuthors(Authors):
    """Authors as anyone may see them (a room's readers differ in what else they read), kept a few seconds.

    The user object's expertise takes queries; a room's broadcast would
    run them for every message. A new display name or expertise reaches
    the room within ``PUBLIC_AUTHOR_SECONDS``.
    """

    def __init__(self, kept: dict):
        super().__init__(viewer=AnonymousUserMixin())
        self._kept = kept

    def __call__(self, user):
        if user is None:
            return None
        now = time.monotonic()
        found = self._kept.get(user.id)
        if found is None or found[0] < now:
            found = self._kept[user.id] = (now + PUBLIC_AUTHOR_SECONDS, super().__call__(user))
        return found[1]


def public_authors() -> Authors:
    """The ``Authors`` for a push to a room: this app's public user objects, reused for a few seconds."""
    return _PublicAuthors(current_app.extensions.setdefault("chat_public_authors", {}))
