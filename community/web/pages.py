"""What every HTML view shares: safe redirects, re-showing a form with its errors,
and wording a refusal for a flash message.

Views stay thin: parse the form, call a service, then ``redirect_back`` or
``form_failed``. Nothing here knows a business rule.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from flask import flash, g, redirect, render_template, request
from markupsafe import Markup

from ..errors import DomainError
from ..urls import site_host
from .errors import MESSAGES

# Fields never echoed back into a re-shown form.
SECRET_FIELDS = frozenset({"csrf_token", "password", "current_password"})


def is_safe_path(target: str | None) -> bool:
    """A path on this site (``/c/x?y``), never another host or a scheme trick."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc and "\\" not in target and not any(
        ord(ch) < 32 for ch in target)


def safe_next(target: str | None, default: str) -> str:
    """``target`` as a local path if it points into this site, else ``default``.

    A full URL counts as this site's only when it names the configured
    ``COMMUNITY_SITE_URL`` host: the request's Host header is the client's to
    choose, so it proves nothing about where a link points.
    """
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        if parts.scheme not in ("http", "https") or parts.netloc.lower() != site_host().lower():
            return default
        target = urlunsplit(("", "", parts.path or "/", parts.query, ""))
    return target if is_safe_path(target) else default


def redirect_back(default: str):
    """Back to the form's ``next`` field when it is a local path, else to ``default``."""
    return redirect(safe_next(request.form.get("next") or request.args.get("next"), default))


def form_values() -> dict[str, str]:
    """What the user typed, to fill the form in again (passwords excepted)."""
    return {k: v for k, v in request.form.items() if k not in SECRET_FIELDS}


def error_text(error: DomainError) -> str:
    return str(error.message or MESSAGES.get(error.code, MESSAGES["bad_request"]))


def form_failed(template: str, error: DomainError, **context):
    """Show the form again with each field's problem and everything typed so far."""
    context.setdefault("values", form_values())
    # With fields, each field says what is wrong; the summary above the form is ours.
    message = None if error.fields else error_text(error)
    return render_template(template, errors=error.fields or {}, form_error=message,
                           **context), error.status


def focus_first_problem() -> Markup:
    """For the form macros: ``autofocus`` on the page's first field with a problem, nothing on the others.

    A form shown again then opens at that field with the cursor in it, however
    far down the page it is (a reply under a long thread), without a script.
    No fragment in the form's address: the browser skips ``autofocus`` when
    the address names a target.
    """
    if g.get("_problem_focused"):
        return Markup("")
    g._problem_focused = True
    return Markup(" autofocus")


def flash_refusal(error: DomainError) -> None:
    flash(error_text(error), "error")
