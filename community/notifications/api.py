"""``/api/v1/notifications``: the caller's notifications, the unread count, marking read."""

from __future__ import annotations

from flask import Blueprint, request
from flask_login import current_user

from ..accounts.api import user_json
from ..api import PREFIX, json_body, list_args, page_json
from ..timeutil import iso
from . import api_docs, service  # noqa: F401  (api_docs describes these routes)
from .models import Notification

bp = Blueprint("notifications_api", __name__, url_prefix=PREFIX)


def notification_json(notification: Notification, actors: dict | None = None, *, pushed: bool = False) -> dict:
    """The contract's notification object; ``actors`` caches user JSON across a page.

    ``pushed``: built outside its recipient's request (a live push from
    someone else's action), so the actor is shown as the recipient sees them.
    """
    actor = notification.actor
    viewer = notification.user if pushed else None
    if actor is not None and actors is not None:
        actor_data = actors.get(actor.id) or actors.setdefault(actor.id, user_json(actor))
    else:
        actor_data = user_json(actor, viewer=viewer) if actor is not None else None
    return {
        "id": notification.id,
        "kind": notification.kind,
        "created_at": iso(notification.created_at),
        "read": notification.read,
        "actor": actor_data,
        "community": notification.community.slug if notification.community else None,
        "title": notification.title,
        "url": notification.url,
    }


@bp.get("/notifications")
def list_notifications():
    unread = request.args.get("unread") in ("1", "true")
    page = service.list_notifications(current_user, unread=unread, **list_args())
    actors: dict = {}
    return page_json(page, lambda n: notification_json(n, actors))


@bp.get("/notifications/unread_count")
def unread_count():
    return {"unread_count": service.unread_count(current_user)}


@bp.post("/notifications/read")
def mark_read():
    marked = service.mark_read(current_user, json_body())
    return {"marked": marked, "unread_count": service.unread_count(current_user)}
