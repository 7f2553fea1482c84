"""The Members tab and what moderators do there: approve, refuse, ban, mute,
change roles, and make invite links. Each action is a small POST form that
calls the communities service, then flashes what happened."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, flash, make_response, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup, escape

from ..access import Action, decide_on_member
from ..errors import Conflict, Forbidden, Invalid
from ..idempotency import idempotent
from ..timeutil import iso, utcnow
from ..urls import site_url
from ..web.compression import never_compress
from ..web.dates import moment
from ..web.pages import flash_refusal, form_failed, redirect_back
from . import invite_links, memberships
from .pages import bp, community_context, load_community

MEMBERS_PER_PAGE = 30
MUTE_HOURS = (1, 24, 168)
LISTS = ("active", "pending", "banned")
INVITES_PER_PAGE = 30
NEW_INVITE = "new_invite_token"  # session key: the link just made, shown once


@bp.get("/c/<slug>/members")
@login_required
def members(slug: str):
    """Active members for everyone who may read; requests and bans for moderators."""
    community = load_community(slug)
    context = community_context(community)
    state = request.args.get("state") or "active"
    if state not in LISTS:
        abort(404)
    page = None
    if context["may_read"]:
        page = memberships.list_members(current_user, community, state=state, limit=MEMBERS_PER_PAGE,
                                    cursor=request.args.get("cursor") or None)
    def may_act_on(target) -> bool:
        """Offer buttons only where ``access`` would allow acting on this member."""
        return decide_on_member(current_user, community, target, context["membership"]).allowed

    return render_template("communities/members.html", tab="members", state=state, members=page,
                           mute_hours=MUTE_HOURS, may_act_on=may_act_on, **context)


def _mute_until() -> str:
    offered = {str(h): h for h in MUTE_HOURS}  # compared as text: int() of a stranger's digits can raise
    hours = offered.get(request.form.get("hours", ""))
    if hours is None:
        abort(400)
    return iso(utcnow() + timedelta(hours=hours))


def _role_message(m) -> str:
    return {
        "owner": _("%(name)s is now an owner.", name=m.user.name),
        "moderator": _("%(name)s is now a moderator.", name=m.user.name),
    }.get(m.role, _("%(name)s is now a member.", name=m.user.name))


# Each action: the change for ``memberships.update_member``, and the message once done.
CHANGES = {
    "approve": (lambda: {"state": "active"},
                lambda m: _("%(name)s is now a member.", name=m.user.name)),
    "unban": (lambda: {"state": "active"},
              lambda m: _("%(name)s is no longer banned and is a member again.", name=m.user.name)),
    "ban": (lambda: {"state": "banned"}, lambda m: _("%(name)s is banned.", name=m.user.name)),
    # Markup: the time is a <time> that the reader's browser puts in their own time zone.
    "mute": (lambda: {"muted_until": _mute_until(), "reason": request.form.get("reason", "")},
             lambda m: Markup(_("%(name)s is muted until %(time)s.", name=escape(m.user.name),
                                time=moment(m.muted_until)))),
    "unmute": (lambda: {"muted_until": None},
               lambda m: _("%(name)s can post again.", name=m.user.name)),
    "role": (lambda: {"role": request.form.get("role", "")}, _role_message),
}


def _act(community, username: str, action: str) -> str:
    """Carry out one moderator action; return the confirmation to show."""
    if action == "refuse":
        memberships.refuse_member(current_user, community, username)
        return _("The request from %(name)s is turned down.", name=username)
    if action not in CHANGES:
        abort(400)
    change, message = CHANGES[action]
    return message(memberships.update_member(current_user, community, username, change()))


@bp.post("/c/<slug>/members/<username>")
@login_required
def member_action(slug: str, username: str):
    community = load_community(slug, Action.MODERATE)
    try:
        flash(_act(community, username, request.form.get("action", "")), "success")
    except (Conflict, Forbidden, Invalid) as error:
        flash_refusal(error)
    return redirect_back(url_for(".members", slug=community.slug))


@bp.route("/c/<slug>/invites", methods=["GET", "POST"])
@login_required
@idempotent
def invites(slug: str):
    """Make an invite link; its full address is shown once, on the page the form leads to.

    The form redirects (to this page) like every other, so Back or a reload
    cannot send it again; the new token waits in the session for that one view.
    """
    community = load_community(slug, Action.MODERATE)
    context = community_context(community)
    if request.method == "POST":
        try:
            _found, token = invite_links.create_invite(current_user, community, request.form.to_dict(),
                                                       from_form=True)
        except Invalid as error:
            return form_failed("communities/invites.html", error, **context)
        session[NEW_INVITE] = token
        return redirect(url_for(".invites", slug=community.slug))
    context["links"] = invite_links.list_invites(current_user, community, limit=INVITES_PER_PAGE,
                                                 cursor=request.args.get("cursor") or None)
    token = session.pop(NEW_INVITE, None)
    found = invite_links.find_invite(community, token)
    if found is not None:
        link = site_url("communities.invite", token=token)
        # The link is a secret shown once, on a page that echoes what was typed: never compressed.
        return never_compress(make_response(render_template(
            "communities/invites.html", values={}, invite=found, link=link, **context)))
    return render_template("communities/invites.html", values={}, **context)


@bp.post("/c/<slug>/invites/<int:invite_id>/revoke")
@login_required
def revoke_invite(slug: str, invite_id: int):
    """Revoke a link from the invites page: from now on it lets nobody in."""
    community = load_community(slug, Action.MODERATE)
    invite_links.revoke_invite(current_user, community, invite_id)
    flash(_("The invite link is revoked: it no longer lets anyone join."), "success")
    return redirect(url_for(".invites", slug=community.slug))
