"""``/bookmarks``: what a person saved, searchable; and the small forms that save and remove, without a script."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..errors import DomainError
from ..web.pages import flash_refusal
from . import service

bp = Blueprint("bookmarks", __name__)
PER_PAGE = 30


@bp.get("/bookmarks")
@login_required
def index():
    q = (request.args.get("q") or "").strip()
    page = service.list_saved(current_user, q=q or None, limit=PER_PAGE, cursor=request.args.get("cursor") or None)
    return render_template("bookmarks/index.html", page=page, q=q)


@bp.post("/bookmarks/save")
@login_required
def save():
    """Save the item named by the form, then back to it ("Saved" says so); the same item again keeps one."""
    target_type, target_id, _note = service.read_bookmark_request(
        {"target_type": request.form.get("target_type", ""), "target_id": request.form.get("target_id", type=int)})
    saved, _created = service.save(current_user, target_type, target_id, None)
    flash(_("Saved. You find it under Saved in your menu."), "success")
    return redirect(saved.target.url)


@bp.post("/bookmarks/<int:bookmark_id>/remove")
@login_required
def remove(bookmark_id: int):
    try:
        service.remove(current_user, bookmark_id)
    except DomainError as error:
        flash_refusal(error)
    else:
        flash(_("Removed from your saved items."), "success")
    return redirect(url_for("bookmarks.index"))
