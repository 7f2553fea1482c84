"""Every account action: register, sign in, tokens, profile changes."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, delete, func, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from .. import events
from ..errors import Conflict, NotFound
from ..extensions import db
from ..timeutil import utcnow
from ..validation import MISSING, Fields
from .models import ApiToken, BrowserSession, User
from .passwords import PASSWORD_MAX, PASSWORD_MIN, password_problem

USERNAME = re.compile(r"[A-Za-z0-9_-]{3,30}")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
LOCALES = ("nl", "en")


def _hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH"])


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def find_user(username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username_key == username.lower()))


def users_by_id(user_ids) -> dict[int, User]:
    """``{id: User}`` for many ids in one query (removed accounts are absent)."""
    ids = {i for i in user_ids if i is not None}
    return {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))} if ids else {}


def get_user(username: str) -> User:
    user = find_user(username)
    if user is None:
        raise NotFound()
    return user


def _check_profile(fields: Fields):
    display_name = fields.text("display_name", max_len=80)
    bio = fields.text("bio", max_len=2000, multiline=True)
    locale = fields.choice("locale", LOCALES)
    return display_name, bio, locale


def _check_password(fields: Fields, password, *, username, email) -> None:
    """Add the password rule's objection, if any, to a password that passed its length check."""
    if isinstance(password, str) and "password" not in fields.problems:
        known = [value if isinstance(value, str) else None for value in (username, email)]
        problem = password_problem(password, username=known[0], email=known[1])
        if problem:
            fields.problem("password", problem)


def register(data: dict, *, from_form: bool = False, is_admin: bool = False) -> User:
    """Create an account; 422 for bad fields, 409 when username or email is taken."""
    fields = Fields(data, from_form=from_form)
    username = fields.text("username", required=True, min_len=3, max_len=30, pattern=USERNAME,
                           pattern_message=str(_l("Use 3 to 30 letters, digits, _ or -.")))
    email = fields.text("email", required=True, max_len=254, pattern=EMAIL,
                        pattern_message=str(_l("Enter an email address like name@example.org.")))
    password = fields.secret("password", required=True, min_len=PASSWORD_MIN, max_len=PASSWORD_MAX)
    _check_password(fields, password, username=username, email=email)
    display_name, bio, locale = _check_profile(fields)
    fields.check()
    email = email.lower()
    taken = {}
    if find_user(username):
        taken["username"] = str(_l("This username is taken."))
    if db.session.scalar(select(User.id).where(func.lower(User.email) == email)):
        taken["email"] = str(_l("An account with this email address exists."))
    if taken:
        raise Conflict(_l("Username or email address already in use."), fields=taken)
    user = User(username=username, username_key=username.lower(), email=email,
                password_hash=_hash_password(password),
                display_name=display_name if display_name is not MISSING else "",
                bio=bio if bio is not MISSING else "",
                locale=locale if locale is not MISSING else None, is_admin=is_admin)
    db.session.add(user)
    db.session.flush()
    events.record(db.session, events.UserRegistered(user.id))
    events.commit(db.session)
    return user


# Checked against when the login names nobody, so that a wrong username takes
# as long as a wrong password and timing reveals no account. Made once per hash
# method: making it costs as much as checking it, so making it on every call
# would double the cost of exactly the path it should hide.
_DUMMY_HASH: dict[str, str] = {}


def _dummy_hash() -> str:
    method = current_app.config["PASSWORD_HASH"]
    if method not in _DUMMY_HASH:
        _DUMMY_HASH[method] = _hash_password(secrets.token_urlsafe(16))
    return _DUMMY_HASH[method]


def normalise_login(login: str | None) -> str:
    return (login or "").strip().lower()


def find_login(login: str | None) -> User | None:
    """The account a sign-in's login names: its username or its email address, in any case."""
    login = normalise_login(login)
    if not login:
        return None
    return db.session.scalar(
        select(User).where((User.username_key == login) | (func.lower(User.email) == login)))


def password_matches(user: User | None, password: str | None) -> bool:
    """Whether ``password`` is ``user``'s; for no user, False after exactly as much work.

    Signing in goes through ``throttle.sign_in``, which counts the failures.
    """
    if user is None:
        check_password_hash(_dummy_hash(), password or "")
        return False
    return check_password_hash(user.password_hash, password or "")


def issue_token(user: User) -> str:
    """A new bearer token for ``user``; the plain token exists only in this return value."""
    token = secrets.token_urlsafe(32)
    db.session.add(ApiToken(user_id=user.id, token_hash=_token_hash(token)))
    events.commit(db.session)
    return token


# Built once: every API request and every socket event asks it (building the statement cost more than running it).
# Both rows in one plain join: a joined eager load cost twice as much, and every socket event asks this.
_TOKEN = (select(User, ApiToken).join(ApiToken, ApiToken.user_id == User.id)
          .where(ApiToken.token_hash == bindparam("token_hash"), ApiToken.revoked_at.is_(None)))


def user_for_token(token: str) -> tuple[User, ApiToken] | None:
    row = db.session.execute(_TOKEN, {"token_hash": _token_hash(token)}).first()
    return None if row is None else (row[0], row[1])


def revoke_token(token: ApiToken) -> None:
    token.revoked_at = utcnow()
    events.commit(db.session)


