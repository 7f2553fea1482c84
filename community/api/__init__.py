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


MAX_JSON_DEPTH = 32  # the contract's deepest body is an object holding a list


def json_body() -> dict:
    """The request's JSON object; an empty body is ``{}``.

    Every ``/api/v1`` body is read here, so this is where malformed JSON is
    refused with 400 ``bad_request``: invalid syntax, nesting deeper than
    ``MAX_JSON_DEPTH`` (Python's parser would exhaust the stack long before
    100,000 levels), and strings holding a lone surrogate (``"\\ud800"``, or
    its raw bytes, which Python's parser lets through): valid JSON syntax but
    no text, which could never be stored or sent back as UTF-8.
    """
    if not request.get_data(cache=True):
        return {}
    if not request.is_json:
        raise UnsupportedMediaType(_l("Send JSON with Content-Type: application/json."))
    try:
        data = request.get_json(silent=True)
    except RecursionError:
        raise BadRequest(_l("The request body is nested too deeply.")) from None
    if data is None:
        raise BadRequest(_l("The request body is not valid JSON."))
    if not isinstance(data, dict):
        raise BadRequest(_l("The request body must be a JSON object."))
    _check_structure(data)
    return data


def _check_structure(data) -> None:
    """Refuse nesting past ``MAX_JSON_DEPTH`` and strings that are not valid Unicode text."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise BadRequest(_l("The request body is nested too deeply."))
        if isinstance(value, dict):
            for key, item in value.items():
                _check_text(key)
                stack.append((item, depth + 1))
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)
        elif isinstance(value, str):
            _check_text(value)


def _check_text(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise BadRequest(_l("The request body holds text that is not valid Unicode.")) from None


def list_args() -> dict:
    """``limit`` and ``cursor`` of a list request, checked."""
    return {"limit": parse_limit(request.args.get("limit")), "cursor": request.args.get("cursor") or None}


def page_json(page, serialize: Callable) -> dict:
    return {"items": [serialize(item) for item in page.items], "next": page.next}
