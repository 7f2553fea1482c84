"""``GET /users/me/feed`` and following tags (``PUT``/``DELETE /users/me/tags/{tag}``, ``GET /users/me/tags``)."""

from __future__ import annotations

from flask import Blueprint
from flask_login import current_user

from ..api import PREFIX, list_args, page_json
from ..timeutil import iso
from . import api_docs, following, reading  # noqa: F401  (api_docs describes the routes)

bp = Blueprint("feed_api", __name__, url_prefix=PREFIX)


def item_json(pair) -> dict:
    item, reason = pair
    return {"type": item.type, "id": item.id, "title": item.extra["title"], "url": item.extra["url"],
            "community": item.extra["community"], "tags": list(item.tags), "created_at": iso(item.created_at),
            "answered": not item.unanswered if item.type == "question" else None,
            "reason": reason}


@bp.get("/users/me/feed")
def my_feed():
    return page_json(reading.feed(current_user, **list_args()), item_json)


@bp.get("/users/me/tags")
def my_tags():
    return {"following": following.followed(current_user), "expertise": sorted(reading.expertise_tags(current_user))}


@bp.put("/users/me/tags/<tag>")
def follow_tag(tag: str):
    return {"tag": following.follow(current_user, tag), "following": True}


@bp.delete("/users/me/tags/<tag>")
def unfollow_tag(tag: str):
    following.unfollow(current_user, tag)
    return "", 204
