"""Reading resources: one resource with what a decision needs, a community's list, its tags.

Every read goes through ``content.context``: whoever may not read the
community gets 404 for its resources, downloads included.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from ..content.context import ContentContext, context_query, load_context, shown_in_list
from ..extensions import db
from ..pagination import Page, paginate
from .models import Resource, ResourceTag


def resource_context(user, resource_id: int, *, writing: bool = False) -> ContentContext:
    """The resource (``ctx.item``) if ``user`` may read it, else ``NotFound`` (also when there is none)."""
    return load_context(user, context_query(user, Resource).where(Resource.id == resource_id), writing=writing)


def tags_of(resource_ids: list[int]) -> dict[int, list[str]]:
    """Each resource's tags in the order given, for all of ``resource_ids`` in one query."""
    tags: dict[int, list[str]] = {rid: [] for rid in resource_ids}
    if resource_ids:
        rows = db.session.execute(select(ResourceTag.resource_id, ResourceTag.tag)
                                  .where(ResourceTag.resource_id.in_(resource_ids))
                                  .order_by(ResourceTag.resource_id, ResourceTag.position))
        for resource_id, tag in rows:
            tags[resource_id].append(tag)
    return tags


@dataclass
class ResourceView:
    ctx: ContentContext
    tags: list[str]

    @property
    def resource(self) -> Resource:
        return self.ctx.item


def resource_view(user, resource_id: int) -> ResourceView:
    ctx = resource_context(user, resource_id)
    return ResourceView(ctx, tags_of([resource_id])[resource_id])


def list_resources(user, community, *, tag: str | None = None, limit: int, cursor: str | None) -> Page:
    """The community's resources, newest first, optionally with one tag; items are ``(Resource, tags)``."""
    shown = shown_in_list(user, community, Resource.hidden_at)
    stmt = select(Resource).where(Resource.community_id == community.id, shown)
    if tag:
        stmt = stmt.where(Resource.id.in_(select(ResourceTag.resource_id).where(ResourceTag.tag == tag)))
    page = paginate(stmt, (Resource.created_at, Resource.id), lambda r: (r.created_at, r.id), limit=limit,
                    cursor=cursor, descending=True)
    tags = tags_of([r.id for r in page.items])
    return Page([(r, tags[r.id]) for r in page.items], page.next, page.prev)


def popular_tags(community, limit: int = 20) -> list[str]:
    """The community's most used resource tags (for the filter)."""
    rows = db.session.execute(
        select(ResourceTag.tag).join(Resource, Resource.id == ResourceTag.resource_id)
        .where(Resource.community_id == community.id).group_by(ResourceTag.tag)
        .order_by(func.count().desc(), ResourceTag.tag).limit(limit))
    return [tag for (tag,) in rows]
