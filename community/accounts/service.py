"""Every account action: register, sign in, tokens, profile changes."""

from __future__ import annotations

import hashlib
import re
import secrets

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload
from werkzeug.security import check_password_hash, generate_password_hash

from .. import events
from ..errors import Conflict, NotFound
from ..extensions import db
from ..timeutil import utcnow
from ..validation import MISSING, Fields
from .models import ApiToken, User

USERNAME = re.compile(r"[A-Za-z0-9_-]{3,30}")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
PASSWORD_MIN = 10
LOCALES = ("nl", "en")


def _hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH"])


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def find_user(username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username_key == username.lower()))


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


def register(data: dict, *, from_form: bool = False, is_admin: bool = False) -> User:
    """Create an account; 422 for bad fields, 409 when username or email is taken."""
    fields = Fields(data, from_form=from_form)
    username = fields.text("username", required=True, min_len=3, max_len=30, pattern=USERNAME,
                           pattern_message=str(_l("Use 3 to 30 letters, digits, _ or -.")))
    email = fields.text("email", required=True, max_len=254, pattern=EMAIL,
                        pattern_message=str(_l("Enter an email address like name@example.org.")))
    password = fields.secret("password", required=True, min_len=PASSWORD_MIN, max_len=1024)
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
# as long as a wrong password and timing reveals no account.
_DUMMY_HASH: dict[str, str] = {}


def authenticate(login: str, password: str) -> User | None:
    """The user whose username or email and password match, else None."""
    login = (login or "").strip().lower()
    user = None
    if login:
        user = db.session.scalar(
            select(User).where((User.username_key == login) | (func.lower(User.email) == login)))
    if user is None:
        method = current_app.config["PASSWORD_HASH"]
        dummy = _DUMMY_HASH.setdefault(method, _hash_password("not-a-real-password"))
        check_password_hash(dummy, password or "")
        return None
    return user if check_password_hash(user.password_hash, password or "") else None


def issue_token(user: User) -> str:
    """A new bearer token for ``user``; the plain token exists only in this return value."""
    token = secrets.token_urlsafe(32)
    db.session.add(ApiToken(user_id=user.id, token_hash=_token_hash(token)))
    events.commit(db.session)
    return token


def user_for_token(token: str) -> tuple[User, ApiToken] | None:
    row = db.session.scalar(select(ApiToken).options(joinedload(ApiToken.user))
                            .where(ApiToken.token_hash == _token_hash(token), ApiToken.revoked_at.is_(None)))
    if row is None:
        return None
    return row.user, row


def revoke_token(token: ApiToken) -> None:
    token.revoked_at = utcnow()
    events.commit(db.session)


def update_profile(user: User, data: dict, *, from_form: bool = False,
                   keep_token: ApiToken | None = None) -> User:
    """Change name, bio, language or password; a new password needs the current one."""
    fields = Fields(data, from_form=from_form)
    display_name, bio, locale = _check_profile(fields)
    if fields.present("locale") and data.get("locale") is None and not from_form:
        locale = None
        fields.problems.pop("locale", None)
        fields.wrong_types.pop("locale", None)
    password = fields.secret("password", min_len=PASSWORD_MIN, max_len=1024)
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
        # A new password signs out every other API client.
        for token in user.tokens:
            if token is not keep_token and token.revoked_at is None:
                token.revoked_at = utcnow()
    events.commit(db.session)
    return user


def create_admin(username: str, email: str, password: str) -> User:
    user = find_user(username)
    if user is not None:
        user.is_admin = True
        events.commit(db.session)
        return user
    return register({"username": username, "email": email, "password": password}, is_admin=True)


def rate_limit(setting: str) -> str:
    return current_app.config[setting]


def user_expertise(user: User) -> list[dict]:
    """Expertise entries from the Q&A capability, once it registers a provider."""
    return _EXPERTISE_PROVIDER[0](user) if _EXPERTISE_PROVIDER else []


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

