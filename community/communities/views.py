"""Community pages."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from . import service

bp = Blueprint("communities", __name__)


@bp.get("/c/<slug>")
@login_required
def show(slug: str):
    community = service.get_community(current_user, slug)
    return render_template("communities/show.html", view=service.view_of(current_user, community))


@bp.get("/invite/<token>")
@login_required
def invite(token: str):
    return render_template("communities/invite.html", token=token)
