"""An item of content with what every decision about it needs, loaded in one query.

``community.access`` decides for the community (read, write, moderate);
this module loads an item together with its community and the caller's
membership, so that a decision costs no further query, and maps refusals
the same way for every kind of content:

- whoever may not read the community gets ``NotFound`` (a private
  community's content is never confirmed to a non-member);
- content hidden by a moderator (the item or any item loaded with it: a
  reply's thread, an answer's question) is ``NotFound`` to all but moderators;
- about to write, a banned member of a public community, who can know the
  item exists, hears ``banned`` instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, select

from ..access import Action, decide, membership_of, shown, shown_filter
from ..communities.models import Community, Membership
from ..errors import Forbidden, NotFound, Unauthenticated
from ..extensions import db


def user_id(user) -> int:
    """The signed-in user's id, or -1 (matches no row) for anonymous callers."""
    return user.id if user is not None and getattr(user, "is_authenticated", False) else -1


@dataclass
class ContentContext:
    """``item`` (a thread, question, resource …) in ``community``, and the caller's ``membership``.

    ``extra`` holds any further columns the loading query asked for (a
    thread's follow flag, the answer of an answer's question).
    """

    item: object
    community: Community
    membership: Membership | None
    extra: tuple = ()

    def decide(self, user, action: Action):
        return decide(user, self.community, action, self.membership)


def context_query(user, model, community_id=None) -> Select:
    """``select(model, Community, Membership)``: the item, its community, the caller's membership.

    ``community_id`` is the column that names the item's community, by
    default ``model.community_id``; join further tables onto the result
    (an answer joins its question) and add columns with ``add_columns``.
    """
    column = model.community_id if community_id is None else community_id
    return (select(model, Community, Membership)
            .join(Community, Community.id == column)
            .outerjoin(Membership, and_(Membership.community_id == Community.id,
                                        Membership.user_id == user_id(user))))


def require_read(user, community: Community, membership=None, *, loaded: bool = False) -> None:
    """``NotFound`` (``Unauthenticated`` when signed out) unless ``user`` may read ``community``."""
    decision = decide(user, community, Action.READ, membership) if loaded else decide(user, community, Action.READ)
    if not decision:
        raise Unauthenticated() if decision.code == "unauthenticated" else NotFound()


def shown_in_list(user, community: Community, hidden_at_column):
    """For a community's list: ``NotFound`` unless ``user`` may read it, else the condition on the items'
    ``hidden_at`` that keeps hidden ones from all but moderators; the membership is read once for both."""
    membership = membership_of(user, community)
    require_read(user, community, membership, loaded=True)
    return shown_filter(hidden_at_column, user, community, membership)


def require_known(user, ctx: ContentContext) -> None:
    """For writes: like ``require_read``, but a banned member who knows the item exists hears ``banned``."""
    decision = ctx.decide(user, Action.READ)
    if not decision and decision.code == "banned":
        raise Forbidden(code="banned")
    require_read(user, ctx.community, ctx.membership, loaded=True)


def load_context(user, stmt: Select, *, writing: bool = False) -> ContentContext:
    """Run ``stmt`` (from ``context_query``) and check the caller may read what it found.

    No row and no right to read look the same: ``NotFound``. ``writing``:
    the caller is about to check a write, so a banned member gets ``banned``;
    the write rules still apply after this.
    """
    row = db.session.execute(stmt).first()
    if row is None:
        raise NotFound()
    ctx = ContentContext(row[0], row[1], row[2], tuple(row[3:]))
    if writing:
        require_known(user, ctx)
    else:
        require_read(user, ctx.community, ctx.membership, loaded=True)
    if not all(shown(item, user, ctx.community, ctx.membership) for item in (ctx.item, *ctx.extra)):
        raise NotFound()  # hidden by a moderator: to everyone else, as if it were not there
    return ctx


def is_moderator(user, ctx: ContentContext) -> bool:
    return ctx.decide(user, Action.MODERATE).allowed


def is_author(user, item) -> bool:
    return item.author_id is not None and item.author_id == user_id(user)


def require_write(user, ctx: ContentContext) -> None:
    """Active, unmuted membership in a community that is not archived (moderators excepted)."""
    require_known(user, ctx)
    write = ctx.decide(user, Action.WRITE)
    if not write:
        raise Forbidden(code=write.code)


def require_moderate(user, ctx: ContentContext) -> None:
    decision = ctx.decide(user, Action.MODERATE)
    if not decision:
        raise Forbidden(_l("Only moderators may do this."), code=decision.code or "forbidden")


def require_author_or_moderator(user, ctx: ContentContext, item, message) -> None:
    """Moderators may; otherwise the author with write access (``message`` says who may)."""
    if is_moderator(user, ctx):
        return
    require_write(user, ctx)
    if not is_author(user, item):
        raise Forbidden(message)
