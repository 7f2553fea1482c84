"""``/api/v1`` routes for chat: read a room's messages, send one, delete one.

Thin: each route parses the request and makes one service call. Sending
over HTTP is for clients without a socket (a phone's offline drafts, an
integration): the same service, the same ``client_id``, an
``Idempotency-Key`` honoured, and the same live broadcast after the commit.
"""

from __future__ import annotations

import base64
import json

from flask import Blueprint, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..api import PREFIX, json_body
from ..errors import BadRequest
from ..idempotency import idempotent
from ..pagination import parse_limit
from ..validation import MISSING, Fields
from . import api_docs, service  # noqa: F401  (api_docs describes these routes)
from .payloads import message_json, messages_json

bp = Blueprint("chat_api", __name__, url_prefix=PREFIX)


def _cursor(direction: str, message_id: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({direction: message_id}).encode()).decode().rstrip("=")


def _bounds() -> tuple[int | None, int | None]:
    """``(before, after)`` from ``?before=``/``?after=`` or a ``next`` cursor (which wins)."""
    cursor = request.args.get("cursor")
    if cursor:
        try:
            raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
            (direction, value), = raw.items()
            data = {direction: value} if direction in ("before", "after") else {}
            if not data:
                raise ValueError
        except (ValueError, TypeError, AttributeError, RecursionError):
            raise BadRequest(_l("The cursor is not valid.")) from None
        fields = Fields(data)
    else:
        fields = Fields(request.args.to_dict(), from_form=True)
    before = fields.integer("before", minimum=1)
    after = fields.integer("after", minimum=0)
    fields.check()
    return (None if before is MISSING else before), (None if after is MISSING else after)


@bp.get("/communities/<slug>/messages")
def list_messages(slug: str):
    """Oldest first. With ``after``: the messages after it, ``next`` reading on to newer ones;
    otherwise the latest (before ``before``), ``next`` reading back to older ones."""
    community = service.room_of(current_user, slug)
    before, after = _bounds()
    limit = parse_limit(request.args.get("limit"))
    if after is not None:
        rows = service.after(community, after, limit=limit + 1, before=before)
        more, rows = len(rows) > limit, rows[:limit]
        following = _cursor("after", rows[-1].id) if more else None
    else:
        rows = service.history(community, before=before, limit=limit + 1)
        more, rows = len(rows) > limit, rows[-limit:] if rows else rows
        following = _cursor("before", rows[0].id) if more else None
    return {"items": messages_json(rows, community.slug), "next": following}


@bp.post("/communities/<slug>/messages")
@idempotent
def send(slug: str):
    community = service.room_of(current_user, slug)
    data = json_body()
    message, created = service.post_message(current_user, community, data.get("body"), data.get("client_id"))
    return message_json(message, community.slug), 201 if created else 200


@bp.delete("/messages/<int:message_id>")
def delete(message_id: int):
    service.delete_message(current_user, message_id)
    return "", 204
