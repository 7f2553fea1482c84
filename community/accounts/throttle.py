"""Limits on guessing passwords and on making accounts, the same through every door.

A failed sign-in counts against the client's address and against the account
it named, whether it came through ``POST /api/v1/tokens`` or the HTML
``/login`` form: once either is used up (``COMMUNITY_LOGIN_RATE_LIMIT``,
default 10 per 5 minutes), both doors answer 429 until the oldest failure
leaves the moving window, even to the right password. Successful sign-ins
are not counted. Every registration attempt counts against the client's
address across ``POST /api/v1/users`` and ``/register``
(``COMMUNITY_REGISTER_RATE_LIMIT``).

The counts live in Flask-Limiter's storage backend (the ``limits`` library,
``RATELIMIT_STORAGE_URI``): in memory per process by default, shared by
every process when it points at Redis.
"""

from __future__ import annotations

import math
import time

from flask import Flask, current_app, request
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import STRATEGIES

from ..errors import RateLimited
from . import service
from .models import User

_EXTENSION = "leerplein.throttle"


class _Throttle:
    """The app's limiter strategy over its own storage client, and the two parsed limits."""

    def __init__(self, app: Flask):
        config = app.config
        self.enabled = bool(config["RATELIMIT_ENABLED"])
        self.prefix = config.get("RATELIMIT_KEY_PREFIX") or "leerplein"
        self.sign_in = parse(config["LOGIN_RATE_LIMIT"])
        self.register = parse(config["REGISTER_RATE_LIMIT"])
        strategy = STRATEGIES[config.get("RATELIMIT_STRATEGY", "moving-window")]
        self.limiter = strategy(storage_from_string(config["RATELIMIT_STORAGE_URI"]))


def init_app(app: Flask) -> None:
    """Parse the limits at start (a mistyped setting fails now, not at the first sign-in)."""
    app.extensions[_EXTENSION] = _Throttle(app)


def _throttle() -> _Throttle:
    return current_app.extensions[_EXTENSION]


def _refuse_when_used_up(limit, keys: list[tuple[str, ...]]) -> None:
    throttle = _throttle()
    waits = []
    for key in keys:
        if not throttle.limiter.test(limit, throttle.prefix, *key):
            reset_at = throttle.limiter.get_window_stats(limit, throttle.prefix, *key).reset_time
            waits.append(math.ceil(reset_at - time.time()))
    if waits:
        raise RateLimited(max(waits))


def _address() -> str:
    return request.remote_addr or "unknown"


def sign_in(login: str, password: str) -> User | None:
    """The user these credentials name, None when they are wrong; 429 (``RateLimited``) when used up.

    The account key is the account itself when the login names one (its
    username and its email count as one), else the login as typed: an unknown
    login is limited exactly like a real one, so the limit reveals nothing.
    """
    account = service.find_login(login)
    if not _throttle().enabled:
        return account if service.password_matches(account, password) else None
    account_key = f"user:{account.id}" if account else "login:" + service.normalise_login(login)
    keys = [("sign-in", "address", _address()), ("sign-in", "account", account_key)]
    limit = _throttle().sign_in
    _refuse_when_used_up(limit, keys)
    if service.password_matches(account, password):
        return account
    throttle = _throttle()
    for key in keys:
        throttle.limiter.hit(limit, throttle.prefix, *key)
    return None


def count_registration() -> None:
    """Count one registration attempt from this address; ``RateLimited`` once they are used up."""
    throttle = _throttle()
    if not throttle.enabled:
        return
    key = ("register", "address", _address())
    if not throttle.limiter.hit(throttle.register, throttle.prefix, *key):
        _refuse_when_used_up(throttle.register, [key])
        raise RateLimited(throttle.register.get_expiry())  # the window filled up between hit and test