def _session_lifetime() -> timedelta:
    """How long a browser stays signed in at most: as long as Flask-Login's remember-me cookie."""
    lifetime = current_app.config.get("REMEMBER_COOKIE_DURATION", timedelta(days=365))
    return lifetime if isinstance(lifetime, timedelta) else timedelta(seconds=lifetime)


def start_browser_session(user: User) -> str:
    """A new server-side session for a browser that signs in; returns its key.

    The plain key exists only in this return value and then in the signed
    cookie. The user's sessions past their lifetime are cleared on the way.
    """
    key = secrets.token_urlsafe(32)
    db.session.execute(delete(BrowserSession).where(
        BrowserSession.user_id == user.id, BrowserSession.created_at < utcnow() - _session_lifetime()))
    db.session.add(BrowserSession(user_id=user.id, key_hash=_token_hash(key)))
    events.commit(db.session)
    return key


def user_for_browser_session(user_id: int, key: str) -> tuple[User, BrowserSession] | None:
    """The user and session that this cookie's id and key name, if the session has not ended."""
    row = db.session.execute(
        select(User, BrowserSession).join(BrowserSession, BrowserSession.user_id == User.id)
        .where(User.id == user_id, BrowserSession.key_hash == _token_hash(key),
               BrowserSession.created_at >= utcnow() - _session_lifetime())).first()
    return (row[0], row[1]) if row else None


def end_browser_session(browser_session: BrowserSession) -> None:
    """Sign one browser out for good: every copy of its cookies stops working."""
    db.session.execute(delete(BrowserSession).where(BrowserSession.id == browser_session.id))
    events.commit(db.session)


def _end_sessions(user: User, *, keep_session: BrowserSession | None = None,
                  keep_token: ApiToken | None = None) -> None:
    """End every browser session and API token of ``user`` but the ones kept (commit is the caller's)."""
    sessions = delete(BrowserSession).where(BrowserSession.user_id == user.id)
    if keep_session is not None:
        sessions = sessions.where(BrowserSession.id != keep_session.id)
    db.session.execute(sessions)
    tokens = update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    if keep_token is not None:
        tokens = tokens.where(ApiToken.id != keep_token.id)
    db.session.execute(tokens.values(revoked_at=utcnow()))


def sign_out_everywhere(user: User) -> None:
    """End all of the user's browser sessions and API tokens, the caller's own included."""
    _end_sessions(user)
    events.commit(db.session)


def update_profile(user: User, data: dict, *, from_form: bool = False,
                   keep_token: ApiToken | None = None, keep_session: BrowserSession | None = None) -> User:
    """Change name, bio, language or password; a new password needs the current one.

    A new password ends every browser session and API token of the user but
    the one making the change (``keep_session`` or ``keep_token``): whoever
    knew the old password is signed out everywhere.
    """
    fields = Fields(data, from_form=from_form)
    display_name, bio, locale = _check_profile(fields)
    if fields.present("locale") and data.get("locale") is None and not from_form:
        locale = None
        fields.problems.pop("locale", None)
        fields.wrong_types.pop("locale", None)
    password = fields.secret("password", min_len=PASSWORD_MIN, max_len=PASSWORD_MAX)
    _check_password(fields, password, username=user.username, email=user.email)
    current = fields.secret("current_password")
    if password is not MISSING and (current is MISSING
                                    or not check_password_hash(user.password_hash, current)):
        fields.problem("current_password", _l("Enter your current password to set a new one."))
    fields.check()
    if display_name is not MISSING:
        user.display_name = display_name
    if bio is not MISSING:
        user.bio = bio
    if locale is not MISSING:
        user.locale = locale
    if password is not MISSING:
        user.password_hash = _hash_password(password)
        _end_sessions(user, keep_session=keep_session, keep_token=keep_token)
    events.commit(db.session)
    return user


def create_admin(username: str, email: str, password: str) -> User:
    user = find_user(username)
    if user is not None:
        user.is_admin = True
        events.commit(db.session)
        return user
    return register({"username": username, "email": email, "password": password}, is_admin=True)


def user_expertise(user: User, viewer=None) -> list[dict]:
    """Expertise from the Q&A capability, once it registers a provider, as ``viewer`` (None: the caller) sees it."""
    return _EXPERTISE_PROVIDER[0](user, viewer) if _EXPERTISE_PROVIDER else []


_EXPERTISE_PROVIDER: list = []


def user_stats(user: User, viewer) -> dict[str, int]:
    """``user``'s counts as ``viewer`` may see them, from other capabilities' ``stat_provider``.

    Each provider is called as ``provider(user, viewer)`` and must count only
    what ``viewer`` may read (``access.readable_filter(viewer)``): a count that
    includes a private community tells an outsider when someone is active
    there. A capability that is not built yet has nothing to count, hence the zeros.
    """
    stats = dict.fromkeys(("questions", "answers", "accepted_answers", "posts"), 0)
    stats.update({name: provider(user, viewer) for name, provider in _STAT_PROVIDERS.items()})
    return stats


_STAT_PROVIDERS: dict = {}


def stat_provider(name: str):
    """Decorator for a capability to add a count to ``GET /users/{username}`` stats.

    The decorated function takes ``(user, viewer)``; see ``user_stats``.
    """

    def register_provider(func):
        _STAT_PROVIDERS[name] = func
        return func

    return register_provider


def validate_login_fields(data: dict) -> tuple[str, str]:
    fields = Fields(data)
    login = fields.text("login", required=True)
    password = fields.secret("password", required=True)
    fields.check()
    return login, password

