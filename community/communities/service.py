"""Every community action: create, edit, archive, join, leave, moderate members, invite."""

from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import contains_eager

from .. import events
from ..access import Action, membership_of, require, visible_filter
from ..accounts.models import User
from ..errors import Conflict, Forbidden, NotFound
from ..extensions import db
from ..pagination import Page, paginate
from ..timeutil import utcnow
from ..validation import MISSING, Fields
from .models import JOIN_POLICIES, KINDS, STATES, VISIBILITIES, Community, Invite, Membership

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SLUG_MAX = 60
NAME_MAX = 120


@dataclass
class CommunityView:
    """A community as one caller sees it: with their membership and the member count."""

    community: Community
    membership: Membership | None
    member_count: int


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:SLUG_MAX].strip("-")


def _slug_taken(slug: str, exclude_id: int | None = None) -> bool:
    stmt = select(Community.id).where(Community.slug == slug)
    if exclude_id is not None:
        stmt = stmt.where(Community.id != exclude_id)
    return db.session.scalar(stmt) is not None


def _free_slug(base: str) -> str:
    base = base or "community"
    if len(base) < 3:
        base = f"{base}-community"
    slug, n = base, 1
    while _slug_taken(slug):
        n += 1
        slug = f"{base[:SLUG_MAX - len(str(n)) - 1]}-{n}"
    return slug


def _read_fields(fields: Fields, *, creating: bool) -> dict:
    values = {
        "name": fields.text("name", required=creating, min_len=3, max_len=NAME_MAX),
        "slug": fields.text("slug", min_len=3, max_len=SLUG_MAX, pattern=SLUG,
                            pattern_message=str(_l("Use lowercase letters, digits and single hyphens."))),
        "description": fields.text("description", max_len=5000),
        "kind": fields.choice("kind", KINDS, required=creating),
        "visibility": fields.choice("visibility", VISIBILITIES, required=creating),
        "join_policy": fields.choice("join_policy", JOIN_POLICIES, required=creating),
        "starts_on": fields.day("starts_on"),
        "ends_on": fields.day("ends_on"),
    }
    return {k: v for k, v in values.items() if v is not MISSING}


def _check_dates(fields: Fields, kind: str, starts_on, ends_on) -> None:
    """A cohort needs both dates in order; a community of practice has none."""
    if kind == "cohort":
        if starts_on is None or ends_on is None:
            for name, value in (("starts_on", starts_on), ("ends_on", ends_on)):
                if value is None:
                    fields.problem(name, _l("A cohort group needs a start and an end date."))
        elif ends_on < starts_on:
            fields.problem("ends_on", _l("The end date cannot be before the start date."))
    else:
        for name, value in (("starts_on", starts_on), ("ends_on", ends_on)):
            if value is not None:
                fields.problem(name, _l("Only cohort groups have training dates."))


def may_create(user: User) -> bool:
    return user.is_admin or current_app.config["COMMUNITY_CREATORS"] != "admins"


def create_community(user: User, data: dict, *, from_form: bool = False) -> Community:
    if not may_create(user):
        raise Forbidden(_l("Only site administrators may create communities."))
    fields = Fields(data, from_form=from_form)
    values = _read_fields(fields, creating=True)
    slug = values.pop("slug", None)
    _check_dates(fields, values.get("kind"), values.get("starts_on"), values.get("ends_on"))
    fields.check()
    community = Community(created_by_id=user.id, **{"description": "", **values})
    if slug is not None and _slug_taken(slug):
        raise Conflict(_l("This address is taken."), fields={"slug": str(_l("This address is taken."))})
    community.slug = slug or _free_slug(slugify(community.name))
    db.session.add(community)
    db.session.flush()
    db.session.add(Membership(community_id=community.id, user_id=user.id, role="owner", state="active"))
    events.record(db.session, events.CommunityCreated(community.id, user.id))
    events.commit(db.session)
    return community


def update_community(user: User, community: Community, data: dict, *,
                     from_form: bool = False) -> Community:
    require(user, community, Action.MODERATE)
    fields = Fields(data, from_form=from_form)
    values = _read_fields(fields, creating=False)
    archived = fields.boolean("archived")
    if values.get("kind") == "practice":
        # Turning a cohort into a practice drops its dates unless new ones are given.
        values.setdefault("starts_on", None)
        values.setdefault("ends_on", None)
    _check_dates(fields, *(values.get(n, getattr(community, n))
                           for n in ("kind", "starts_on", "ends_on")))
    fields.check()
    if values.get("slug", community.slug) != community.slug and _slug_taken(values["slug"]):
        raise Conflict(_l("This address is taken."), fields={"slug": str(_l("This address is taken."))})
    changes = [name for name, value in values.items() if getattr(community, name) != value]
    for name in changes:
        setattr(community, name, values[name])
    if archived is not MISSING and archived != community.archived:
        community.archived_at = utcnow() if archived else None
        changes.append("archived")
    if changes:
        events.record(db.session, events.CommunityChanged(community.id, user.id, tuple(changes)))
    events.commit(db.session)
    return community


