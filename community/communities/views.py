"""Community pages: create, the community with its tabs, join, leave, invite links,
edit and archive. Member lists and moderation live in ``member_views``."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..access import Action, may_create_community
from ..errors import Conflict, Forbidden, Invalid
from ..idempotency import idempotent
from ..web.pages import flash_refusal, form_failed
from ..web.tabs import find_tab
from . import invite_links, memberships, service
from .models import Community
from .pages import bp, community_context, load_community

FORM_FIELDS = ("name", "slug", "description", "kind", "visibility", "join_policy", "starts_on", "ends_on")
NEW_COMMUNITY_DEFAULTS = {"kind": "practice", "visibility": "public", "join_policy": "open"}


@bp.get("/c/<slug>", defaults={"tab": None})
@bp.get("/c/<slug>/<tab>")
@login_required
def show(slug: str, tab: str | None):
    """A community's header and one of its tabs (``web.tabs``: the capabilities register them)."""
    community = load_community(slug)
    chosen = find_tab(tab)
    if chosen is None:
        abort(404)
    if tab is not None and chosen is find_tab(None):
        return redirect(url_for("communities.show", slug=slug, **request.args))  # the first tab's one address
    context = community_context(community)
    if chosen.moderators and not context["is_moderator"]:
        abort(404)  # the tab is not there for them, like a tab that does not exist
    if context["may_read"] and chosen.context is not None:
        context.update(chosen.context(community))
    return render_template("communities/show.html", tab=chosen.name, current_tab=chosen, **context)


@bp.route("/communities/new", methods=["GET", "POST"])
@login_required
@idempotent
def new():
    if not may_create_community(current_user):
        abort(403)
    if request.method == "POST":
        try:
            community = service.create_community(current_user, request.form.to_dict(), from_form=True)
        except (Invalid, Conflict) as error:
            return form_failed("communities/new.html", error)
        flash(_("Your community %(name)s is ready. Invite people to join!", name=community.name),
              "success")
        return redirect(url_for(".show", slug=community.slug))
    return render_template("communities/new.html", values=NEW_COMMUNITY_DEFAULTS)


def _edit_values(community: Community) -> dict:
    values = {name: getattr(community, name) for name in FORM_FIELDS}
    for name in ("starts_on", "ends_on"):
        values[name] = values[name].isoformat() if values[name] else ""
    return values


def _edit_data() -> dict:
    """The edit form as plain values: an emptied description is saved empty, no date is None."""
    data = {name: request.form.get(name, "") for name in FORM_FIELDS}
    for name in ("starts_on", "ends_on"):
        data[name] = data[name].strip() or None
    return data


@bp.route("/c/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str):
    community = load_community(slug, Action.MODERATE)
    if request.method == "POST":
        try:
            community = service.update_community(current_user, community, _edit_data())
        except (Invalid, Conflict) as error:
            return form_failed("communities/edit.html", error, **community_context(community))
        flash(_("Your changes are saved."), "success")
        return redirect(url_for(".show", slug=community.slug))
    return render_template("communities/edit.html", values=_edit_values(community),
                           **community_context(community))


@bp.post("/c/<slug>/archive")
@login_required
def archive(slug: str):
    community = load_community(slug, Action.MODERATE)
    archived = request.form.get("archived") == "1"
    service.update_community(current_user, community, {"archived": archived})
    flash(_("The community is archived: it is read-only now.") if archived
          else _("The community is open again."), "success")
    return redirect(url_for(".show", slug=community.slug))


@bp.post("/c/<slug>/join")
@login_required
def join(slug: str):
    # A private community is found here only to check the invite; without a
    # valid one, join_community answers NotFound like any missing page.
    community = service.find_community(slug) or load_community(slug)
    try:
        membership = memberships.join_community(current_user, community, request.form.get("invite") or None)
    except Forbidden as error:
        flash_refusal(error)
        return redirect(url_for(".show", slug=community.slug))
    if membership.state == "pending":
        flash(_("You asked to join %(name)s. A moderator will look at your request soon.",
                name=community.name), "success")
    else:
        flash(_("Welcome to %(name)s!", name=community.name), "success")
    return redirect(url_for(".show", slug=community.slug))


@bp.post("/c/<slug>/leave")
@login_required
def leave(slug: str):
    community = load_community(slug)
    membership = service.view_of(current_user, community).membership
    was_pending = membership is not None and membership.state == "pending"
    try:
        memberships.leave_community(current_user, community)
    except Conflict as error:
        flash_refusal(error)
        return redirect(url_for(".show", slug=community.slug))
    if was_pending:
        flash(_("Your request to join %(name)s is withdrawn.", name=community.name), "info")
    else:
        flash(_("You have left %(name)s.", name=community.name), "info")
    return redirect(url_for("web.index"))


@bp.get("/invite/<token>")
@login_required
def invite(token: str):
    """Where an invite link lands: the community's name and a button to join it."""
    found = invite_links.find_invite(None, token)
    if found is None:
        return render_template("communities/invite_invalid.html"), 404
    view = service.view_of(current_user, found.community)
    return render_template("communities/invite.html", token=token, view=view,
                           community=found.community)

