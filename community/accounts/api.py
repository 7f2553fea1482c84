"""``/api/v1`` routes for accounts and tokens."""

from __future__ import annotations

from flask import Blueprint, g, make_response
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..api import PREFIX, json_body, public
from ..errors import DomainError
from ..idempotency import idempotent
from ..timeutil import iso
from ..web.compression import never_compress
from . import api_docs, service, sessions, throttle  # noqa: F401  (api_docs describes these routes)
from .models import User

bp = Blueprint("accounts_api", __name__, url_prefix=PREFIX)


class InvalidCredentials(DomainError):
    status = 401
    code = "invalid_credentials"


def user_json(user: User, *, with_email: bool = False, with_stats: bool = False, viewer=None) -> dict:
    """The contract's user object; ``expertise`` as ``viewer`` may see it (None: the caller)."""
    data = {
        "id": user.id,
        "username": user.username,
        "display_name": user.display_name or user.username,
        "avatar_url": None,
        "bio": user.bio,
        "locale": user.locale,
        "is_admin": user.is_admin,
        "created_at": iso(user.created_at),
        "expertise": service.user_expertise(user, viewer),
    }
    if with_email:
        data["email"] = user.email
    if with_stats:
        data["stats"] = service.user_stats(user, current_user)
    return data


@bp.post("/users")
@public
@idempotent(scope="request")  # no caller yet: a key matches only the identical request
def register():
    throttle.count_registration()
    user = service.register(json_body())
    return user_json(user, with_email=True), 201


@bp.post("/tokens")
@public
def create_token():
    login, password = service.validate_login_fields(json_body())
    user = throttle.sign_in(login, password)
    if user is None:
        raise InvalidCredentials(_l("The login or password is not right."))
    return never_compress(make_response(
        {"token": service.issue_token(user), "user": user_json(user, with_email=True)}, 201))


@bp.delete("/tokens/current")
def delete_token():
    token = g.get("api_token")
    if token is not None:
        service.revoke_token(token)
    else:
        sessions.sign_out()  # a cookie session's "current token" is the session itself
    return "", 204


@bp.get("/users/me")
def me():
    return user_json(current_user, with_email=True)


@bp.patch("/users/me")
def update_me():
    user = service.update_profile(current_user, json_body(), keep_token=g.get("api_token"),
                                  keep_session=sessions.current_session())
    return user_json(user, with_email=True)


@bp.get("/users/<username>")
def get_user(username: str):
    return user_json(service.get_user(username), with_stats=True)
