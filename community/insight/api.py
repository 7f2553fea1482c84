"""``GET /communities/{slug}/stats`` (the trainer's figures) and ``POST /threads/{id}/invitations``.

Both for the community's moderators, owners and site admins only: the
lookup through ``communities.get_community(…, Action.MODERATE)`` answers
404 to whoever may not know a private community exists and 403 to other
non-moderators, so nothing of the figures reaches anyone else.
"""

from __future__ import annotations

from flask import Blueprint
from flask_login import current_user

from ..access import Action
from ..api import PREFIX, json_body
from ..communities import service as communities
from ..idempotency import idempotent
from ..timeutil import iso
from ..urls import site_path
from . import api_docs, cache, figures, service  # noqa: F401  (api_docs describes these routes)

bp = Blueprint("insight_api", __name__, url_prefix=PREFIX)


def figures_json(found: figures.Figures) -> dict:
    """The contract's fields first, then the extras the insight page shows too."""
    return {
        "members": found.members,
        "active_members_7d": found.active_members_7d,
        "questions": found.questions,
        "unanswered": found.unanswered,
        "median_first_answer_minutes": found.median_first_answer_minutes,
        "top_contributors": [{"username": name, "count": n} for name, n in found.top_contributors],
        "experts_by_tag": [{"tag": tag, "experts": experts} for tag, experts in found.experts_by_tag],
        "silent_members": found.silent_members,
        "unanswered_questions": [
            {"id": q.id, "title": q.title, "created_at": iso(q.created_at), "waited_minutes": q.waited_minutes,
             "url": site_path("qa.show_question", question_id=q.id)} for q in found.unanswered_questions],
        "weeks": [{"starts_on": iso(w.starts_on), "contributions": w.contributions,
                   "active_members": w.active_members, "questions": w.questions,
                   "median_first_answer_minutes": w.median_first_answer_minutes} for w in found.weeks],
    }


@bp.get("/communities/<slug>/stats")
def community_stats(slug: str):
    community = communities.get_community(current_user, slug, Action.MODERATE)
    return figures_json(cache.figures_for(current_user, community, figures.community_figures))


@bp.post("/threads/<int:thread_id>/invitations")
@idempotent
def invite_to_thread(thread_id: int):
    data = json_body()
    invited = service.invite_to_thread(current_user, thread_id, data.get("usernames"))
    return {"thread_id": thread_id, "invited": invited}, 201
