"""One error handler for the whole app: the contract's JSON under ``/api/``,
an error page elsewhere. A page the caller may not see is the same 404 page
as one that does not exist.
"""

from __future__ import annotations

import logging
import math

from flask import Flask, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from ..errors import DomainError
from ..extensions import db

log = logging.getLogger(__name__)

CODES = {
    400: "bad_request", 401: "unauthenticated", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 409: "conflict", 413: "too_large",
    415: "unsupported_media_type", 422: "invalid", 429: "rate_limited",
}

MESSAGES = {
    "bad_request": _l("The request is not valid."),
    "csrf_failed": _l("The form expired or was sent from elsewhere. Please try again."),
    "unauthenticated": _l("Please sign in."),
    "forbidden": _l("You may not do this."),
    "banned": _l("You have been banned from this community."),
    "muted": _l("You are muted in this community for now."),
    "locked": _l("This thread is locked."),
    "not_found": _l("This page does not exist, or you may not see it."),
    "method_not_allowed": _l("This method is not allowed here."),
    "conflict": _l("This conflicts with something that exists."),
    "too_large": _l("This is too large."),
    "unsupported_media_type": _l("This type of content is not supported."),
    "invalid": _l("Some fields are not valid."),
    "rate_limited": _l("Too many attempts. Please wait a moment."),
    "internal_error": _l("Something went wrong on our side."),
    "busy": _l("The server is very busy. Please try again in a moment."),
}


def rate_limited_message(retry_after: int) -> str:
    """When to try again, in whole minutes (a person does not count seconds)."""
    minutes = max(1, math.ceil(retry_after / 60))
    return ngettext("Too many attempts. Try again in %(num)d minute.",
                    "Too many attempts. Try again in %(num)d minutes.", minutes)


def wants_json() -> bool:
    return request.path.startswith("/api/")


def error_response(status: int, code: str, message=None, fields=None, headers=None):
    message = str(message or MESSAGES.get(code, MESSAGES["bad_request"]))
    if wants_json():
        body = {"error": {"code": code, "message": message}}
        if fields:
            body["error"]["fields"] = {k: str(v) for k, v in fields.items()}
        response = jsonify(body)
    else:
        response = render_template("error.html", status=status, code=code, message=message)
    return response, status, headers or {}


def register(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def domain_error(error: DomainError):
        db.session.rollback()
        message, headers = error.message, None
        retry_after = getattr(error, "retry_after", None)
        if retry_after:
            headers = {"Retry-After": str(retry_after)}
            message = message or rate_limited_message(retry_after)
        return error_response(error.status, error.code, message, error.fields, headers=headers)

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return error_response(400, "csrf_failed")

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        status = error.code or 500
        code = CODES.get(status, "bad_request" if status < 500 else "internal_error")
        headers = {}
        if status == 429:
            retry_after = getattr(error, "retry_after", None)
            headers["Retry-After"] = str(int(retry_after)) if retry_after else "60"
        if status == 405 and error.valid_methods:
            headers["Allow"] = ", ".join(error.valid_methods)
        message = None if code in MESSAGES else error.description
        return error_response(status, code, message, headers=headers)

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        if isinstance(error, HTTPException):
            return http_error(error)
        if isinstance(error, OperationalError) and "database is locked" in str(error.orig):
            # Another process held the write lock past ``database.WRITE_LOCK_WAIT``:
            # nothing was written, and the client may simply try again.
            log.warning("database busy on %s %s", request.method, request.path)
            db.session.rollback()
            return error_response(503, "busy", headers={"Retry-After": "1"})
        log.exception("unhandled error on %s %s", request.method, request.path)
        db.session.rollback()
        return error_response(500, "internal_error")
