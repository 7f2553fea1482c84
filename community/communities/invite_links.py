"""Invite links: made by moderators, used to join (private communities need one).

Only a token's SHA-256 is stored, like API tokens: the link is shown once.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select, update
from sqlalchemy.orm import joinedload

from .. import events
from ..access import Action, require
from ..accounts.models import User
from ..errors import NotFound
from ..extensions import db
from ..pagination import Page, paginate
from ..timeutil import iso, utcnow
from ..validation import MISSING, Fields
from .models import Community, Invite


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


def use_invite(invite: Invite) -> None:
    # Atomic, so two people racing for the last use cannot both get it.
    done = db.session.execute(
        update(Invite).where(Invite.id == invite.id,
                             or_(Invite.max_uses.is_(None), Invite.uses < Invite.max_uses))
        .values(uses=Invite.uses + 1))
    if done.rowcount != 1:
        db.session.rollback()
        raise NotFound(_l("This invite link has been used up."))


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
    db.session.flush()
    events.record(db.session, events.InviteCreated(community.id, actor.id, invite.id, iso(invite.expires_at)))
    events.commit(db.session)
    return invite, token


def list_invites(actor: User, community: Community, *, limit: int = 20, cursor: str | None = None) -> Page:
    """Moderators: the community's invite links, newest first, revoked and used-up ones included."""
    require(actor, community, Action.MODERATE)
    stmt = (select(Invite).options(joinedload(Invite.created_by))
            .where(Invite.community_id == community.id))
    return paginate(stmt, (Invite.id,), lambda i: (i.id,), limit=limit, cursor=cursor, descending=True)


def revoke_invite(actor: User, community: Community, invite_id: int) -> None:
    """Revoke a link: from now on it counts as no invite. Revoking it again changes nothing."""
    require(actor, community, Action.MODERATE)
    invite = db.session.scalar(select(Invite).where(Invite.id == invite_id, Invite.community_id == community.id))
    if invite is None:
        raise NotFound(_l("There is no such invite link here."))
    # Conditional, so two moderators revoking at once log it once.
    done = db.session.execute(update(Invite).where(Invite.id == invite.id, Invite.revoked_at.is_(None))
                              .values(revoked_at=utcnow()).execution_options(synchronize_session=False))
    if done.rowcount == 1:
        events.record(db.session, events.InviteRevoked(community.id, actor.id, invite.id))
    events.commit(db.session)