def find_community(slug: str) -> Community | None:
    return db.session.scalar(select(Community).where(Community.slug == slug))


def get_community(user: User, slug: str, action: Action = Action.VIEW) -> Community:
    """The community if ``user`` may do ``action`` there; a hidden one is ``NotFound``."""
    community = find_community(slug)
    if community is None:
        raise NotFound()
    require(user, community, action)
    return community


def _member_counts(community_ids: list[int]) -> dict[int, int]:
    if not community_ids:
        return {}
    rows = db.session.execute(
        select(Membership.community_id, func.count())
        .where(Membership.community_id.in_(community_ids), Membership.state == "active")
        .group_by(Membership.community_id))
    return dict(rows.all())


def _memberships(user: User, community_ids: list[int]) -> dict[int, Membership]:
    if not community_ids:
        return {}
    rows = db.session.scalars(select(Membership).where(
        Membership.user_id == user.id, Membership.community_id.in_(community_ids)))
    return {m.community_id: m for m in rows}


def views_of(user: User, communities: list[Community]) -> list[CommunityView]:
    """Attach the caller's membership and member counts in two queries for the whole list."""
    ids = [c.id for c in communities]
    counts, mine = _member_counts(ids), _memberships(user, ids)
    return [CommunityView(c, mine.get(c.id), counts.get(c.id, 0)) for c in communities]


def view_of(user: User, community: Community) -> CommunityView:
    return views_of(user, [community])[0]


def list_communities(user: User, *, q: str | None = None, mine: bool = False, exclude_mine: bool = False,
                     limit: int = 20, cursor: str | None = None) -> Page:
    """Communities ``user`` may see, by name.

    ``mine`` keeps those they belong to or asked to join; ``exclude_mine``
    leaves exactly those out (the home page's "discover" list).
    """
    stmt = select(Community).where(visible_filter(user))
    if q:
        pattern = _contains(q)
        stmt = stmt.where(or_(func.lower(Community.name).like(pattern, escape="\\"),
                              func.lower(Community.description).like(pattern, escape="\\")))
    if mine or exclude_mine:
        joined = Community.id.in_(select(Membership.community_id).where(
            Membership.user_id == user.id, Membership.state.in_(("active", "pending"))))
        stmt = stmt.where(joined if mine else ~joined)
    page = paginate(stmt, (func.lower(Community.name), Community.id),
                    lambda c: (c.name.lower(), c.id), limit=limit, cursor=cursor)
    page.items = views_of(user, page.items)
    return page


def _contains(text: str) -> str:
    """A LIKE pattern matching ``text`` anywhere, its own ``%`` and ``_`` taken literally."""
    literal = text.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{literal}%"


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def find_invite(community: Community | None, token: str | None) -> Invite | None:
    """A usable invite with this token (for this community, if given), else None."""
    if not token or not isinstance(token, str):
        return None
    invite = db.session.scalar(select(Invite).where(Invite.token_hash == _token_hash(token)))
    if invite is None or not invite.usable:
        return None
    if community is not None and invite.community_id != community.id:
        return None
    return invite


def join_community(user: User, community: Community, invite_token: str | None = None) -> Membership:
    """Join (open, or with an invite) or ask to join (approval); again is a no-op."""
    invite = find_invite(community, invite_token)
    membership = membership_of(user, community)
    require(user, community, Action.JOIN, membership, invite_valid=invite is not None)
    if membership is not None and membership.state != "banned":
        if membership.state == "pending" and invite is not None:
            membership.state = "active"
            _use_invite(invite)
            events.record(db.session, events.MemberJoined(community.id, user.id))
            events.commit(db.session)
        return membership
    active = invite is not None or community.join_policy == "open"
    membership = Membership(community_id=community.id, user_id=user.id, role="member",
                            state="active" if active else "pending")
    db.session.add(membership)
    if invite is not None:
        _use_invite(invite)
    event = events.MemberJoined if active else events.JoinRequested
    events.record(db.session, event(community.id, user.id))
    events.commit(db.session)
    return membership


def _use_invite(invite: Invite) -> None:
    # Atomic, so two people racing for the last use cannot both get it.
    done = db.session.execute(
        update(Invite).where(Invite.id == invite.id,
                             or_(Invite.max_uses.is_(None), Invite.uses < Invite.max_uses))
        .values(uses=Invite.uses + 1))
    if done.rowcount != 1:
        db.session.rollback()
        raise NotFound(_l("This invite link has been used up."))


