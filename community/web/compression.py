"""gzip for phones on slow links: pages, JSON and static files, when the client accepts it.

A 51-post thread page is ~72 KiB of HTML and ~12 KiB gzipped. Static files
are compressed once per version and kept (they are the same bytes for
everyone); pages and JSON are compressed per response at a moderate level
(~1 ms for a thread page).

Compressing pages is safe from BREACH because the one secret a page
repeats, the CSRF token, is masked afresh in every response
(``community/csrf.py``). A response that carries another secret next to
reflected text (a new API token, an invite link shown once) opts out with
``never_compress``.
"""

from __future__ import annotations

import gzip
from functools import lru_cache
from pathlib import Path

from flask import Flask, request

COMPRESSIBLE = frozenset({
    "text/html", "text/css", "text/javascript", "application/javascript", "application/json",
    "application/manifest+json", "image/svg+xml", "text/plain", "text/calendar",
})
MIN_SIZE = 1024  # below this, gzip's header and the CPU cost more than they save
PAGE_LEVEL = 5   # measured: most of level 9's saving at a third of its time
STATIC_LEVEL = 9
_OPT_OUT = "X-Leerplein-No-Compression"  # internal marker, removed before sending


def never_compress(response):
    """Send ``response`` as it is: it holds a secret (a token) beside text the client chose."""
    response.headers[_OPT_OUT] = "1"
    return response


def _accepts_gzip() -> bool:
    return request.accept_encodings["gzip"] > 0


def register(app: Flask) -> None:
    static_folder = Path(app.static_folder)

    @lru_cache(maxsize=256)
    def static_gzip(filename: str, version: str) -> bytes | None:
        """The file's gzip, made once per (file, version)."""
        try:
            return gzip.compress((static_folder / filename).read_bytes(), STATIC_LEVEL, mtime=0)
        except OSError:
            return None

    @app.after_request
    def compress(response):
        if response.headers.pop(_OPT_OUT, None):
            return response
        if response.mimetype not in COMPRESSIBLE:
            return response
        response.vary.add("Accept-Encoding")
        if (response.status_code != 200 or "Content-Encoding" in response.headers or not _accepts_gzip()
                or request.method == "HEAD"):
            return response
        version = request.args.get("v")
        if request.endpoint == "static" and version:
            data = static_gzip(request.view_args["filename"], version)
            if data is None:
                return response
            response.close()  # the file it would have streamed
            response.direct_passthrough = False
        elif response.direct_passthrough or response.is_streamed:
            return response  # an unversioned file or a stream: sent as it is
        else:
            body = response.get_data()
            if len(body) < MIN_SIZE:
                return response
            data = gzip.compress(body, PAGE_LEVEL, mtime=0)
        response.set_data(data)
        response.headers["Content-Encoding"] = "gzip"
        etag, weak = response.get_etag()
        if etag:
            response.set_etag(f"{etag}-gzip", weak)
        return response
