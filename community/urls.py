"""Absolute URLs for responses, built from ``COMMUNITY_SITE_URL``.

Flask's ``url_for(..., _external=True)`` takes the host from the request's
``Host`` header, which the client chooses: ``Host: evil.example`` would put
``http://evil.example/invite/…`` into an invite link that a moderator then
sends around. Every absolute URL comes from here instead; relative paths
(redirects, links inside pages) stay plain ``url_for``.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app


def site_url(endpoint: str, **values) -> str:
    """The absolute URL of ``endpoint`` on the configured site, inside a request or outside one.

    ``endpoint`` is a full name (``"communities.invite"``, not ``".invite"``).
    A path in the setting (``https://example.org/leerplein``) is kept as the
    site's root.
    """
    site = urlsplit(current_app.config["SITE_URL"])
    current_app.inject_url_defaults(endpoint, values)
    adapter = current_app.url_map.bind(site.netloc, script_name=site.path or "/", url_scheme=site.scheme)
    return adapter.build(endpoint, values, force_external=True)


def site_host() -> str:
    """The configured site's ``host[:port]``, to tell its own full URLs from others."""
    return urlsplit(current_app.config["SITE_URL"]).netloc


def site_path(endpoint: str, _anchor: str | None = None, **values) -> str:
    """The site path of ``endpoint`` (``/threads/7#post-42``), inside a request or outside one.

    For the ``url`` of notifications, search hits and API objects: built
    from the routes like ``url_for``, so a moved route moves every link,
    and usable where there is no request (a scheduled escalation).
    """
    site = urlsplit(current_app.config["SITE_URL"])
    current_app.inject_url_defaults(endpoint, values)
    adapter = current_app.url_map.bind(site.netloc, script_name=site.path or "/", url_scheme=site.scheme)
    path = adapter.build(endpoint, values)
    return f"{path}#{_anchor}" if _anchor else path
