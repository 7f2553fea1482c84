"""Communities themselves: create, edit, archive, find and list them.

Memberships live in ``memberships.py``, invite links in ``invite_links.py``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, bindparam, func, or_, select

from .. import events
from ..access import Action, may_create_community, require, visible_filter
from ..accounts.models import User
from ..errors import Conflict, Forbidden, NotFound
from ..extensions import db
from ..pagination import Page, paginate
from ..timeutil import utcnow
from ..validation import MISSING, Fields
from .models import JOIN_POLICIES, KINDS, VISIBILITIES, Community, Membership

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
        "description": fields.text("description", max_len=5000, multiline=True),
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


def create_community(user: User, data: dict, *, from_form: bool = False) -> Community:
    if not may_create_community(user):
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
    return db.session.scalar(_BY_SLUG, {"slug": slug})


_BY_SLUG = select(Community).where(Community.slug == bindparam("slug"))  # built once: most requests ask it


def find_with_membership(user: User, slug: str) -> tuple[Community | None, Membership | None]:
    """The community and ``user``'s membership of it, in one query (a chat send decides on both)."""
    row = db.session.execute(_WITH_MEMBERSHIP, {"slug": slug, "user_id": user.id}).first()
    return (row[0], row[1]) if row is not None else (None, None)


_WITH_MEMBERSHIP = (select(Community, Membership)
                    .outerjoin(Membership, and_(Membership.community_id == Community.id,
                                                Membership.user_id == bindparam("user_id")))
                    .where(Community.slug == bindparam("slug")))


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
        pattern = contains_pattern(q)
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


def contains_pattern(text: str) -> str:
    """A LIKE pattern matching ``text`` anywhere, its own ``%`` and ``_`` taken literally."""
    literal = text.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{literal}%"
