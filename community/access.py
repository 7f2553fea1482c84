"""The one place that decides who may do what in a community.

Pages, the JSON API, Socket.IO handlers, search filters, notifications and
downloads all ask here; nothing else re-derives these rules. Each rule exists
twice by necessity: as a per-object decision (``decide``) and as a SQL filter
for lists (``visible_filter``, ``readable_filter``). The test suite checks the
two against each other for every combination of role, state and visibility.

Hidden content (``hidden_at`` set by a moderator, see ``moderation.hiding``)
is one more rule here: ``shown`` and ``shown_filter`` drop it for everyone
but the community's moderators; search drops it from the index instead, so
that hits and totals never count it.

Refusals carry the contract's error code, so callers never choose one:
``not_found`` whenever the caller may not even know the community exists
(private content is never confirmed to a non-member).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, bindparam, false, func, or_, select, true

from .communities.models import Community, Membership
from .errors import Conflict, Forbidden, NotFound, Unauthenticated
from .extensions import db


class Action(StrEnum):
    VIEW = "view"                  # know it exists: name, description, member count
    READ = "read"                  # read its content
    WRITE = "write"                # post content: threads, replies, answers, chat, resources
    JOIN = "join"
    MODERATE = "moderate"          # approve, ban, mute, invite, pin, lock, hide, edit, archive
    MANAGE_ROLES = "manage_roles"  # make moderators and owners


@dataclass(frozen=True)
class Decision:
    allowed: bool
    code: str | None = None  # the contract's error code when refused
    message: object = None   # why, in the reader's words; None: the code's standard wording

    def __bool__(self) -> bool:
        return self.allowed


ALLOW = Decision(True)
MODERATOR_ROLES = ("owner", "moderator")
UNLOADED = object()  # a membership not read yet (None: read, and there is none)
# Built once: nearly every request and socket event asks it.
_MEMBERSHIP = select(Membership).where(Membership.community_id == bindparam("community_id"),
                                       Membership.user_id == bindparam("user_id"))


def membership_of(user, community: Community) -> Membership | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(_MEMBERSHIP, {"community_id": community.id, "user_id": user.id})


def decide(user, community: Community, action: Action, membership=UNLOADED, *,
           invite_valid: bool = False) -> Decision:
    """May ``user`` do ``action`` in ``community``? Pass ``membership`` if already loaded."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Decision(False, "unauthenticated")
    if user.is_admin:
        return ALLOW
    if membership is UNLOADED:
        membership = membership_of(user, community)
    state = membership.state if membership else None
    role = membership.role if membership else None
    is_moderator = state == "active" and role in MODERATOR_ROLES
    private = community.visibility == "private"

    if action is Action.JOIN:
        return _decide_join(community, state, invite_valid)

    may_view = not private or state in ("active", "pending")
    if not may_view:
        return Decision(False, "not_found")
    if action is Action.VIEW:
        return ALLOW

    if state == "banned":
        return Decision(False, "banned")
    if private and state != "active":
        return Decision(False, "forbidden")
    if action is Action.READ:
        return ALLOW

    if action is Action.WRITE:
        if state != "active":
            return Decision(False, "forbidden")
        if community.archived and not is_moderator:
            return Decision(False, "forbidden")
        if membership.is_muted:
            return Decision(False, "muted")
        return ALLOW
    if action is Action.MODERATE:
        return ALLOW if is_moderator else Decision(False, "forbidden")
    if action is Action.MANAGE_ROLES:
        return ALLOW if state == "active" and role == "owner" else Decision(False, "forbidden")
    raise ValueError(f"unknown action {action!r}")


def _decide_join(community: Community, state: str | None, invite_valid: bool) -> Decision:
    private = community.visibility == "private"
    if state == "banned":
        # A banned member of a private community learns nothing without an invite.
        return Decision(False, "banned" if (invite_valid or not private) else "not_found")
    if state in ("active", "pending"):
        return ALLOW  # joining again is a no-op that returns the membership
    if private and not invite_valid:
        return Decision(False, "not_found")
    if community.archived:
        return Decision(False, "forbidden")
    if community.join_policy == "invite" and not invite_valid:
        return Decision(False, "forbidden")
    return ALLOW


def may_create_community(user) -> bool:
    """Anyone signed in, unless ``COMMUNITY_CREATORS=admins`` keeps it to site admins."""
    from flask import current_app

    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return user.is_admin or current_app.config["COMMUNITY_CREATORS"] != "admins"


def moderator_ids(community_id: int) -> set[int]:
    """Who moderates the community (active owners and moderators): told of requests, flags, escalations."""
    return set(db.session.scalars(select(Membership.user_id).where(
        Membership.community_id == community_id, Membership.state == "active",
        Membership.role.in_(MODERATOR_ROLES))))


