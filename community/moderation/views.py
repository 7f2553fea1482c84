"""Moderation pages: the flag form, the flags tab of the moderators' queue, and the moderation log.

``/flag/<type>/<id>`` asks any reader for a reason, without a script; the
Flags tab (``/c/<slug>/flags``, for moderators only) shows each flagged
item with who flagged it and why, and a button to hide or dismiss.
``/c/<slug>/audit`` is the log: a phone-width list, not a table, each
entry saying when, who, what and to whom. The CSV export is the API's
(``?format=csv``), which a signed-in browser may fetch with its cookie.
"""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ..access import Action
from ..api import PREFIX
from ..communities.pages import community_context, load_community
from ..content import targets
from ..errors import DomainError, Invalid
from ..idempotency import idempotent
from ..timeutil import parse_datetime
from ..web.pages import flash_refusal, form_failed
from . import flags, reading
from .audit import ACTION_LABELS, UNTIL
from .models import FLAG_STATES, FLAG_TARGETS

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


@bp.route("/flag/<target_type>/<int:target_id>", methods=["GET", "POST"])
@login_required
@idempotent
def flag(target_type: str, target_id: int):
    """Flag an item: a reason, then back to the item with a thank-you."""
    if target_type not in FLAG_TARGETS:
        abort(404)
    target = targets.load(current_user, target_type, target_id)
    context = {"target": target, "community": target.community}
    if request.method == "GET":
        return render_template("moderation/flag.html", values={}, errors={}, **context)
    try:
        _type, _id, reason = flags.read_flag_request({"target_type": target_type, "target_id": target_id,
                                                       "reason": request.form.get("reason", "")})
        _flag, new = flags.raise_flag(current_user, target_type, target_id, reason)
    except Invalid as error:
        return form_failed("moderation/flag.html", error, **context)
    flash(_("Thank you. The moderators of %(name)s will look at it.", name=target.community.name) if new else
          _("You flagged this already; the moderators have it."), "success")
    return redirect(target.url)


def flags_tab(community) -> dict:
    """The Flags tab's list (moderators only: the tab registry keeps it from everyone else)."""
    state = request.args.get("state", "open")
    if state not in (*FLAG_STATES, "all"):
        state = "open"
    page = flags.list_flags(community, state=None if state == "all" else state, limit=PER_PAGE,
                            cursor=request.args.get("cursor") or None)
    return {"flag_page": page, "flag_items": flags.queue_items(page.items), "flag_state": state,
            "flag_states": FLAG_STATE_LABELS, "flag_targets": FLAG_TARGET_LABELS}


FLAG_STATE_LABELS = {"open": _l("Open"), "hidden": _l("Hidden"), "dismissed": _l("Dismissed"), "all": _l("All")}
FLAG_TARGET_LABELS = {"post": _l("Post"), "question": _l("Question"), "answer": _l("Answer"),
                      "message": _l("Chat message"), "resource": _l("Resource")}


@bp.post("/flags/<int:flag_id>/resolve")
@login_required
def resolve(flag_id: int):
    """A moderator's button in the queue: hide, show again or dismiss; back to the same list."""
    state = request.form.get("state") if request.form.get("state") in (*FLAG_STATES, "all") else "open"
    queued = flags.get_flag(current_user, flag_id)  # NotFound or Forbidden: the error pages
    back = url_for("communities.show", slug=flags.community_of(queued).slug, tab="flags", state=state)
    try:
        action, reason = flags.read_resolution({"action": request.form.get("action", ""),
                                                "reason": request.form.get("reason", "")})
        flags.resolve(current_user, flag_id, action, reason)
    except DomainError as error:
        flash_refusal(error)
        return redirect(back)
    flash({"hide": _("Hidden. Only moderators see it now."), "dismiss": _("Dismissed."),
           "unhide": _("Shown again.")}[action], "success")
    return redirect(back)
