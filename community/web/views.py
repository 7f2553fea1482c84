"""The home page and the health check."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template
from flask_login import login_required

bp = Blueprint("web", __name__)


@bp.get("/")
@login_required
def index():
    return render_template("index.html")


@bp.get("/healthz")
def healthz():
    from ..database import check_database

    parts = {"database": "ok" if check_database() else "failing", "search": "ok"}
    ok = all(v == "ok" for v in parts.values())
    return jsonify({"status": "ok" if ok else "failing", **parts}), 200 if ok else 503
