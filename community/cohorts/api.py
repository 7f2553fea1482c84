"""``/api/v1`` routes for follow-up prompts: list, schedule and cancel (a cohort's moderators)."""

from __future__ import annotations

from flask import Blueprint
from flask_login import current_user

from ..access import Action
from ..api import PREFIX, json_body, list_args, page_json
from ..communities import service as communities
from ..content.authors import Authors
from ..idempotency import idempotent
from ..timeutil import iso
from ..validation import MISSING
from . import api_docs, service  # noqa: F401  (api_docs describes these routes)
from .models import FollowUpPrompt

bp = Blueprint("cohorts_api", __name__, url_prefix=PREFIX)


def follow_up_json(prompt: FollowUpPrompt, authors: Authors | None = None) -> dict:
    return {
        "id": prompt.id,
        "title": prompt.title,
        "body": prompt.body,
        "post_on": iso(prompt.post_on),
        "state": prompt.state,
        "thread_id": prompt.thread_id,
        "created_by": (authors or Authors())(prompt.created_by),
        "created_at": iso(prompt.created_at),
        "posted_at": iso(prompt.posted_at),
    }


@bp.get("/communities/<slug>/follow-ups")
def list_follow_ups(slug: str):
    community = communities.get_community(current_user, slug, Action.VIEW)
    authors = Authors()
    page = service.list_follow_ups(current_user, community, **list_args())
    return page_json(page, lambda prompt: follow_up_json(prompt, authors))


@bp.post("/communities/<slug>/follow-ups")
@idempotent
def schedule_follow_up(slug: str):
    community = communities.get_community(current_user, slug, Action.VIEW)
    data = json_body()
    prompt = service.schedule_follow_up(current_user, community, data.get("title", MISSING),
                                        data.get("body", MISSING), data.get("post_on", MISSING))
    return follow_up_json(prompt), 201


@bp.delete("/follow-ups/<int:prompt_id>")
def cancel_follow_up(prompt_id: int):
    service.cancel_follow_up(current_user, prompt_id)
    return "", 204