def _active_owner_count(community: Community) -> int:
    return db.session.scalar(select(func.count()).select_from(Membership).where(
        Membership.community_id == community.id, Membership.role == "owner",
        Membership.state == "active"))


def leave_community(user: User, community: Community) -> None:
    """Leave; a ban stays in place, and the last owner must hand over first."""
    membership = membership_of(user, community)
    if membership is None:
        require(user, community, Action.VIEW)
        return
    if membership.state == "banned":
        return
    if membership.role == "owner" and _active_owner_count(community) <= 1:
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
        stmt = stmt.where(User.username_key.like(_contains(q), escape="\\"))
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


def _role_rank(membership: Membership | None) -> int:
    if membership is None or membership.state != "active":
        return 0
    return {"member": 1, "moderator": 2, "owner": 3}[membership.role]


def update_member(actor: User, community: Community, username: str, data: dict, *,
                  from_form: bool = False) -> Membership:
    """Approve, refuse, ban, unban, mute or change a role.

    Moderators act on members only; roles are the owners' to give, and the
    last active owner cannot be demoted or banned.
    """
    require(actor, community, Action.MODERATE)
    target_user = db.session.scalar(select(User).where(User.username_key == username.lower()))
    target = membership_of(target_user, community) if target_user else None
    if target is None:
        raise NotFound(_l("This person is not a member of this community."))
    fields = Fields(data, from_form=from_form)
    role = fields.choice("role", ("owner", "moderator", "member"))
    state = fields.choice("state", ("active", "banned"))
    muted_until = fields.moment("muted_until") if "muted_until" in data else MISSING
    fields.check()

    actor_membership = membership_of(actor, community)
    actor_rank = 3 if actor.is_admin else _role_rank(actor_membership)
    if target_user.id != actor.id and _role_rank(target) >= actor_rank and actor_rank < 3:
        raise Forbidden(_l("Only an owner can act on a moderator or an owner."))
    if role is not MISSING and role != target.role:
        require(actor, community, Action.MANAGE_ROLES, actor_membership)
    demoting_owner = target.role == "owner" and (
        (role is not MISSING and role != "owner") or state == "banned")
    if demoting_owner and target.state == "active" and _active_owner_count(community) <= 1:
        raise Conflict(_l("A community needs at least one owner."))

    actions = []
    if state is not MISSING and state != target.state:
        actions.append({"pending": "approved", "banned": "unbanned"}.get(target.state, "banned")
                       if state == "active" else "banned")
        target.state = state
    if role is not MISSING and role != target.role:
        target.role = role
        actions.append("role")
    if muted_until is not MISSING and muted_until != target.muted_until:
        target.muted_until = muted_until
        actions.append("muted" if muted_until and muted_until > utcnow() else "unmuted")
    for action in actions:
        detail = target.role if action == "role" else ""
        events.record(db.session, events.MembershipChanged(
            community.id, target_user.id, actor.id, action, detail))
    events.commit(db.session)
    return target


def refuse_member(actor: User, community: Community, username: str) -> None:
    """Turn down a pending request: the request goes, the person may ask again."""
    require(actor, community, Action.MODERATE)
    target_user = db.session.scalar(select(User).where(User.username_key == username.lower()))
    target = membership_of(target_user, community) if target_user else None
    if target is None or target.state != "pending":
        raise NotFound(_l("There is no pending request from this person."))
    db.session.delete(target)
    events.record(db.session, events.MembershipChanged(
        community.id, target_user.id, actor.id, "refused"))
    events.commit(db.session)


def create_invite(actor: User, community: Community, data: dict, *,
                  from_form: bool = False) -> tuple[Invite, str]:
    """A new invite link; returns the invite and its token, which is shown only now."""
    require(actor, community, Action.MODERATE)
    fields = Fields(data, from_form=from_form)
    days = fields.integer("expires_in_days", minimum=1, maximum=365, nullable=True)
    max_uses = fields.integer("max_uses", minimum=1, maximum=100000, nullable=True)
    fields.check()
    if days is MISSING or days is None:
        days = current_app.config["INVITE_DEFAULT_DAYS"]
    token = secrets.token_urlsafe(24)
    invite = Invite(community_id=community.id, token_hash=_token_hash(token),
                    created_by_id=actor.id, expires_at=utcnow() + timedelta(days=days),
                    max_uses=None if max_uses is MISSING else max_uses)
    db.session.add(invite)
    events.commit(db.session)
    return invite, token
