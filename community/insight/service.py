"""Inviting members into a thread: how a trainer draws a silent member into the conversation.

The one way an invitation is made, for the JSON API and the insight page
alike. It checks that the caller moderates the thread's community and that
everyone invited is an active member, then records
``MembersInvitedToThread``; the notifications capability turns that into a
``thread_invite`` notification for each of them after the commit.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from .. import events
from ..accounts.models import User
from ..communities.models import Community, Membership
from ..content.context import require_moderate
from ..discussions.rules import thread_context
from ..errors import Forbidden, Invalid
from ..extensions import db
from ..validation import EXPECTED_TEXTS, Fields
from .events import MembersInvitedToThread

INVITES_MAX = 50


def _usernames(fields: Fields) -> list[str]:
    """The usernames asked for, lowercased and each once (a form sends one as a string)."""
    raw = fields.data.get("usernames")
    if isinstance(raw, str) and fields.from_form:
        raw = [raw]
    if raw is not None and (not isinstance(raw, list) or not all(isinstance(name, str) for name in raw)):
        fields.wrong_types["usernames"] = str(EXPECTED_TEXTS)
        return []
    names = list(dict.fromkeys(name.strip().lower() for name in raw or () if name.strip()))
    if not names:
        fields.problem("usernames", _l("Name at least one member to invite."))
    elif len(names) > INVITES_MAX:
        fields.problem("usernames", _l("Invite at most %(n)d members at once.", n=INVITES_MAX))
    return names


def invite_to_thread(user: User, thread_id: int, usernames, *, community: Community | None = None,
                     from_form: bool = False) -> list[str]:
    """Notify active members ``usernames`` that ``user`` invites them into thread ``thread_id``.

    ``user`` must moderate the thread's community (``NotFound`` when they may
    not read it, ``Forbidden`` otherwise); ``community``, when given, is the
    one the thread must belong to (a form on that community's page). Returns
    the usernames invited, as stored.
    """
    ctx = thread_context(user, thread_id)
    require_moderate(user, ctx)
    if ctx.community.archived:
        raise Forbidden(_l("This community is archived: nothing new can be added."))
    if ctx.thread.locked:
        raise Forbidden(_l("This thread is locked: nobody but moderators can reply in it."), code="locked")
    fields = Fields({"usernames": usernames}, from_form=from_form)
    names = _usernames(fields)
    if community is not None and ctx.community.id != community.id:
        fields.problem("thread_id", _l("Choose a thread of this community."))
    fields.check()
    found = dict(db.session.execute(
        select(User.username_key, User).join(Membership, Membership.user_id == User.id)
        .where(User.username_key.in_(names), Membership.community_id == ctx.community.id,
               Membership.state == "active")).all())
    missing = [name for name in names if name not in found]
    if missing:
        raise Invalid({"usernames": str(_l("Not an active member of this community: %(names)s.",
                                           names=", ".join(missing)))})
    invited = [found[name] for name in names]
    events.record(db.session, MembersInvitedToThread(ctx.thread.id, ctx.community.id, user.id,
                                                     tuple(u.id for u in invited), ctx.thread.title))
    events.commit(db.session)
    return [u.username for u in invited]
