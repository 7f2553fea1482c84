"""Resources in search: the one registration resources make.

A resource is found by its title, its description, its tags and, for a
PDF, DOCX, Markdown or text file, the text extracted from it on upload
(``extract.py``); a link or a note by what was written. Deleting one
indexes it again, which removes it: the row is gone.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ..communities.models import Community
from ..content.events import ContentHidden
from ..extensions import db
from ..markup import plain_text
from ..search.registry import Entry, SearchType, id_batches, searchable
from .events import ResourceDeleted, ResourceShared, resource_url
from .models import Resource
from .reading import tags_of


def _body(resource: Resource) -> str:
    parts = [plain_text(resource.description_html) if resource.description_html else "",
             resource.url or "", resource.extracted_text or ""]
    return "\n".join(part for part in parts if part)


def load_resources(ids: list[int]) -> dict[int, Entry]:
    rows = db.session.execute(select(Resource, Community.slug).join(Community, Community.id == Resource.community_id)
                              .where(Resource.id.in_(ids), Resource.hidden_at.is_(None))
                              .options(joinedload(Resource.author)))
    tags = tags_of(list(ids))
    return {r.id: Entry(type="resource", id=r.id, community_id=r.community_id, community_slug=slug, title=r.title,
                        indexed_title=r.title, body=_body(r), url=resource_url(r.id), author=r.author,
                        created_at=r.created_at, tags=tags.get(r.id, []))
            for r, slug in rows}


searchable(SearchType(
    name="resource", load=load_resources,
    batches=id_batches(select(Resource.id).where(Resource.hidden_at.is_(None)), Resource.id),
    count=lambda: db.session.scalar(select(func.count()).select_from(Resource)
                                    .where(Resource.hidden_at.is_(None))) or 0,
    events={ResourceShared: lambda e: [e.resource_id], ResourceDeleted: lambda e: [e.resource_id],
            ContentHidden: lambda e: e.ids("resource")},
))
