"""``/c/<slug>/follow-ups``: a cohort's moderators list, schedule and cancel follow-up prompts.

Plain forms that work without JavaScript, at phone width; each POST
redirects back to the list with a flash message.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..access import Action
from ..communities.pages import community_context, load_community
from ..errors import Conflict, Forbidden, Invalid, NotFound
from ..idempotency import idempotent
from ..timeutil import today
from ..web.pages import flash_refusal, form_failed
from . import service

bp = Blueprint("cohorts", __name__)
PER_PAGE = 30


def _page_context(community) -> dict:
    page = service.list_follow_ups(current_user, community, limit=PER_PAGE,
                                   cursor=request.args.get("cursor") or None)
    earliest = max(today(), community.ends_on) if community.ends_on else today()
    return {"page": page, "earliest": earliest.isoformat(), **community_context(community)}


@bp.route("/c/<slug>/follow-ups", methods=["GET", "POST"])
@login_required
@idempotent
def follow_ups(slug: str):
    community = load_community(slug, Action.MODERATE)
    if request.method == "POST":
        form = request.form
        try:
            prompt = service.schedule_follow_up(current_user, community, form.get("title", ""),
                                                form.get("body", ""), form.get("post_on", ""))
        except (Invalid, Forbidden) as error:
            return form_failed("cohorts/follow_ups.html", error, **_page_context(community))
        flash(_("The follow-up prompt “%(title)s” is scheduled for %(date)s.", title=prompt.title,
                date=prompt.post_on.isoformat()), "success")
        return redirect(url_for(".follow_ups", slug=community.slug))
    return render_template("cohorts/follow_ups.html", values={}, errors={}, **_page_context(community))


@bp.post("/c/<slug>/follow-ups/<int:prompt_id>/cancel")
@login_required
def cancel(slug: str, prompt_id: int):
    community = load_community(slug, Action.MODERATE)
    try:
        service.cancel_follow_up(current_user, prompt_id)
        flash(_("The follow-up prompt is cancelled."), "success")
    except (Conflict, NotFound, Forbidden) as error:
        flash_refusal(error)
    return redirect(url_for(".follow_ups", slug=community.slug))
