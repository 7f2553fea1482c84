"""Memberships: join, leave, and what moderators do to members.

Approve, refuse, ban, unban, mute and change roles; every rule about who may
do what comes from ``access.py``.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager

from .. import events
from ..access import Action, decide_member_change, decide_on_member, is_last_owner, membership_of, raise_for, require
from ..accounts.models import User
from ..errors import Conflict, NotFound
from ..extensions import db
from ..pagination import Page, paginate
from ..timeutil import iso, utcnow
from ..validation import MISSING, Fields
from .invite_links import find_invite, use_invite
from .models import STATES, Community, Membership
from .service import contains_pattern

#: A mute's or a ban's reason, told to the member and kept in the audit log.
REASON_MAX = 500
REASONED = ("muted", "banned")


def join_community(user: User, community: Community, invite_token: str | None = None) -> Membership:
    """Join (open, or with an invite) or ask to join (approval); again is a no-op."""
    invite = find_invite(community, invite_token)
    membership = membership_of(user, community)
    require(user, community, Action.JOIN, membership, invite_valid=invite is not None)
    if membership is not None and membership.state != "banned":
        if membership.state == "pending" and invite is not None:
            membership.state = "active"
            use_invite(invite)
            events.record(db.session, events.MemberJoined(community.id, user.id))
            events.commit(db.session)
        return membership
    active = invite is not None or community.join_policy == "open"
    membership = Membership(community_id=community.id, user_id=user.id, role="member",
                            state="active" if active else "pending")
    db.session.add(membership)
    if invite is not None:
        use_invite(invite)
    event = events.MemberJoined if active else events.JoinRequested
    events.record(db.session, event(community.id, user.id))
    events.commit(db.session)
    return membership


def leave_community(user: User, community: Community) -> None:
    """Leave; a ban stays in place, and the last owner must hand over first."""
    membership = membership_of(user, community)
    if membership is None:
        require(user, community, Action.VIEW)
        return
    if membership.state == "banned":
        return
    if is_last_owner(community, membership):
        raise Conflict(_l("You are the only owner. Make someone else owner before you leave."))
    db.session.delete(membership)
    events.record(db.session, events.MemberLeft(community.id, user.id))
    events.commit(db.session)


def list_members(user: User, community: Community, *, state: str | None = None,
                 q: str | None = None, limit: int = 20, cursor: str | None = None) -> Page:
    """Active members for anyone who may read; pending and banned ones for moderators."""
    state = _member_state_allowed(user, community, state)
    stmt = (select(Membership).join(Membership.user).options(contains_eager(Membership.user))
            .where(Membership.community_id == community.id, Membership.state == state))
    if q:
        stmt = stmt.where(User.username_key.like(contains_pattern(q), escape="\\"))
    page = paginate(stmt, (User.username_key, Membership.id),
                    lambda m: (m.user.username_key, m.id), limit=limit, cursor=cursor)
    return page


def _member_state_allowed(user: User, community: Community, state: str | None) -> str:
    """Anyone who may read sees active members; pending and banned ones are for moderators."""
    require(user, community, Action.READ)
    state = state or "active"
    if state not in STATES:
        fields = Fields({"state": state})
        fields.choice("state", STATES)
        fields.check()
    if state != "active":
        require(user, community, Action.MODERATE)
    return state


def count_members(user: User, community: Community, state: str = "active") -> int:
    state = _member_state_allowed(user, community, state)
    return db.session.scalar(select(func.count()).select_from(Membership).where(
        Membership.community_id == community.id, Membership.state == state))


def _target(community: Community, username: str) -> tuple[User | None, Membership | None]:
    target_user = db.session.scalar(select(User).where(User.username_key == username.lower()))
    return target_user, (membership_of(target_user, community) if target_user else None)


def update_member(actor: User, community: Community, username: str, data: dict, *,
                  from_form: bool = False) -> Membership:
    """Approve, refuse, ban, unban, mute or change a role.

    Who may do which to whom (never to yourself, moderators to members only,
    roles by owners, the last owner stays) is ``access.decide_member_change``.
    """
    require(actor, community, Action.MODERATE)
    target_user, target = _target(community, username)
    if target is None:
        raise NotFound(_l("This person is not a member of this community."))
    fields = Fields(data, from_form=from_form)
    role = fields.choice("role", ("owner", "moderator", "member"))
    state = fields.choice("state", ("active", "banned"))
    muted_until = fields.moment("muted_until") if "muted_until" in data else MISSING
    reason = fields.text("reason", max_len=REASON_MAX, multiline=True, nullable=True)
    fields.check()
    reason = "" if reason in (MISSING, None) else reason
    raise_for(decide_member_change(actor, community, target,
                                   role=None if role is MISSING else role,
                                   state=None if state is MISSING else state))

    actions = []
    if state is not MISSING and state != target.state:
        actions.append({"pending": "approved", "banned": "unbanned"}.get(target.state, "banned")
                       if state == "active" else "banned")
        target.state = state
    if role is not MISSING and role != target.role:
        target.role = role
        actions.append("role")
    if muted_until is not MISSING and (muted_until != target.muted_until or reason != target.mute_reason):
        target.muted_until = muted_until
        mute = muted_until is not None and muted_until > utcnow()
        target.mute_reason = reason if mute else ""
        actions.append("muted" if mute else "unmuted")
    for action in actions:
        detail = {"role": target.role, "muted": iso(target.muted_until) or ""}.get(action, "")
        events.record(db.session, events.MembershipChanged(
            community.id, target_user.id, actor.id, action, detail,
            reason if action in REASONED else ""))
    events.commit(db.session)
    return target


def refuse_member(actor: User, community: Community, username: str) -> None:
    """Turn down a pending request: the request goes, the person may ask again."""
    require(actor, community, Action.MODERATE)
    target_user, target = _target(community, username)
    if target is None or target.state != "pending":
        raise NotFound(_l("There is no pending request from this person."))
    raise_for(decide_on_member(actor, community, target))
    db.session.delete(target)
    events.record(db.session, events.MembershipChanged(
        community.id, target_user.id, actor.id, "refused"))
    events.commit(db.session)
