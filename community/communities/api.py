"""``/api/v1`` routes for communities, memberships and invites."""

from __future__ import annotations

from flask import Blueprint, make_response, request, url_for
from flask_login import current_user

from ..access import Action, can
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


def membership_json(m: Membership, *, with_reason: bool = False) -> dict:
    """A membership; a mute that has ended shows as none (``muted_until`` null, ``muted`` false).

    ``with_reason``: also ``mute_reason``, for the member themselves and moderators.
    """
    muted = m.is_muted
    data = {
        "community": m.community.slug,
        "user": user_json(m.user),
        "role": m.role,
        "state": m.state,
        "muted": muted,
        "muted_until": iso(m.muted_until) if muted else None,
        "joined_at": iso(m.joined_at),
    }
    if with_reason:
        data["mute_reason"] = m.mute_reason if muted else None
    return data


def invite_json(invite) -> dict:
    return {
        "id": invite.id,
        "created_by": invite.created_by.username if invite.created_by else None,
        "created_at": iso(invite.created_at),
        "expires_at": iso(invite.expires_at),
        "max_uses": invite.max_uses,
        "uses": invite.uses,
        "revoked": invite.revoked_at is not None,
        "revoked_at": iso(invite.revoked_at),
        "usable": invite.usable,
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
    return membership_json(membership, with_reason=True)


@bp.post("/communities/<slug>/leave")
def leave(slug: str):
    memberships.leave_community(current_user, _community(slug))
    return "", 204


@bp.get("/communities/<slug>/members")
def members(slug: str):
    community = _community(slug)
    page = memberships.list_members(current_user, community, state=request.args.get("state"),
                                q=request.args.get("q"), **list_args())
    moderator = can(current_user, community, Action.MODERATE)
    return page_json(page, lambda m: membership_json(m, with_reason=moderator or m.user_id == current_user.id))


@bp.patch("/communities/<slug>/members/<username>")
def update_member(slug: str, username: str):
    membership = memberships.update_member(current_user, _community(slug), username, json_body())
    return membership_json(membership, with_reason=True)


@bp.delete("/communities/<slug>/members/<username>")
def refuse_member(slug: str, username: str):
    memberships.refuse_member(current_user, _community(slug), username)
    return "", 204


@bp.post("/communities/<slug>/invites")
@idempotent
def create_invite(slug: str):
    invite, token = invite_links.create_invite(current_user, _community(slug), json_body())
    return never_compress(make_response({
        "id": invite.id,
        "token": token,
        "url": site_url("communities.invite", token=token),
        "expires_at": iso(invite.expires_at),
        "max_uses": invite.max_uses,
    }, 201))


@bp.get("/communities/<slug>/invites")
def list_invites(slug: str):
    page = invite_links.list_invites(current_user, _community(slug), **list_args())
    return page_json(page, invite_json)


@bp.delete("/communities/<slug>/invites/<int:invite_id>")
def revoke_invite(slug: str, invite_id: int):
    invite_links.revoke_invite(current_user, _community(slug), invite_id)
    return "", 204
