"""Security headers on every response, and what caches may keep."""

from __future__ import annotations

from flask import Flask, current_app, g
from flask_login import current_user

# No inline script or style anywhere: every script and stylesheet is a file
# under /static, so this policy needs no 'unsafe-inline'.
CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


def register(app: Flask) -> None:
    @app.after_request
    def add_security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response

    @app.after_request
    def keep_personal_responses_out_of_caches(response):
        """``private, no-store`` on whatever depends on who asks; see ``is_personal``.

        A response that chose its own caching (versioned static files) keeps it.
        """
        if "Cache-Control" not in response.headers and is_personal():
            response.headers["Cache-Control"] = "private, no-store"
        return response


def is_personal() -> bool:
    """Whether this request's answer is for the caller alone.

    Signed in (a cookie session or a Bearer token): every page and API answer
    may show personal or non-public data, so all of them count, rather than
    a list of routes that a new capability would forget to join. Anonymous:
    a page that embeds the session's CSRF token (every HTML page does, in its
    ``<meta name="csrf-token">``), which a shared cache would hand to others.
    """
    return current_user.is_authenticated or current_app.config["WTF_CSRF_FIELD_NAME"] in g
