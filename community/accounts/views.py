"""Sign-in, registration, profile and settings pages."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..errors import Conflict, Invalid
from ..idempotency import idempotent
from ..web.pages import form_failed, form_values, safe_next
from ..web.tabs import profile_sections
from . import passwords, service, sessions, throttle

bp = Blueprint("accounts", __name__)


@bp.context_processor
def password_rule() -> dict:
    """The password rule, shown under every field where a password is chosen."""
    return {"password_rule": passwords.RULE}


def _signed_in_redirect():
    return redirect(safe_next(request.values.get("next"), url_for("web.index")))


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated and request.method == "GET":
        return _signed_in_redirect()
    if request.method == "POST":
        user = throttle.sign_in(request.form.get("login", ""), request.form.get("password", ""))
        if user is not None:
            sessions.sign_in(user, remember=request.form.get("remember") == "1")
            return _signed_in_redirect()
        # One message for an unknown login and a wrong password: no account is confirmed.
        return render_template("accounts/login.html", values=form_values(),
                               form_error=_("The login or password is not right.")), 401
    return render_template("accounts/login.html", values={})


@bp.route("/register", methods=["GET", "POST"])
@idempotent(scope="request")
def register():
    if current_user.is_authenticated and request.method == "GET":
        return _signed_in_redirect()
    if request.method == "POST":
        throttle.count_registration()
        try:
            user = service.register(request.form.to_dict(), from_form=True)
        except (Invalid, Conflict) as error:
            return form_failed("accounts/register.html", error)
        sessions.sign_in(user)
        flash(_("Welcome to Leerplein, %(name)s!", name=user.name), "success")
        return _signed_in_redirect()
    return render_template("accounts/register.html", values={"locale": _current_locale()})


def _current_locale() -> str:
    return str(get_locale())


@bp.post("/logout")
@login_required
def logout():
    sessions.sign_out()
    flash(_("You have signed out."), "info")
    return redirect(url_for("web.index"))


@bp.post("/settings/sign-out-everywhere")
@login_required
def sign_out_everywhere():
    """For a lost phone or a shared computer: every browser and API token of the account, this one too."""
    service.sign_out_everywhere(current_user)
    sessions.sign_out()
    flash(_("You are signed out on every device."), "info")
    return redirect(url_for("accounts.login"))


@bp.get("/u/<username>")
@login_required
def profile(username: str):
    user = service.get_user(username)
    return render_template("accounts/profile.html", person=user, stats=service.user_stats(user, current_user),
                           sections=profile_sections(user))


def _profile_values(user) -> dict:
    return {"display_name": user.display_name, "bio": user.bio, "locale": user.locale or _current_locale()}


@bp.get("/settings")
@login_required
def settings():
    return render_template("accounts/settings.html", values=_profile_values(current_user))


@bp.post("/settings")
@login_required
def save_profile():
    # Sent as plain strings (not ``from_form``) so that an emptied name or bio is
    # saved empty rather than read as "not sent".
    data = {name: request.form.get(name, "") for name in ("display_name", "bio", "locale")}
    try:
        service.update_profile(current_user, data)
    except Invalid as error:
        return form_failed("accounts/settings.html", error)
    flash(_("Your profile is saved."), "success")
    return redirect(url_for("accounts.settings"))


@bp.post("/settings/password")
@login_required
def change_password():
    data = {name: request.form.get(name, "") for name in ("current_password", "password")}
    try:
        if not data["password"]:
            raise Invalid({"password": _("Enter a new password.")})
        service.update_profile(current_user, data, from_form=True, keep_session=sessions.current_session())
    except Invalid as error:
        return form_failed("accounts/settings.html", error, values=_profile_values(current_user),
                           password_form=True)
    flash(_("Your password is changed, and you are signed out on every other device."), "success")
    return redirect(url_for("accounts.settings"))
