"""``/c/<slug>/audit``: the moderation log as a page for the community's moderators, with filters.

A phone-width list, not a table: each entry says when, who, what and to
whom. The CSV export is the API's (``?format=csv``), which a signed-in
browser may fetch with its cookie.
"""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from ..access import Action
from ..api import PREFIX
from ..communities.pages import community_context, load_community
from ..errors import Invalid
from ..timeutil import parse_datetime
from . import reading
from .audit import ACTION_LABELS, UNTIL

bp = Blueprint("moderation", __name__)
PER_PAGE = 30

TARGET_LABELS = {"post": _l("a reply in"), "message": _l("a chat message"), "resource": _l("the resource")}


def until(entry) -> datetime | None:
    """A mute's end or an invite link's expiry (``audit.UNTIL``), to show in the reader's time and language."""
    if entry.action not in UNTIL or not entry.detail:
        return None
    try:
        return parse_datetime(entry.detail)
    except ValueError:
        return None


@bp.get("/c/<slug>/audit")
@login_required
def audit(slug: str):
    community = load_community(slug, Action.MODERATE)
    problem, page = None, None
    try:
        filters = reading.parse_filters(request.args)
        page = reading.list_entries(community, filters, limit=PER_PAGE, cursor=request.args.get("cursor") or None)
    except Invalid as error:
        problem = "; ".join(str(v) for v in error.fields.values())
    return render_template("moderation/audit.html", tab="audit", page=page, problem=problem,
                           labels=ACTION_LABELS, targets=TARGET_LABELS, until=until,
                           chosen=request.args.get("action", ""), actor=request.args.get("actor", ""),
                           csv_url=f"{PREFIX}/communities/{community.slug}/audit?format=csv",
                           **community_context(community))
