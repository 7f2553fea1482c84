"""``/api/v1`` routes for threads, posts, reactions, revisions and Markdown preview.

Thin: each route turns the request into one service call and the result
into the contract's JSON.
"""

from __future__ import annotations

from flask import Blueprint, current_app, request
from flask_login import current_user

from ..access import Action
from ..api import PREFIX, json_body, list_args, page_json
from ..communities import service as communities
from ..content.authors import Authors
from ..content.requests import json_values
from ..idempotency import idempotent
from ..markup import render_markdown
from ..timeutil import iso
from ..urls import site_path
from ..validation import MISSING, Fields
from . import api_docs, reading, service  # noqa: F401  (api_docs describes these routes)
from .models import Post, PostRevision, Thread

bp = Blueprint("discussions_api", __name__, url_prefix=PREFIX)


def post_url(thread_id: int, post_id: int) -> str:
    return site_path("discussions.show_thread", thread_id=thread_id, _anchor=f"post-{post_id}")


def thread_summary_json(thread: Thread, tags: list[str], community_slug: str, authors: Authors) -> dict:
    return {
        "id": thread.id,
        "title": thread.title,
        "author": authors(thread.author),
        "tags": tags,
        "pinned": thread.pinned,
        "locked": thread.locked,
        "reply_count": thread.reply_count,
        "last_activity_at": iso(thread.last_activity_at),
        "created_at": iso(thread.created_at),
        "community": community_slug,
        "url": site_path("discussions.show_thread", thread_id=thread.id),
    }


def post_json(post: Post, authors: Authors, reactions: dict | None = None, mine: list | None = None) -> dict:
    """A post; a deleted one keeps its place in the tree but shows no text, author or reactions."""
    deleted = post.deleted
    return {
        "id": post.id,
        "thread_id": post.thread_id,
        "parent_id": post.parent_id,
        "depth": post.depth,
        "author": None if deleted else authors(post.author),
        "body": post.body,
        "body_html": post.body_html,
        "created_at": iso(post.created_at),
        "edited_at": iso(post.edited_at),
        "deleted": deleted,
        "hidden": getattr(post, "hidden_at", None) is not None,  # only moderators are shown a hidden post
        "reactions": {} if deleted else (reactions or {}),
        "my_reactions": [] if deleted else (mine or []),
        "url": post_url(post.thread_id, post.id),
    }


def thread_json(view: reading.ThreadView) -> dict:
    authors = Authors()
    data = thread_summary_json(view.thread, view.tags, view.ctx.community.slug, authors)
    data["following"] = view.ctx.following
    data["posts"] = [post_json(pv.post, authors, pv.reactions, pv.my_reactions) for pv in view.posts]
    return data


def revision_json(revision: PostRevision, authors: Authors) -> dict:
    return {
        "id": revision.id,
        "post_id": revision.post_id,
        "editor": authors(revision.editor),
        "body": revision.body,
        "body_html": revision.body_html,
        "created_at": iso(revision.created_at),
        "replaced_at": iso(revision.replaced_at),
    }


def _reactions_json(result: tuple[dict, list]) -> dict:
    """The contract's "200 reactions": the post's counts by emoji, as in ``reactions`` of a post."""
    reactions, _mine = result
    return reactions


def _none(value):
    """An absent optional id is the same as ``null``."""
    return None if value is MISSING else value


@bp.get("/communities/<slug>/threads")
def list_threads(slug: str):
    community = communities.get_community(current_user, slug, Action.VIEW)
    page = reading.list_threads(current_user, community, tag=request.args.get("tag") or None, **list_args())
    authors = Authors()
    return page_json(page, lambda s: thread_summary_json(s.thread, s.tags, community.slug, authors))


@bp.post("/communities/<slug>/threads")
@idempotent
def start_thread(slug: str):
    community = communities.get_community(current_user, slug, Action.VIEW)
    values = json_values(json_body(), "title", "body", "tags")
    thread = service.start_thread(current_user, community, **values)
    return thread_json(reading.thread_view(current_user, thread.id)), 201


@bp.get("/threads/<int:thread_id>")
def get_thread(thread_id: int):
    return thread_json(reading.thread_view(current_user, thread_id))


@bp.patch("/threads/<int:thread_id>")
def update_thread(thread_id: int):
    values = json_values(json_body(), "title", "tags", "pinned", "locked")
    ctx = service.change_thread(current_user, thread_id, **values)
    tags = reading.thread_tags([thread_id]).get(thread_id, [])
    data = thread_summary_json(ctx.thread, tags, ctx.community.slug, Authors())
    data["following"] = ctx.following
    return data


@bp.post("/threads/<int:thread_id>/posts")
@idempotent
def post_reply(thread_id: int):
    values = json_values(json_body(), "body", "parent_id")
    post = service.post_reply(current_user, thread_id, values["body"], _none(values["parent_id"]))
    return post_json(post, Authors()), 201


@bp.post("/threads/<int:thread_id>/follow")
def follow(thread_id: int):
    return {"following": service.follow_thread(current_user, thread_id)}


@bp.delete("/threads/<int:thread_id>/follow")
def unfollow(thread_id: int):
    return {"following": service.unfollow_thread(current_user, thread_id)}


@bp.get("/posts/<int:post_id>")
def get_post(post_id: int):
    post, _ctx = service.get_post(current_user, post_id)
    return post_json(post, Authors(), *service.post_reactions(post.id, current_user))


@bp.patch("/posts/<int:post_id>")
def edit_post(post_id: int):
    post = service.edit_post(current_user, post_id, json_values(json_body(), "body")["body"])
    return post_json(post, Authors(), *service.post_reactions(post.id, current_user))


@bp.delete("/posts/<int:post_id>")
def delete_post(post_id: int):
    service.delete_post(current_user, post_id)
    return "", 204


@bp.get("/posts/<int:post_id>/revisions")
def revisions(post_id: int):
    page = reading.list_revisions(current_user, post_id, **list_args())
    authors = Authors()
    return page_json(page, lambda r: revision_json(r, authors))


@bp.post("/posts/<int:post_id>/reactions")
def react(post_id: int):
    return _reactions_json(service.react(current_user, post_id, json_values(json_body(), "emoji")["emoji"]))


@bp.delete("/posts/<int:post_id>/reactions")
def unreact(post_id: int):
    return _reactions_json(service.unreact(current_user, post_id, request.args.get("emoji", MISSING)))


@bp.post("/preview")
def preview():
    """Render Markdown exactly as a post would be, without storing anything."""
    fields = Fields(json_body())
    body = fields.text("body", required=True, min_len=0, max_len=current_app.config["BODY_MAX"], strip=False,
                       multiline=True)
    fields.check()
    return {"body_html": render_markdown(body)}
