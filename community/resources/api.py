"""``/api/v1`` routes for shared resources: list, share (JSON or multipart), read, download, delete.

Thin: each route parses the request and makes one service or reading call.
A JSON body with ``url`` shares a link, without one a note; a multipart
body with ``file`` shares a file.
"""

from __future__ import annotations

from flask import Blueprint, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..access import Action
from ..api import PREFIX, json_body, list_args, page_json
from ..communities import service as communities
from ..content.authors import Authors
from ..content.tags import normalize_tag, typed_tags
from ..errors import Invalid
from ..idempotency import idempotent
from ..timeutil import iso
from ..validation import MISSING
from . import api_docs, reading, service  # noqa: F401  (api_docs describes these routes)
from .download import send_resource
from .events import resource_url

bp = Blueprint("resources_api", __name__, url_prefix=PREFIX)


def resource_json(resource, tags: list[str], community_slug: str, authors: Authors) -> dict:
    return {
        "id": resource.id,
        "kind": resource.kind,
        "title": resource.title,
        "description": resource.description,
        "description_html": resource.description_html,
        "url": resource.url,
        "filename": resource.filename,
        "size": resource.size,
        "content_type": resource.content_type,
        "searchable": resource.kind != "file" or resource.extracted_text is not None,
        "tags": tags,
        "author": authors(resource.author),
        "created_at": iso(resource.created_at),
        "community": community_slug,
        "page_url": resource_url(resource.id),
        "download_url": f"{PREFIX}/resources/{resource.id}/download" if resource.kind == "file" else None,
    }


def _arg(data, name: str):
    return data[name] if name in data else MISSING


@bp.get("/communities/<slug>/resources")
def list_resources(slug: str):
    community = communities.get_community(current_user, slug, Action.VIEW)
    tag = normalize_tag(request.args.get("tag") or "") or None
    page = reading.list_resources(current_user, community, tag=tag, **list_args())
    authors = Authors()
    return page_json(page, lambda item: resource_json(item[0], item[1], community.slug, authors))


def _share_upload(community):
    upload = request.files.get("file")
    if upload is None:
        raise Invalid({"file": str(_l("Choose a file to upload."))})
    form = request.form
    tags = typed_tags(form["tags"]) if "tags" in form else MISSING
    return service.share_file(current_user, community, upload.read(), upload.filename,
                              title=_arg(form, "title"), description=_arg(form, "description"), tags=tags)


@bp.post("/communities/<slug>/resources")
@idempotent
def share(slug: str):
    community = communities.get_community(current_user, slug, Action.VIEW)
    if request.mimetype == "multipart/form-data":
        resource = _share_upload(community)
    else:
        data = json_body()
        if _arg(data, "url") not in (MISSING, None):
            resource = service.share_link(current_user, community, data.get("title"), data["url"],
                                          description=_arg(data, "description"), tags=_arg(data, "tags"))
        else:
            resource = service.share_note(current_user, community, data.get("title"), data.get("description"),
                                          tags=_arg(data, "tags"))
    view = reading.resource_view(current_user, resource.id)
    return resource_json(view.resource, view.tags, view.ctx.community.slug, Authors()), 201


@bp.get("/resources/<int:resource_id>")
def get_resource(resource_id: int):
    view = reading.resource_view(current_user, resource_id)
    return resource_json(view.resource, view.tags, view.ctx.community.slug, Authors())


@bp.get("/resources/<int:resource_id>/download")
def download(resource_id: int):
    return send_resource(reading.resource_view(current_user, resource_id).resource)


@bp.delete("/resources/<int:resource_id>")
def delete(resource_id: int):
    service.delete_resource(current_user, resource_id)
    return "", 204
