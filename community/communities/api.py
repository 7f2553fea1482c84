"""``/api/v1`` routes for communities, memberships and invites."""

from __future__ import annotations

from flask import Blueprint, make_response, request, url_for
from flask_login import current_user

from ..access import Action
from ..accounts.api import user_json
from ..api import PREFIX, json_body, list_args, page_json
from ..errors import NotFound
from ..idempotency import idempotent
from ..timeutil import iso
from ..urls import site_url
from ..web.compression import never_compress
from . import api_docs, invite_links, memberships, service  # noqa: F401  (api_docs describes these routes)
from .models import Community, Membership

bp = Blueprint("communities_api", __name__, url_prefix=PREFIX)


def community_json(view: service.CommunityView) -> dict:
    c, m = view.community, view.membership
    return {
        "id": c.id,
        "slug": c.slug,
        "name": c.name,
        "description": c.description,
        "kind": c.kind,
        "visibility": c.visibility,
        "join_policy": c.join_policy,
        "starts_on": iso(c.starts_on),
        "ends_on": iso(c.ends_on),
        "phase": c.phase,
        "archived": c.archived,
        "member_count": view.member_count,
        "my_role": m.role if m and m.state != "banned" else None,
        "my_state": m.state if m else None,
        "created_at": iso(c.created_at),
        "url": url_for("communities.show", slug=c.slug),
    }


def membership_json(m: Membership) -> dict:
    return {
        "community": m.community.slug,
        "user": user_json(m.user),
        "role": m.role,
        "state": m.state,
        "muted_until": iso(m.muted_until),
        "joined_at": iso(m.joined_at),
    }


def _community(slug: str, action: Action = Action.VIEW) -> Community:
    return service.get_community(current_user, slug, action)


@bp.get("/communities")
def list_communities():
    page = service.list_communities(current_user, q=request.args.get("q"),
                                    mine=request.args.get("mine") in ("1", "true"), **list_args())
    return page_json(page, community_json)


@bp.post("/communities")
@idempotent
def create_community():
    community = service.create_community(current_user, json_body())
    return community_json(service.view_of(current_user, community)), 201


@bp.get("/communities/<slug>")
def get_community(slug: str):
    return community_json(service.view_of(current_user, _community(slug)))


@bp.patch("/communities/<slug>")
def update_community(slug: str):
    community = service.update_community(current_user, _community(slug), json_body())
    return community_json(service.view_of(current_user, community))


@bp.post("/communities/<slug>/join")
def join(slug: str):
    data = json_body()
    community = service.find_community(slug)
    if community is None:
        raise NotFound()
    membership = memberships.join_community(current_user, community, data.get("invite"))
    return membership_json(membership)


@bp.post("/communities/<slug>/leave")
def leave(slug: str):
    memberships.leave_community(current_user, _community(slug))
    return "", 204


@bp.get("/communities/<slug>/members")
def members(slug: str):
    page = memberships.list_members(current_user, _community(slug), state=request.args.get("state"),
                                q=request.args.get("q"), **list_args())
    return page_json(page, membership_json)


@bp.patch("/communities/<slug>/members/<username>")
def update_member(slug: str, username: str):
    membership = memberships.update_member(current_user, _community(slug), username, json_body())
    return membership_json(membership)


@bp.delete("/communities/<slug>/members/<username>")
def refuse_member(slug: str, username: str):
    memberships.refuse_member(current_user, _community(slug), username)
    return "", 204


@bp.post("/communities/<slug>/invites")
@idempotent
def create_invite(slug: str):
    invite, token = invite_links.create_invite(current_user, _community(slug), json_body())
    return never_compress(make_response({
        "token": token,
        "url": site_url("communities.invite", token=token),
        "expires_at": iso(invite.expires_at),
        "max_uses": invite.max_uses,
    }, 201))
