"""The community pages' blueprint and what every one of them shows: the header and its tabs.

``views`` (the community itself, create, join, edit) and ``member_views``
(members, requests, invite links) both add routes to ``bp`` and build on
``community_context``; neither imports the other.
"""

from __future__ import annotations

from flask import Blueprint, Flask
from flask_login import current_user

from ..access import Action, can, membership_of
from ..web.tabs import community_tabs
from . import memberships, service
from .models import Community, Membership

bp = Blueprint("communities", __name__)


def community_context(community: Community) -> dict:
    """What the community header and its tabs need, for the signed-in caller."""
    view = service.view_of(current_user, community)
    membership = view.membership
    is_moderator = can(current_user, community, Action.MODERATE, membership)
    pending = None
    if is_moderator:
        pending = memberships.count_members(current_user, community, state="pending")
    return {
        "community": community,
        "view": view,
        "membership": membership,
        "may_read": can(current_user, community, Action.READ, membership),
        "is_moderator": is_moderator,
        "may_manage_roles": can(current_user, community, Action.MANAGE_ROLES, membership),
        "pending": pending,
        "community_tabs": community_tabs(moderator=is_moderator),
    }


def load_community(slug: str, action: Action = Action.VIEW) -> Community:
    return service.get_community(current_user, slug, action)


def my_mute(community: Community) -> Membership | None:
    """The signed-in caller's membership while they are muted here (until when and why), else None."""
    membership = membership_of(current_user, community)
    return membership if membership is not None and membership.is_muted else None


def init_app(app: Flask) -> None:
    from . import member_views, views  # noqa: F401  (their routes join ``bp``)

    app.register_blueprint(bp)
    app.add_template_global(my_mute)  # for ``write_refusal``: where a muted member would write
