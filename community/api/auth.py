"""Who is calling the API: a Bearer token, or the browser's session cookie.

A cookie-authenticated write must carry ``X-CSRFToken``; a Bearer token
needs none, because a browser never attaches one by itself.
"""

from __future__ import annotations

import logging

from flask import current_app, g, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy import update
from sqlalchemy.exc import OperationalError

from ..accounts import service as accounts
from ..accounts.models import ApiToken
from ..database import will_write, writing
from ..errors import DomainError, Unauthenticated
from ..extensions import csrf, db
from ..timeutil import utcnow
from . import PREFIX

log = logging.getLogger(__name__)
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
TOKEN_TOUCH_SECONDS = 300


class CsrfFailed(DomainError):
    status = 400
    code = "csrf_failed"


def _bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    if header[:7].lower() == "bearer ":
        return header[7:].strip()
    return None


def authenticate_api_request():
    """``before_request`` for ``/api/v1``: who is calling, refuse anonymous calls, check CSRF."""
    if not request.path.startswith(PREFIX + "/"):
        return None
    view = current_app.view_functions.get(request.endpoint)
    is_public = view is not None and getattr(view, "public", False)
    token = _bearer_token()
    if token is not None:
        found = accounts.user_for_token(token)
        if found is None:
            if is_public:
                return None
            raise Unauthenticated(_l("The token is not valid or was revoked."))
        user, api_token = found
        g._login_user = user  # Flask-Login's per-request user: the token wins over a cookie
        g.api_token = api_token
        _touch(api_token)
        return None
    if request.method in UNSAFE and current_user.is_authenticated:
        try:
            csrf.protect()
        except CSRFError:
            raise CsrfFailed(_l("Send the page's CSRF token in the X-CSRFToken header.")) from None
    if view is not None and not is_public and not current_user.is_authenticated:
        raise Unauthenticated(_l("Sign in or send a Bearer token."))
    return None


def _touch(api_token) -> None:
    """Record use now and then, so that reads do not all become writes.

    A request that writes anyway records it in its own transaction. A GET's
    read transaction cannot take SQLite's write lock (see ``database``), so
    there it is a write of its own on another connection; a busy database
    only postpones this bookkeeping, never fails the request.
    """
    now = utcnow()
    if api_token.last_used_at is None or (now - api_token.last_used_at).total_seconds() > TOKEN_TOUCH_SECONDS:
        if will_write():
            api_token.last_used_at = now
            return
        try:
            with writing(), db.engine.begin() as conn:
                conn.execute(update(ApiToken).where(ApiToken.id == api_token.id).values(last_used_at=now))
        except OperationalError:
            log.warning("could not record the use of token %s now; next time", api_token.id)
