"""``/notifications``: the caller's notifications as a page, with mark-as-read."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..web.pages import is_safe_path
from . import service

bp = Blueprint("notifications", __name__)


@bp.get("/notifications")
@login_required
def index():
    unread = request.args.get("unread") == "1"
    page = service.list_notifications(current_user, unread=unread, limit=30,
                                      cursor=request.args.get("cursor") or None)
    return render_template("notifications/list.html", page=page, unread=unread,
                           unread_total=service.unread_count(current_user))


@bp.post("/notifications/read")
@login_required
def mark_read():
    data = {"all": "1"} if request.form.get("all") else {"ids": request.form.get("ids", "")}
    service.mark_read(current_user, data, from_form=True)
    return redirect(url_for("notifications.index", unread=request.form.get("unread") or None))


@bp.get("/notifications/<int:notification_id>")
@login_required
def open_notification(notification_id: int):
    """Follow a notification's link and mark it read on the way."""
    url = service.open_notification(current_user, notification_id)
    if url is None or not is_safe_path(url):
        abort(404)
    return redirect(url)
