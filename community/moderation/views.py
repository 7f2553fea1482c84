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
from . import reading

bp = Blueprint("moderation", __name__)
PER_PAGE = 30

#: What each action reads as after the moderator's name ("mod banned sanne").
ACTION_LABELS = {
    "approved": _l("approved the request of"), "refused": _l("refused the request of"),
    "banned": _l("banned"), "unbanned": _l("unbanned"), "muted": _l("muted"), "unmuted": _l("unmuted"),
    "role_changed": _l("changed the role of"), "pinned": _l("pinned"), "unpinned": _l("unpinned"),
    "locked": _l("locked"), "unlocked": _l("unlocked"), "content_deleted": _l("deleted"),
    "invite_created": _l("made an invite link"), "archived": _l("archived"), "unarchived": _l("unarchived"),
    "settings_changed": _l("changed the settings of"),
}
TARGET_LABELS = {"post": _l("a reply in"), "message": _l("a chat message"), "resource": _l("the resource")}


def mute_end(entry) -> datetime | None:
    """A mute's end, from the entry's ISO 8601 detail, to show in the reader's time and language."""
    if entry.action != "muted" or not entry.detail:
        return None
    try:
        return datetime.fromisoformat(entry.detail.removesuffix("Z"))
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
                           labels=ACTION_LABELS, targets=TARGET_LABELS, mute_end=mute_end,
                           chosen=request.args.get("action", ""), actor=request.args.get("actor", ""),
                           csv_url=f"{PREFIX}/communities/{community.slug}/audit?format=csv",
                           **community_context(community))
