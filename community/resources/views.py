"""Resource pages: the community's Resources tab (list, tag filter, share form) and a resource's page.

Plain HTML forms that work without JavaScript; the share form is
``multipart/form-data`` so that one form shares a link, a note or a file.
Each form calls the same service function as the JSON API; a form with bad
values comes back with its problems (422, 413 for a file over the limit).
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from ..access import Action, can
from ..communities import service as communities
from ..content.context import is_author, is_moderator
from ..content.tags import normalize_tag, typed_tags
from ..errors import Forbidden, Invalid
from ..idempotency import idempotent
from ..validation import MISSING
from ..web.pages import flash_refusal, form_failed
from . import reading, service
from .service import TooLarge

bp = Blueprint("resources", __name__)

RESOURCES_PER_PAGE = 30
SHARE_KINDS = ("link", "note", "file")


def resource_list(community) -> dict:
    """What the Resources tab shows (``resources/_tab.html``), from ``?tag=&cursor=``."""
    tag = normalize_tag(request.args.get("tag") or "") or None
    page = reading.list_resources(current_user, community, tag=tag, limit=RESOURCES_PER_PAGE,
                                  cursor=request.args.get("cursor") or None)
    return {"page": page, "tag": tag, "tags": reading.popular_tags(community),
            "can_share": can(current_user, community, Action.WRITE), "values": {"kind": "link"}, "errors": {},
            "share_kinds": SHARE_KINDS}


def _form_text(name: str):
    value = request.form.get(name, "")
    return value if value.strip() else MISSING


@bp.post("/c/<slug>/resources")
@login_required
@idempotent
def share(slug: str):
    community = communities.get_community(current_user, slug, Action.VIEW)
    form = request.form
    kind = form.get("kind") if form.get("kind") in SHARE_KINDS else "link"
    tags = typed_tags(form.get("tags", ""))
    context = {"community": community, "values": form.to_dict(), "share_kinds": SHARE_KINDS}
    try:
        if kind == "file":
            upload = request.files.get("file")
            if upload is None or not upload.filename:
                raise Invalid({"file": gettext("Choose a file to upload.")})
            resource = service.share_file(current_user, community, upload.read(), upload.filename,
                                          title=_form_text("title"), description=_form_text("description"),
                                          tags=tags)
        elif kind == "note":
            resource = service.share_note(current_user, community, form.get("title", ""),
                                          form.get("description", ""), tags=tags)
        else:
            resource = service.share_link(current_user, community, form.get("title", ""), form.get("url", ""),
                                          description=_form_text("description"), tags=tags)
    except (Invalid, TooLarge) as error:
        return form_failed("resources/share.html", error, **context)
    return redirect(url_for("resources.show_resource", resource_id=resource.id))


@bp.get("/resources/<int:resource_id>")
@login_required
def show_resource(resource_id: int):
    view = reading.resource_view(current_user, resource_id)
    may_delete = is_moderator(current_user, view.ctx) or (
        is_author(current_user, view.resource) and can(current_user, view.ctx.community, Action.WRITE,
                                                       view.ctx.membership))
    return render_template("resources/resource.html", view=view, resource=view.resource,
                           community=view.ctx.community, tags=view.tags, may_delete=may_delete)


@bp.post("/resources/<int:resource_id>/delete")
@login_required
def delete(resource_id: int):
    community = reading.resource_view(current_user, resource_id).ctx.community
    try:
        service.delete_resource(current_user, resource_id)
    except Forbidden as error:
        flash_refusal(error)
        return redirect(url_for("resources.show_resource", resource_id=resource_id))
    flash(gettext("The resource is deleted."), "success")
    return redirect(url_for("communities.show", slug=community.slug, tab="resources", _anchor="tab-title"))