def is_last_owner(community: Community, membership: Membership | None) -> bool:
    """Is ``membership`` the community's only active owner? Such an owner hands over first."""
    if membership is None or membership.role != "owner" or membership.state != "active":
        return False
    owners = db.session.scalar(select(func.count()).select_from(Membership).where(
        Membership.community_id == community.id, Membership.role == "owner",
        Membership.state == "active"))
    return owners <= 1


def decide_on_member(actor, community: Community, target: Membership, membership=UNLOADED) -> Decision:
    """May ``actor`` act on ``target``'s membership at all (approve, refuse, ban, mute, roles)?

    Moderators act on members; owners and site admins on everyone. Nobody acts on
    their own membership, site admins included: the contract says "nobody", a
    muted or banned moderator must not lift it themselves, and an admin needs no
    such change (``decide`` already lets them do everything); leaving has its own
    route. The rank is the target's role whatever its state, so that a moderator
    cannot unban a moderator an owner banned. ``membership`` is the actor's.
    """
    if membership is UNLOADED:
        membership = membership_of(actor, community)
    moderate = decide(actor, community, Action.MODERATE, membership)
    if not moderate:
        return moderate
    if target.user_id == actor.id:
        return Decision(False, "forbidden", _l("You cannot change your own membership, "
                                               "only leave the community."))
    outranks_moderators = actor.is_admin or membership.role == "owner"
    if target.role in MODERATOR_ROLES and not outranks_moderators:
        return Decision(False, "forbidden", _l("Only an owner can act on a moderator or an owner."))
    return ALLOW


def decide_member_change(actor, community: Community, target: Membership, *,
                         role: str | None = None, state: str | None = None,
                         membership=UNLOADED) -> Decision:
    """May ``actor`` give ``target`` this ``role`` and/or ``state`` (None: unchanged)?

    On top of ``decide_on_member``: only owners (and admins) change roles, and
    the last active owner is neither demoted nor banned (409 ``conflict``).
    """
    if membership is UNLOADED:
        membership = membership_of(actor, community)
    decision = decide_on_member(actor, community, target, membership)
    if not decision:
        return decision
    new_role = role is not None and role != target.role
    if new_role and not decide(actor, community, Action.MANAGE_ROLES, membership):
        return Decision(False, "forbidden", _l("Only an owner can make moderators or owners."))
    if (new_role or state == "banned") and is_last_owner(community, target):
        return Decision(False, "conflict", _l("A community needs at least one owner."))
    return ALLOW


def sees_hidden(user, community: Community, membership=UNLOADED) -> bool:
    """Hidden content stays visible to the community's moderators (and site admins), to review and unhide."""
    return decide(user, community, Action.MODERATE, membership).allowed


def shown(item, user, community: Community, membership=UNLOADED) -> bool:
    """May ``user``, who may read ``community``, see ``item`` (any content with ``hidden_at``)?"""
    return getattr(item, "hidden_at", None) is None or sees_hidden(user, community, membership)


def shown_filter(column, user, community: Community, membership=UNLOADED):
    """SQL condition on a ``hidden_at`` column matching ``shown``: for a community's lists."""
    return true() if sees_hidden(user, community, membership) else column.is_(None)


_ERRORS = {"not_found": NotFound, "unauthenticated": Unauthenticated, "conflict": Conflict}


def raise_for(decision: Decision) -> None:
    """Raise the domain error that matches a refusal; nothing when allowed."""
    if not decision:
        error = _ERRORS.get(decision.code)
        if error:
            raise error(decision.message)
        raise Forbidden(decision.message, code=decision.code)


def require(user, community: Community, action: Action, membership=UNLOADED, **kwargs) -> None:
    """Raise the matching domain error unless ``decide`` allows the action."""
    raise_for(decide(user, community, action, membership, **kwargs))


def can(user, community: Community, action: Action, membership=UNLOADED) -> bool:
    return decide(user, community, action, membership).allowed


def _member_ids(user, states: tuple[str, ...]):
    return select(Membership.community_id).where(
        Membership.user_id == user.id, Membership.state.in_(states))


def visible_filter(user):
    """SQL condition on ``Community`` matching ``decide(..., VIEW)``."""
    if user is None or not getattr(user, "is_authenticated", False):
        return false()
    if user.is_admin:
        return true()
    return or_(Community.visibility == "public",
               Community.id.in_(_member_ids(user, ("active", "pending"))))


def readable_filter(user):
    """SQL condition on ``Community`` matching ``decide(..., READ)``: for lists and search."""
    if user is None or not getattr(user, "is_authenticated", False):
        return false()
    if user.is_admin:
        return true()
    return or_(
        and_(Community.visibility == "public",
             Community.id.not_in(_member_ids(user, ("banned",)))),
        Community.id.in_(_member_ids(user, ("active",))),
    )
