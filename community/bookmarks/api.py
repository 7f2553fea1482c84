"""``/users/me/bookmarks`` and ``/bookmarks``: a person's saved items, only ever their own."""

from __future__ import annotations

from flask import Blueprint, request
from flask_login import current_user

from ..api import PREFIX, json_body, list_args, page_json
from ..idempotency import idempotent
from ..timeutil import iso
from . import api_docs, service  # noqa: F401  (api_docs describes the routes)

bp = Blueprint("bookmarks_api", __name__, url_prefix=PREFIX)


def bookmark_json(saved: service.Saved) -> dict:
    bookmark, target = saved.bookmark, saved.target
    return {"id": bookmark.id, "target_type": bookmark.target_type, "target_id": bookmark.target_id,
            "title": target.label, "url": target.url, "excerpt": target.excerpt,
            "community": target.community.slug, "note": bookmark.note, "created_at": iso(bookmark.created_at)}


@bp.get("/users/me/bookmarks")
def list_bookmarks():
    page = service.list_saved(current_user, q=request.args.get("q") or None, **list_args())
    return page_json(page, bookmark_json)


@bp.post("/bookmarks")
@idempotent
def save_bookmark():
    target_type, target_id, note = service.read_bookmark_request(json_body())
    saved, created = service.save(current_user, target_type, target_id, note)
    return bookmark_json(saved), 201 if created else 200


@bp.patch("/bookmarks/<int:bookmark_id>")
def change_bookmark(bookmark_id: int):
    return bookmark_json(service.change_note(current_user, bookmark_id, service.read_note(json_body())))


@bp.delete("/bookmarks/<int:bookmark_id>")
def remove_bookmark(bookmark_id: int):
    service.remove(current_user, bookmark_id)
    return "", 204
