"""Browser sessions: signing in and out with the session cookie, checked on the server.

Flask's session cookie is signed, not stored: on its own, a copy of it would
stay valid after signing out. So each sign-in gets a row (``BrowserSession``)
and a random key, and Flask-Login's ``_user_id`` in the cookie (which its
remember-me cookie copies) is ``"<user id>:<key>"``. ``load_user`` is the one
check of that identity, for pages, for the API with a cookie, for the
remember-me cookie, and for the Socket.IO connect handler to come: there,
``current_user`` runs it, or call ``load_user(session["_user_id"])``.
Ending a row ends every copy of its cookies.
"""

from __future__ import annotations

from flask import g, session
from flask_login import current_user, login_user, logout_user

from . import service
from .models import BrowserSession, User

SEPARATOR = ":"


def load_user(identity: str) -> User | None:
    """The user this cookie identity signs in, or None once its session has ended.

    Registered as Flask-Login's ``user_loader``. An identity without a key
    (cookies from before sessions were kept on the server) names nobody.
    """
    user_id, _, key = (identity or "").partition(SEPARATOR)
    if not user_id.isdigit() or not key:
        return None
    found = service.user_for_browser_session(int(user_id), key)
    if found is None:
        return None
    user, browser_session = found
    g.browser_session = browser_session
    return user


def current_session() -> BrowserSession | None:
    """The browser session this request is signed in with; None for a Bearer token or a visitor."""
    if g.get("api_token") is not None or not current_user.is_authenticated:  # loads the user if needed
        return None
    return g.get("browser_session")


def sign_in(user: User, *, remember: bool = False) -> None:
    """Start a server-side session for ``user`` in this browser, ending the one it had."""
    earlier = current_session()
    if earlier is not None:
        service.end_browser_session(earlier)
    key = service.start_browser_session(user)
    login_user(user, remember=remember)
    # Flask-Login stored ``user.get_id()``; the key makes it this session's own.
    session["_user_id"] = f"{user.id}{SEPARATOR}{key}"


def sign_out() -> None:
    """End this browser's session on the server, then forget it in the cookie."""
    browser_session = current_session()
    if browser_session is not None:
        service.end_browser_session(browser_session)
    g.pop("browser_session", None)
    logout_user()
