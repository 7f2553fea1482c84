"""A stored file as an HTTP download: always an attachment, never a type a browser would run.

The stored type was sniffed from the content (``extract.sniff``), so it is
never ``text/html`` or ``image/svg+xml``; the guard here holds even for a
row written some other way. ``nosniff`` stops the browser from guessing
another type, and the client's file name is sent only in the
``Content-Disposition`` header, quoted by Werkzeug (RFC 6266 ``filename*``).
"""

from __future__ import annotations

from flask import send_file

from ..errors import NotFound
from .models import Resource
from .storage import storage

_NEVER = {"text/html": "text/plain", "image/svg+xml": "application/octet-stream",
          "application/xhtml+xml": "text/plain", "text/xml": "text/plain", "application/xml": "text/plain"}


def served_type(content_type: str | None) -> str:
    content_type = (content_type or "application/octet-stream").split(";")[0].strip().lower()
    content_type = _NEVER.get(content_type, content_type)
    return f"{content_type}; charset=utf-8" if content_type == "text/plain" else content_type


def send_resource(resource: Resource):
    if resource.kind != "file" or not resource.stored_name:
        raise NotFound()
    try:
        handle = storage().open(resource.stored_name)
    except FileNotFoundError:
        raise NotFound() from None
    response = send_file(handle, mimetype=served_type(resource.content_type), as_attachment=True,
                         download_name=resource.filename or "file", max_age=0, etag=False, conditional=False)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    return response
