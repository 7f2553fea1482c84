"""CSRF tokens masked afresh in every response, so that compressed pages leak nothing (BREACH).

BREACH recovers a secret that a compressed response repeats byte for byte
next to text an attacker can make the page reflect (a search query, a
name), by watching response sizes. Flask-WTF's signed token carries the
session's raw token unchanged in every page, so pages are compressed
(``web/compression.py``) only because here each token handed out is
``pad + (pad XOR token)`` with a new random pad: every page, every form,
every call shows different bytes, and ``unmask`` recovers the token before
Flask-WTF checks it. An unmasked token (a page from before this code)
still validates.
"""

from __future__ import annotations

import base64
import binascii
import secrets

from flask import Flask, g
from flask_wtf.csrf import CSRFProtect, generate_csrf

PREFIX = "m."


def _xor(data: bytes, pad: bytes) -> bytes:
    return bytes(a ^ b for a, b in zip(data, pad, strict=True))


def mask(token: str) -> str:
    raw = token.encode()
    pad = secrets.token_bytes(len(raw))
    return PREFIX + base64.urlsafe_b64encode(pad + _xor(raw, pad)).decode().rstrip("=")


def unmask(value: str | None) -> str | None:
    """The token inside a masked value; anything else is returned as it came."""
    if not value or not value.startswith(PREFIX):
        return value
    encoded = value[len(PREFIX):]
    try:
        data = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
    except (binascii.Error, ValueError):
        return value
    half = len(data) // 2
    if not data or len(data) % 2:
        return value
    try:
        return _xor(data[half:], data[:half]).decode()
    except UnicodeDecodeError:
        return value


def masked_csrf_token() -> str:
    """The session's CSRF token for this response, masked with a pad of its own.

    One masked value per response: what BREACH needs is a secret repeated
    across responses, and a page with a hundred forms should not carry a
    hundred incompressible random strings.
    """
    if "masked_csrf_token" not in g:
        g.masked_csrf_token = mask(generate_csrf())
    return g.masked_csrf_token


class MaskedCSRFProtect(CSRFProtect):
    """Flask-WTF's protection, handing out masked tokens and unmasking what comes back."""

    def init_app(self, app: Flask) -> None:
        super().init_app(app)
        app.jinja_env.globals["csrf_token"] = masked_csrf_token
        app.context_processor(lambda: {"csrf_token": masked_csrf_token})

    def _get_csrf_token(self):
        return unmask(super()._get_csrf_token())
