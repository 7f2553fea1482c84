"""Sign-in, registration and profile pages."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import login_required, login_user, logout_user

from . import service

bp = Blueprint("accounts", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login():
    error = None
    if request.method == "POST":
        user = service.authenticate(request.form.get("login", ""), request.form.get("password", ""))
        if user:
            login_user(user)
            return redirect(url_for("web.index"))
        error = "invalid"
    return render_template("accounts/login.html", error=error)


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    return redirect(url_for("accounts.login"))
