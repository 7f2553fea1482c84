"""Plumbing shared by every ``/api/v1`` route: auth, body parsing, errors, OpenAPI."""

from __future__ import annotations

from collections.abc import Callable

from flask import request
from flask_babel import lazy_gettext as _l

from ..errors import BadRequest, DomainError
from ..pagination import parse_limit

PREFIX = "/api/v1"


class UnsupportedMediaType(DomainError):
    status = 415
    code = "unsupported_media_type"


def public(view: Callable) -> Callable:
    """Mark a route that answers without authentication."""
    view.public = True
    return view


def json_body() -> dict:
    """The request's JSON object; an empty body is ``{}``."""
    if not request.get_data(cache=True):
        return {}
    if not request.is_json:
        raise UnsupportedMediaType(_l("Send JSON with Content-Type: application/json."))
    data = request.get_json(silent=True)
    if data is None:
        raise BadRequest(_l("The request body is not valid JSON."))
    if not isinstance(data, dict):
        raise BadRequest(_l("The request body must be a JSON object."))
    return data


def list_args() -> dict:
    """``limit`` and ``cursor`` of a list request, checked."""
    return {"limit": parse_limit(request.args.get("limit")), "cursor": request.args.get("cursor") or None}


def page_json(page, serialize: Callable) -> dict:
    return {"items": [serialize(item) for item in page.items], "next": page.next}
