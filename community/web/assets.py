"""Static files that a phone downloads once.

Every ``url_for('static', ...)`` gets ``?v=<content hash>``, and a request
carrying that version is cached for a year: a new deploy changes the hash,
so nobody keeps a stale stylesheet, and a slow connection never asks again.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from flask import Flask, request

YEAR = 365 * 24 * 3600


def register(app: Flask) -> None:
    static_folder = Path(app.static_folder)

    @lru_cache(maxsize=256)
    def version(filename: str) -> str | None:
        try:
            return hashlib.sha256((static_folder / filename).read_bytes()).hexdigest()[:12]
        except OSError:
            return None

    if app.debug:  # files change while developing: hash them afresh each time
        version = version.__wrapped__

    @app.url_defaults
    def add_static_version(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "filename" in values and "v" not in values:
            digest = version(values["filename"])
            if digest:
                values["v"] = digest

    @app.after_request
    def cache_versioned_static(response):
        if request.endpoint == "static" and request.args.get("v") and response.status_code == 200:
            response.cache_control.no_cache = None  # Flask's default; it would make phones revalidate
            response.cache_control.public = True
            response.cache_control.max_age = YEAR
            response.cache_control.immutable = True
        return response
